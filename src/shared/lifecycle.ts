import type { ServerResponse } from 'node:http';

/**
 * The process's state, shared by server.ts (which flips it and waits on it) and the HTTP
 * layer: whether it is shutting down, and which requests are still being handled.
 */
export type Lifecycle = Readonly<{
  isShuttingDown: () => boolean;
  beginShutdown: () => void;
  /**
   * Calls back when shutdown begins: what never ends by itself (an event stream) ends then,
   * so that the server can close (its client reconnects, to another instance).
   */
  onShutdown: (listener: () => void) => void;
  /**
   * Counts a request as being handled until its handler ends the response. That may be long
   * after its client has gone (a timeout, a closed tab): the server no longer counts such a
   * request, but its handler may still be waiting for the database.
   */
  track: (res: ServerResponse) => void;
  /** Resolves once no tracked request is being handled. */
  settled: () => Promise<void>;
  /** Work to finish before the database closes (server.ts runs it after the last request). */
  atStop: (task: () => Promise<void>) => void;
  /** Runs every atStop task; a failing one does not stop the others. */
  runStopTasks: () => Promise<PromiseSettledResult<void>[]>;
}>;

export function createLifecycle(): Lifecycle {
  let shuttingDown = false;
  let handling = 0;
  /** Responses being handled whose headers are not yet sent: told to close at shutdown. */
  const unsent = new Set<ServerResponse>();
  let waiters: (() => void)[] = [];
  const stopTasks: (() => Promise<void>)[] = [];
  const shutdownListeners: (() => void)[] = [];
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
      // Answers already in flight end their connection too, or a persistent client would hold
      // the shutdown until its keep-alive timeout (later requests get it from the HTTP layer).
      for (const res of unsent) if (!res.headersSent) res.setHeader('Connection', 'close');
      unsent.clear();
      for (const listener of shutdownListeners) listener();
    },
    onShutdown: (listener) => {
      shutdownListeners.push(listener);
    },
    track(res) {
      handling += 1;
      unsent.add(res);
      let ended = false;
      const finish = () => {
        unsent.delete(res);
        if (ended) return;
        ended = true;
        done();
      };
      // A handler is done when it ends the response: every way of answering (send, json,
      // render, redirect, the error handlers) calls res.end, even after the client has gone,
      // which 'finish' and 'close' alone cannot tell from a handler still at work.
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        finish();
        return end(...args);
      }) as ServerResponse['end'];
      // Except a response cut off while it was being sent (a stream whose client left, an
      // error after the headers): nothing will end it, and no handler is still at work.
      res.once('close', () => {
        if (res.headersSent && !res.writableEnded) finish();
      });
    },
    atStop: (task) => {
      stopTasks.push(task);
    },
    runStopTasks: () => Promise.allSettled(stopTasks.map((task) => task())),
    settled: () =>
      handling === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
  };
}
