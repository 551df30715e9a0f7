import type { ServerResponse } from 'node:http';

/**
 * The process's state, shared by server.ts (which flips it and waits on it) and the HTTP
 * layer: whether it is shutting down, and which requests are still being handled.
 */
export type Lifecycle = Readonly<{
  isShuttingDown: () => boolean;
  beginShutdown: () => void;
  /**
   * Counts a request as being handled until its handler ends the response. That may be long
   * after its client has gone (a timeout, a closed tab): the server no longer counts such a
   * request, but its handler may still be waiting for the database.
   */
  track: (res: ServerResponse) => void;
  /** Resolves once no tracked request is being handled. */
  settled: () => Promise<void>;
}>;

export function createLifecycle(): Lifecycle {
  let shuttingDown = false;
  let handling = 0;
  let waiters: (() => void)[] = [];
  const done = () => {
    handling -= 1;
    if (handling > 0) return;
    waiters.forEach((resolve) => resolve());
    waiters = [];
  };
  return {
    isShuttingDown: () => shuttingDown,
    beginShutdown: () => {
      shuttingDown = true;
    },
    track(res) {
      handling += 1;
      // res.end is what every way of answering calls in the end (send, json, render,
      // redirect, the error handlers), whether or not the socket is still open: 'finish'
      // and 'close' cannot tell a finished handler from a client that left.
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      let ended = false;
      res.end = ((...args: unknown[]) => {
        if (!ended) {
          ended = true;
          done();
        }
        return end(...args);
      }) as ServerResponse['end'];
    },
    settled: () =>
      handling === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
  };
}
