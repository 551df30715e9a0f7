// Invitations: a round's invitees by e-mail, each with a personal link, and one reminder for
// those who have not answered (DESIGN.md, Participation). Mail goes through the shared outbox.
import type { Connection } from '../../shared/db/connect';
import type { Preparation } from '../../shared/db/preparation';
import type { Logger } from '../../shared/logging';
import { createInvitationApiRouter } from './invitation.api';
import { createInvitationPagesRouter } from './invitation.pages';
import { createInvitationRepository } from './invitation.repository';
import { createInvitationService, type InvitationServiceDeps } from './invitation.service';
import { createUsedMarks } from './used-marks';

/**
 * How long marks of anonymous rounds' used invitations wait (see used-marks.ts): at least 15
 * minutes and three of a round; a single one waits up to a day.
 */
const MARKS = { waitMs: 15 * 60_000, batch: 3, maxWaitMs: 24 * 3600_000 } as const;

export { InvitationToken } from './invitation.schemas';
export type { InvitationService } from './invitation.service';

export function createInvitationsModule(
  deps: Omit<InvitationServiceDeps, 'repository' | 'marks'> & {
    conn: Connection;
    preparation: Preparation;
    logger: Logger;
  },
) {
  const { conn, preparation, logger, ...rest } = deps;
  const repository = createInvitationRepository(conn);
  preparation.add({ name: 'invitations', run: () => repository.init() });
  const marks = createUsedMarks({
    ...MARKS,
    write: (roundId, ids) => repository.markUsed(roundId, ids),
    clock: deps.clock,
    onError: (err) => logger.warn({ err }, 'used invitations not marked yet; trying again'),
  });
  const service = createInvitationService({ ...rest, repository, marks });
  return {
    service,
    apiRouter: createInvitationApiRouter({ invitations: service }),
    pagesRouter: createInvitationPagesRouter({ invitations: service, baseUrl: deps.baseUrl }),
  };
}
