import { everyAtMost } from '../../../src/shared/throttle';

describe('everyAtMost', () => {
  let now = 0;
  const clock = () => new Date(now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('runs at the first poke, then not again until the interval has passed', async () => {
    let runs = 0;
    const job = everyAtMost(
      1000,
      clock,
      () => Promise.resolve((runs += 1)),
      () => undefined,
    );

    await job.poke();
    now += 999;
    await job.poke();
    now += 1;
    await job.poke();

    expect(runs).toBe(2);
  });

  it('never runs twice at once', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const job = everyAtMost(
      0,
      clock,
      () => new Promise<void>((resolve) => ((runs += 1), (finish = resolve))),
      () => undefined,
    );

    const first = job.poke();
    void job.poke();
    finish();
    await first;

    expect(runs).toBe(1);
  });

  it('after a failure, reports it and tries again at the next poke', async () => {
    const errors: unknown[] = [];
    let attempts = 0;
    const job = everyAtMost(
      60_000,
      clock,
      () => (
        (attempts += 1),
        attempts === 1 ? Promise.reject(new Error('busy')) : Promise.resolve()
      ),
      (err) => errors.push(err),
    );

    await job.poke();
    await job.poke();
    await job.poke();

    expect(attempts).toBe(2);
    expect(errors).toEqual([new Error('busy')]);
  });
});
