import { createPreparation } from '../../../src/shared/db/preparation';
import { createLogger } from '../../../src/shared/logging';

const quiet = () => createLogger({ level: 'silent' });
const down = () => Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' });

describe('createPreparation', () => {
  it('runs its steps once, in the order added, however many wait for it', async () => {
    const ran: string[] = [];
    const preparation = createPreparation({ logger: quiet() });
    preparation.add({ name: 'teams', run: () => Promise.resolve(ran.push('teams')) });
    preparation.add({ name: 'rounds', run: () => Promise.resolve(ran.push('rounds')) });

    await Promise.all([preparation.ready(), preparation.ready()]);
    await preparation.ready();

    expect(ran).toEqual(['teams', 'rounds']);
  });

  it('fails a waiter with the failed attempt, and tries again at the next', async () => {
    let calls = 0;
    const preparation = createPreparation({ logger: quiet() });
    preparation.add({
      name: 'teams',
      run: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(down()) : Promise.resolve();
      },
    });

    await expect(preparation.ready()).rejects.toThrow('ECONNREFUSED');
    await expect(preparation.ready()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('when started, retries in the background with back-off until it succeeds', async () => {
    jest.useFakeTimers();
    try {
      const failures = 3;
      let calls = 0;
      const logger = quiet();
      const warn = jest.spyOn(logger, 'warn');
      const info = jest.spyOn(logger, 'info');
      const preparation = createPreparation({ logger });
      preparation.add({
        name: 'responses',
        run: () => {
          calls += 1;
          return calls <= failures ? Promise.reject(down()) : Promise.resolve();
        },
      });

      preparation.start();
      // 0.5 s, 1 s, 2 s between the attempts.
      for (const ms of [500, 1000, 2000]) await jest.advanceTimersByTimeAsync(ms);

      expect(calls).toBe(failures + 1);
      await expect(preparation.ready()).resolves.toBeUndefined();
      expect(calls).toBe(failures + 1);
      expect(info).toHaveBeenCalledWith({ steps: ['responses'] }, 'database prepared');
      expect(warn.mock.calls.map(([fields]) => fields)).toEqual([
        expect.objectContaining({ step: 'responses', retryInMs: 500 }),
        expect.objectContaining({ step: 'responses', retryInMs: 1000 }),
        expect.objectContaining({ step: 'responses', retryInMs: 2000 }),
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a step added once preparing began: it would never run', async () => {
    const preparation = createPreparation({ logger: quiet() });
    await preparation.ready();
    expect(() => preparation.add({ name: 'late', run: () => Promise.resolve() })).toThrow(
      'step late added after preparing began',
    );
  });
});
