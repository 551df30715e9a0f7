// Live sessions (DESIGN.md, Live session): a coach runs a round in a meeting. A presenter page
// for the shared screen, a facilitator page with the controls, and their event stream; before
// the reveal only the count leaves the server (enforced in session.service.ts). Depends on
// rounds, teams, reports, actions and the responses' live count through narrow interfaces
// passed in by app.ts.
import type { Connection } from '../../shared/db/connect';
import type { Preparation } from '../../shared/db/preparation';
import type { Lifecycle } from '../../shared/lifecycle';
import type { Logger } from '../../shared/logging';
import type { SignedLinks } from '../../shared/signed-links';
import { createSessionApiRouter } from './session.api';
import { createSessionEvents } from './session.events';
import { createFacilitatorPagesRouter, createPresenterPagesRouter } from './session.pages';
import { createSessionRepository } from './session.repository';
import { createSessionService, type SessionServiceDeps } from './session.service';

export function createSessionsModule(
  deps: Omit<SessionServiceDeps, 'repository' | 'changed' | 'presenterLinks'> & {
    conn: Connection;
    preparation: Preparation;
    lifecycle: Pick<Lifecycle, 'onShutdown'>;
    logger: Logger;
    presenterLinks: SignedLinks;
    /** How often a watched session is read again (other instances' changes and answers). */
    pollMs: number;
    heartbeatMs: number;
  },
) {
  const repository = createSessionRepository(deps.conn);
  deps.preparation.add({ name: 'sessions', run: () => repository.init() });
  // The streams read the service and the service tells the streams: built in this order.
  let nudge: (session: { id: string }) => void = () => undefined;
  const service = createSessionService({
    ...deps,
    repository,
    changed: (session) => nudge(session),
  });
  const events = createSessionEvents({
    read: (session) => service.current(session),
    pollMs: deps.pollMs,
    heartbeatMs: deps.heartbeatMs,
    lifecycle: deps.lifecycle,
    logger: deps.logger,
  });
  nudge = (session) => events.nudge({ sessionId: session.id });
  return {
    service,
    events,
    /** An answer was stored in this process: its round's streams hear it now, not at the next read. */
    answered: (roundId: string) => events.nudge({ roundId }),
    apiRouter: createSessionApiRouter({ sessions: service, events }),
    presenterPagesRouter: createPresenterPagesRouter({ sessions: service, rounds: deps.rounds }),
    facilitatorPagesRouter: createFacilitatorPagesRouter({
      sessions: service,
      rounds: deps.rounds,
    }),
  };
}
