// Team results: the read-only, revocable link a coach gives the team to a closed round's
// results (DESIGN.md). Depends on rounds (the round, its status), reports (the team view, where
// the anonymity rule is applied) and accounts (authentication), all passed in by app.ts.
import type { Connection } from '../../shared/db/connect';
import type { Preparation } from '../../shared/db/preparation';
import { createResultsApiRouter } from './results.api';
import { createResultsPagesRouter, createResultsPublicRouter } from './results.pages';
import { createResultsLinkRepository } from './results.repository';
import { createResultsService, type ResultsServiceDeps } from './results.service';

export function createResultsModule(
  deps: Omit<ResultsServiceDeps, 'repository'> & { conn: Connection; preparation: Preparation },
) {
  const { conn, preparation, ...rest } = deps;
  const repository = createResultsLinkRepository(conn);
  preparation.add({ name: 'results links', run: () => repository.init() });
  const service = createResultsService({ ...rest, repository });
  return {
    service,
    apiRouter: createResultsApiRouter({ results: service }),
    /** The team's page: no session (mounted before it). */
    publicRouter: createResultsPublicRouter({ results: service }),
    /** The coach's pages of a round's link. */
    pagesRouter: createResultsPagesRouter({ results: service, rounds: deps.rounds }),
  };
}
