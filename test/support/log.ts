import { createLogger, type Logger } from '../../src/shared/logging';

export type LogLine = Readonly<{ msg?: string; level?: number; [key: string]: unknown }>;

export type MemoryLog = Readonly<{
  logger: Logger;
  /** Every line logged so far, parsed, in order. */
  lines: readonly LogLine[];
  /** How many lines so far have a message matching `pattern`. */
  count: (pattern: RegExp) => number;
  /**
   * Resolves once `count` lines in all have a message matching `pattern`: what the code under
   * test logs when it has done something in the background is the event a test waits for.
   */
  waitFor: (pattern: RegExp, count?: number) => Promise<void>;
}>;

/** A logger whose JSON lines are kept in memory, for assertions and for waiting on them. */
export function memoryLog(level = 'info'): MemoryLog {
  const lines: LogLine[] = [];
  const waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];
  const count = (pattern: RegExp) => lines.filter((l) => pattern.test(l.msg ?? '')).length;
  const wake = () => {
    for (const waiter of waiters.filter((w) => count(w.pattern) >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const destination = {
    write(text: string) {
      for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      wake();
    },
  };
  return {
    logger: createLogger({ level, destination }),
    lines,
    count,
    waitFor: (pattern, atLeast = 1) =>
      new Promise((resolve) => {
        waiters.push({ pattern, count: atLeast, resolve });
        wake();
      }),
  };
}
