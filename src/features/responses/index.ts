// Responses: answering a round through its link (pages and API), one anonymous-by-design
// document per respondent, and the counts coaches see. Depends on rounds, questionnaires and
// teams through narrow interfaces passed in by app.ts.
import type { Connection } from '../../shared/db/connect';
import type { RateLimitStore } from '../../shared/db/rate-limit-store';
import type { QuestionnaireDefinition } from '../questionnaires';
import { createResponseApiRouter } from './response.api';
import { createResponsePagesRouter } from './response.pages';
import { createResponseRepository, type RoundCounts } from './response.repository';
import { createResponseService, type RoundReader } from './response.service';

export {
  LinkToken,
  RespondentKey,
  ResponseInput,
  RespondentRoundDto,
  StoredAnswersDto,
  SubmittedDto,
} from './response.schemas';
export type { ResponseService } from './response.service';
export type {
  AnswerCount,
  ResponseText,
  RoundCounts,
  StoredResponse,
  VoteCount,
} from './response.repository';
export type { AnswerDoc as StoredAnswer } from './response.model';
export type ResponseStats = ReturnType<typeof createResponsesModule>['stats'];

export function createResponsesModule(deps: {
  conn: Connection;
  rateLimits: RateLimitStore;
  clock: () => Date;
  secureCookies: boolean;
}) {
  const repository = createResponseRepository(deps.conn);
  const counts = {
    countByRound: (roundIds: readonly string[]) => repository.countByRound(roundIds),
  };
  return {
    counts,
    /** What reports read: counts from the database, texts and rows under the report's rules. */
    stats: {
      /** The counts of rounds that can still change, counted now. */
      counts: (roundIds: readonly string[], options: { votes: boolean }) =>
        repository.counts(roundIds, options),
      /**
       * The counts of rounds whose answers can no longer change (the caller decides when that
       * is): counted once, then read from their snapshots, whatever the number of responses.
       */
      async settledCounts(roundIds: readonly string[]): Promise<Map<string, RoundCounts>> {
        const stored = await repository.snapshots(roundIds);
        const missing = roundIds.filter((id) => !stored.has(id));
        if (missing.length === 0) return stored;
        const counted = await repository.counts(missing, { votes: true });
        await Promise.all(
          [...counted].map(([id, counts]) => repository.saveSnapshot(id, counts, deps.clock())),
        );
        return new Map([...stored, ...counted]);
      },
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
