// Responses: one anonymous-by-design document per respondent, the counts coaches see (one
// port, response.counting.ts), and answering a round through its link (pages and API). The
// store is built first, for rounds and reports; the respondents' door after rounds, which it
// reads through a narrow interface passed in by app.ts.
import type { Preparation } from '../../shared/db/preparation';
import type { CapabilityProbe } from '../../shared/db/capabilities';
import type { Connection } from '../../shared/db/connect';
import type { RateLimitStore } from '../../shared/db/rate-limit-store';
import { createMemoryRateLimiter } from '../../shared/memory-rate-limit';
import type { QuestionnaireDefinition } from '../questionnaires';
import { createResponseApiRouter } from './response.api';
import { createResponsePagesRouter } from './response.pages';
import { createResponseCounting } from './response.counting';
import { createResponseRepository } from './response.repository';
import { createResponseService, type Invitations, type RoundReader } from './response.service';

export { LinkToken, RespondentRoundDto, SubmittedDto } from './response.schemas';
export type { ResponseService } from './response.service';
export type { ResponseText, StoredResponse } from './response.repository';
export type { RoundCounts } from './tally';
export type { AnswerDoc as StoredAnswer } from './response.model';
export type { ResponseCounting } from './response.counting';
export type ResponseStore = ReturnType<typeof createResponseStore>;
export type ResponseStats = ResponseStore['stats'];

/**
 * The stored responses and their counts, built before rounds: rounds read how many answered
 * and say when a round is created, reports read the counts and texts.
 */
export function createResponseStore(deps: {
  conn: Connection;
  clock: () => Date;
  capabilities: CapabilityProbe;
  preparation: Preparation;
}) {
  const repository = createResponseRepository(deps.conn);
  deps.preparation.add({ name: 'responses', run: () => repository.init() });
  const counting = createResponseCounting({
    conn: deps.conn,
    clock: deps.clock,
    capabilities: deps.capabilities,
    repository,
  });
  return {
    repository,
    counting,
    ready: deps.preparation.ready,
    /** What rounds need: responses per round, and the news of a new round. */
    counter: { countByRound: counting.sizes, roundCreated: counting.roundCreated },
    /** What reports read: the counts, and texts and rows under the report's rules. */
    stats: {
      counts: counting.counts,
      texts: (roundIds: readonly string[]) => repository.texts(roundIds),
      all: (roundId: string) => repository.all(roundId),
    },
  };
}

/** Answering a round through its link: the respondent's pages and API. */
export function createRespondentsModule(deps: {
  store: Pick<ResponseStore, 'repository' | 'counting' | 'ready'>;
  rateLimits: RateLimitStore;
  clock: () => Date;
  secureCookies: boolean;
  baseUrl: string;
  rounds: RoundReader;
  questionnaires: { byId: (id: string) => Promise<QuestionnaireDefinition> };
  teamName: (workspaceId: string, teamId: string) => Promise<string>;
  invitations: Invitations;
}) {
  const { store, secureCookies, baseUrl, ...rest } = deps;
  const service = createResponseService({
    ...rest,
    repository: store.repository,
    counting: store.counting,
    ready: store.ready,
    submissionLimits: createMemoryRateLimiter({ clock: deps.clock }),
  });
  return {
    service,
    apiRouter: createResponseApiRouter({ responses: service }),
    pagesRouter: createResponsePagesRouter({ responses: service, secureCookies, baseUrl }),
  };
}
