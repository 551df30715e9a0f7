import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lifecycle } from '../../shared/lifecycle';
import type { Logger } from '../../shared/logging';
import type { SessionStatus } from './session.service';
import type { Session } from './session.types';

/** What the clients of a session know: its state and step, and the count. Nothing else. */
type Snapshot = Readonly<{
  version: number;
  state: string;
  step: number | null;
  n: number;
  expected: number | null;
  kReached: boolean;
  missingForK: number;
}>;

const snapshotOf = (status: SessionStatus): Snapshot => ({
  version: status.session.version,
  state: status.state,
  step: status.state === 'revealed' ? status.session.step : null,
  n: status.participation.n,
  expected: status.participation.expected,
  kReached: status.participation.kReached,
  missingForK: status.participation.missingForK,
});

/** An event's id: the state's version and the count, so a client resuming says what it saw. */
const idOf = (s: Snapshot) => `${s.version}.${s.n}`;

const countOf = (s: Snapshot) => ({
  n: s.n,
  expected: s.expected,
  kReached: s.kReached,
  missingForK: s.missingForK,
});
const stateOf = (s: Snapshot) => ({ state: s.state, step: s.step, version: s.version });

type Watched = {
  session: Session;
  clients: Set<ServerResponse>;
  last: Snapshot;
  timer: NodeJS.Timeout | null;
  /** A read is under way; `again` asks for one more after it (a change announced meanwhile). */
  reading: boolean;
  again: boolean;
};

/**
 * The live streams of a process (Server-Sent Events). Each watched session is read again every
 * `pollMs` while it has clients, whichever instance changed it or stored the answers (several
 * instances share one MongoDB), and at once when this process changed it; only what changed is
 * sent. A heartbeat comment keeps proxies from closing an idle stream. At shutdown every stream
 * ends: EventSource reconnects (to another instance) and resumes from its last event.
 */
export function createSessionEvents(deps: {
  /** The session's state and count now; null when it no longer exists. */
  read: (session: Session) => Promise<SessionStatus | null>;
  pollMs: number;
  heartbeatMs: number;
  lifecycle: Pick<Lifecycle, 'onShutdown'>;
  logger: Logger;
}) {
  const watched = new Map<string, Watched>();

  const send = (res: ServerResponse, name: 'count' | 'state', s: Snapshot) => {
    res.write(
      `id: ${idOf(s)}\nevent: ${name}\ndata: ${JSON.stringify(name === 'count' ? countOf(s) : stateOf(s))}\n\n`,
    );
  };

  const forget = (entry: Watched) => {
    if (entry.timer) clearInterval(entry.timer);
    watched.delete(entry.session.id);
  };

  async function refresh(entry: Watched): Promise<void> {
    if (entry.reading) {
      entry.again = true;
      return;
    }
    entry.reading = true;
    try {
      do {
        entry.again = false;
        const status = await deps.read(entry.session);
        if (!status) {
          // Replaced by a new session of the round: this one has ended for its clients.
          const ended = { ...entry.last, state: 'ended', version: entry.last.version + 1 };
          for (const res of entry.clients) {
            send(res, 'state', ended);
            res.end();
          }
          forget(entry);
          return;
        }
        const next = snapshotOf(status);
        const before = entry.last;
        entry.last = next;
        const stateChanged = next.version !== before.version || next.state !== before.state;
        const countChanged =
          next.n !== before.n ||
          next.expected !== before.expected ||
          next.kReached !== before.kReached;
        for (const res of entry.clients) {
          if (stateChanged) send(res, 'state', next);
          if (countChanged) send(res, 'count', next);
          if (next.state === 'ended') res.end();
        }
        if (next.state === 'ended') forget(entry);
      } while (entry.again && watched.has(entry.session.id));
    } catch (err) {
      // The database did not answer this time: the next tick tries again.
      deps.logger.warn({ err, sessionId: entry.session.id }, 'live session not read');
    } finally {
      entry.reading = false;
    }
  }

  const heartbeat = setInterval(() => {
    for (const entry of watched.values())
      for (const res of entry.clients) res.write(': heartbeat\n\n');
  }, deps.heartbeatMs);
  heartbeat.unref();

  deps.lifecycle.onShutdown(() => {
    clearInterval(heartbeat);
    for (const entry of watched.values()) {
      for (const res of entry.clients) res.end();
      forget(entry);
    }
  });

  return {
    /**
     * Streams a session's events to a client: the state and count at once (unless its
     * Last-Event-ID says it has seen them), then each change.
     */
    subscribe(req: IncomingMessage, res: ServerResponse, status: SessionStatus): void {
      const now = snapshotOf(status);
      const seen = req.headers['last-event-id'];
      if (now.state === 'ended' && seen === idOf(now)) {
        // An ended session's client has heard the end: 204 tells EventSource not to come back.
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-store, no-transform',
        // nginx and others buffer answers unless told not to: events must pass at once.
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      });
      // A client that lost its connection comes back after 1 s.
      res.write('retry: 1000\n\n');
      if (seen !== idOf(now)) {
        send(res, 'state', now);
        send(res, 'count', now);
      }
      if (now.state === 'ended') {
        res.end();
        return;
      }
      let entry = watched.get(status.session.id);
      if (!entry) {
        entry = {
          session: status.session,
          clients: new Set(),
          last: now,
          timer: null,
          reading: false,
          again: false,
        };
        const created = entry;
        created.timer = setInterval(() => void refresh(created), deps.pollMs);
        created.timer.unref();
        watched.set(status.session.id, created);
      }
      const own = entry;
      own.clients.add(res);
      req.on('close', () => {
        own.clients.delete(res);
        if (own.clients.size === 0 && watched.get(own.session.id) === own) forget(own);
      });
    },

    /** Something changed in this process (a state, an answer): its clients hear it now. */
    nudge(match: { sessionId?: string; roundId?: string }): void {
      for (const entry of watched.values())
        if (entry.session.id === match.sessionId || entry.session.roundId === match.roundId)
          void refresh(entry);
    },

    /** How many streams are open in this process (for the benchmark and tests). */
    clients: () => [...watched.values()].reduce((sum, e) => sum + e.clients.size, 0),
  };
}

export type SessionEvents = ReturnType<typeof createSessionEvents>;
