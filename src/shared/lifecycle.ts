/** The process's readiness state, shared by server.ts (which flips it) and the HTTP layer. */
export type Lifecycle = Readonly<{
  isShuttingDown: () => boolean;
  beginShutdown: () => void;
}>;

export function createLifecycle(): Lifecycle {
  let shuttingDown = false;
  return {
    isShuttingDown: () => shuttingDown,
    beginShutdown: () => {
      shuttingDown = true;
    },
  };
}
