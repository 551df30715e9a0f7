// Invitations: a round's invitees by e-mail, each with a personal link, and one reminder for
// those who have not answered (DESIGN.md, Participation). Mail goes through the shared outbox.
import type { Connection } from '../../shared/db/connect';
import type { Preparation } from '../../shared/db/preparation';
import { createInvitationApiRouter } from './invitation.api';
import { createInvitationPagesRouter } from './invitation.pages';
import { createInvitationRepository } from './invitation.repository';
import { createInvitationService, type InvitationServiceDeps } from './invitation.service';

export { invitationApi } from './invitation.api';
export { InvitationToken } from './invitation.schemas';
export type { InvitationService } from './invitation.service';

export function createInvitationsModule(
  deps: Omit<InvitationServiceDeps, 'repository' | 'ready'> & {
    conn: Connection;
    preparation: Preparation;
  },
) {
  const { conn, preparation, ...rest } = deps;
  const repository = createInvitationRepository(conn);
  preparation.add({ name: 'invitations', run: () => repository.init() });
  const service = createInvitationService({ ...rest, repository, ready: preparation.ready });
  return {
    service,
    apiRouter: createInvitationApiRouter({ invitations: service }),
    pagesRouter: createInvitationPagesRouter({ invitations: service }),
  };
}
