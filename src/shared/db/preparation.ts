import type { Logger } from '../logging';
import { onceUntilSuccess } from '../once';
import { describeDatabaseError } from './connect';

/** One step of preparing the database: a repository's indexes, built-in content. */
export type PreparationStep = Readonly<{ name: string; run: () => Promise<unknown> }>;

export type Preparation = Readonly<{
  /** Adds a step (a feature, while the app is wired): steps run in the order added. */
  add: (step: PreparationStep) => void;
  /**
   * Prepares in the background until it succeeds, retrying with back-off: server.ts calls it
   * at start, so the first request finds the database ready.
   */
  start: () => void;
  /**
   * Resolves once everything is prepared. Before that it joins the attempt under way (or
   * starts one) and fails with that attempt's error: a request then answers 503 while the
   * database is away, like any other query, and the next request tries again.
   */
  ready: () => Promise<void>;
}>;

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * The database's preparation, once for the whole app: the unique indexes that hold product
 * rules (one response per respondent key, one name per team) must exist before the first
 * write, and built-in questionnaires before the first read. Each feature adds its steps; the
 * requests wait for `ready` at the one readiness gate (shared/http/readiness.ts).
 */
export function createPreparation(options: { logger: Logger }): Preparation {
  const steps: PreparationStep[] = [];
  let began = false;
  /** The step under way or last failed, for the log. */
  let step = '';
  const prepare = onceUntilSuccess(async () => {
    began = true;
    for (const next of steps) {
      step = next.name;
      await next.run();
    }
  });

  function retry(delayMs: number): void {
    prepare().then(
      () => options.logger.info({ steps: steps.map((s) => s.name) }, 'database prepared'),
      (err: unknown) => {
        options.logger.warn(
          { err: describeDatabaseError(err), step, retryInMs: delayMs },
          `database not prepared yet (${step}); retrying`,
        );
        // unref: a retry never keeps the process alive (shutdown, tests).
        setTimeout(() => retry(Math.min(delayMs * 2, MAX_RETRY_MS)), delayMs).unref();
      },
    );
  }

  return {
    add: (next) => {
      if (began) throw new Error(`step ${next.name} added after preparing began`);
      steps.push(next);
    },
    start: () => retry(FIRST_RETRY_MS),
    ready: prepare,
  };
}
