// Responses: one anonymous-by-design document per respondent, behind one port that saves,
// finds, counts and exports them in the layout the database server suits (response.store.ts),
// and answering a round through its link (pages and API). The store is built first, for rounds
// and reports; the respondents' door after rounds, which it reads through a narrow interface
// passed in by app.ts.
import type { RateLimitStore } from '../../shared/db/rate-limit-store';
import { createMemoryRateLimiter } from '../../shared/memory-rate-limit';
import type { QuestionnaireDefinition } from '../questionnaires';
import { createResponseApiRouter } from './response.api';
import { createResponsePagesRouter } from './response.pages';
import type { ResponseStore } from './response.store';
import { createResponseService, type Invitations, type RoundReader } from './response.service';

export { LinkToken, RespondentRoundDto, SubmittedDto } from './response.schemas';
export type { ResponseService } from './response.service';
export type { ResponseText, StoredResponse, RoundCounts } from './response.types';
export type { AnswerDoc as StoredAnswer } from './response.model';
export { createResponseStore, type ResponseStore } from './response.store';
export { isResponseCollection } from './response.repository';
/** What reports read: the counts, and texts and rows under the report's rules. */
export type ResponseStats = Pick<ResponseStore, 'counts' | 'texts' | 'all'>;

/** Answering a round through its link: the respondent's pages and API. */
export function createRespondentsModule(deps: {
  store: ResponseStore;
  rateLimits: RateLimitStore;
  clock: () => Date;
  secureCookies: boolean;
  baseUrl: string;
  rounds: RoundReader;
  questionnaires: { byId: (id: string) => Promise<QuestionnaireDefinition> };
  teamName: (workspaceId: string, teamId: string) => Promise<string>;
  invitations: Invitations;
}) {
  const { secureCookies, baseUrl, ...rest } = deps;
  const service = createResponseService({
    ...rest,
    submissionLimits: createMemoryRateLimiter({ clock: deps.clock }),
  });
  return {
    service,
    apiRouter: createResponseApiRouter({ responses: service }),
    pagesRouter: createResponsePagesRouter({ responses: service, secureCookies, baseUrl }),
  };
}
