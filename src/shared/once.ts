/**
 * Runs `task` once and shares its promise; after a failure the next call tries again. For
 * preparation that needs the database (indexes, built-in data): a database that was down at
 * start is prepared as soon as it answers.
 */
export function onceUntilSuccess(task: () => Promise<unknown>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () =>
    (done ??= task().then(
      () => undefined,
      (err: unknown) => {
        done = undefined;
        throw err;
      },
    ));
}
