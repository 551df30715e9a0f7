// Accounts: users and their passwords (argon2id), sign-up, log-in and log-out with sessions,
// API tokens, and the pages for the account, the workspace's members and invitations.
// Depends on workspaces (roles, memberships) and shared/ (sessions, rate limits).
import type { Preparation } from '../../shared/db/preparation';
import type { Connection } from '../../shared/db/connect';
import type { RateLimitStore } from '../../shared/db/rate-limit-store';
import type { CsrfTokenFor } from '../../shared/http/sessions';
import type { WorkspaceService } from '../workspaces';
import { createAccountApiRouter, authenticateApi } from './account.api';
import { createAccountPagesRouter, loadPageActor } from './account.pages';
import { createAccountRepository } from './account.repository';
import { createAccountService } from './account.service';

export { apiActor, apiRouter } from './account.api';
export { pageActor, requireLogin } from './account.pages';
export type { AccountService } from './account.service';
export type { User } from './account.types';

export function createAccountsModule(deps: {
  conn: Connection;
  workspaces: WorkspaceService;
  rateLimits: RateLimitStore;
  limits: { perIp: number; perAccount: number };
  clock: () => Date;
  csrfToken: CsrfTokenFor;
  baseUrl: string;
  preparation: Preparation;
}) {
  const repository = createAccountRepository(deps.conn);
  deps.preparation.add({ name: 'accounts', run: () => repository.init() });
  const service = createAccountService({
    repository,
    workspaces: deps.workspaces,
    rateLimits: deps.rateLimits,
    limits: deps.limits,
    clock: deps.clock,
  });
  const pageDeps = {
    accounts: service,
    workspaces: deps.workspaces,
    csrfToken: deps.csrfToken,
    baseUrl: deps.baseUrl,
  };
  return {
    service,
    apiRouter: createAccountApiRouter({ accounts: service, workspaces: deps.workspaces }),
    authenticateApi: authenticateApi(service),
    loadPageActor: loadPageActor(pageDeps),
    pagesRouter: createAccountPagesRouter(pageDeps),
  };
}
