// Responses: answering a round through its link (pages and API), one anonymous-by-design
// document per respondent, and the counts coaches see. Depends on rounds, questionnaires and
// teams through narrow interfaces passed in by app.ts.
import type { Connection } from '../../shared/db/connect';
import type { RateLimitStore } from '../../shared/db/rate-limit-store';
import { createMemoryRateLimiter } from '../../shared/memory-rate-limit';
import type { QuestionnaireDefinition } from '../questionnaires';
import { createResponseApiRouter } from './response.api';
import { createResponsePagesRouter } from './response.pages';
import { createResponseRepository } from './response.repository';
import { createResponseService, type RoundReader } from './response.service';

export { responseApi } from './response.api';
export { LinkToken, RespondentRoundDto, SubmittedDto } from './response.schemas';
export type { ResponseService } from './response.service';
export type { ResponseText, StoredResponse } from './response.repository';
export type { RoundCounts } from './tally';
export type { AnswerDoc as StoredAnswer } from './response.model';
export type ResponseStats = ReturnType<typeof createResponsesModule>['stats'];

export function createResponsesModule(deps: {
  conn: Connection;
  rateLimits: RateLimitStore;
  clock: () => Date;
  secureCookies: boolean;
}) {
  const repository = createResponseRepository(deps.conn, deps.clock);
  const counts = {
    countByRound: (roundIds: readonly string[]) => repository.countByRound(roundIds),
    startTally: (roundId: string) => repository.startTally(roundId),
  };
  return {
    counts,
    /** What reports read: counts from the rounds' tallies, texts and rows under the report's rules. */
    stats: {
      counts: (roundIds: readonly string[]) => repository.counts(roundIds),
      texts: (roundIds: readonly string[]) => repository.texts(roundIds),
      all: (roundId: string) => repository.all(roundId),
    },
    /** The respondent side needs rounds, which need the counts: it is built second. */
    withRounds(reader: {
      rounds: RoundReader;
      questionnaires: { byId: (id: string) => Promise<QuestionnaireDefinition> };
      teamName: (workspaceId: string, teamId: string) => Promise<string>;
    }) {
      const service = createResponseService({
        repository,
        rateLimits: deps.rateLimits,
        submissionLimits: createMemoryRateLimiter({ clock: deps.clock }),
        clock: deps.clock,
        ...reader,
      });
      return {
        service,
        apiRouter: createResponseApiRouter({ responses: service }),
        pagesRouter: createResponsePagesRouter({
          responses: service,
          secureCookies: deps.secureCookies,
        }),
      };
    },
  };
}
