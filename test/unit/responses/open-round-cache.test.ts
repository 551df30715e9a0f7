import { createOpenRoundCache } from '../../../src/features/responses/open-round-cache';

const entry = (roundId: string) => ({ round: { id: roundId } });

describe('createOpenRoundCache', () => {
  let now = 0;
  const clock = () => new Date(now);
  beforeEach(() => {
    now = 0;
  });

  it('serves an entry until it is ttl old, then forgets it', () => {
    const cache = createOpenRoundCache({ ttlMs: 5000, clock });
    cache.set('link', entry('r1'), cache.generation());

    now = 4999;
    expect(cache.get('link')).toEqual(entry('r1'));
    now = 5000;
    expect(cache.get('link')).toBeUndefined();
  });

  it('forgets every link of a round that changed', () => {
    const cache = createOpenRoundCache({ ttlMs: 5000, clock });
    cache.set('old-link', entry('r1'), cache.generation());
    cache.set('new-link', entry('r1'), cache.generation());
    cache.set('other', entry('r2'), cache.generation());

    cache.forgetRound('r1');

    expect(cache.get('old-link')).toBeUndefined();
    expect(cache.get('new-link')).toBeUndefined();
    expect(cache.get('other')).toEqual(entry('r2'));
  });

  it('does not store a round read before a forget: it may be the round that changed', () => {
    const cache = createOpenRoundCache({ ttlMs: 5000, clock });
    const readAt = cache.generation();
    // Meanwhile, the round is closed in this process.
    cache.forgetRound('r1');

    cache.set('link', entry('r1'), readAt);

    expect(cache.get('link')).toBeUndefined();
    cache.set('link', entry('r1'), cache.generation());
    expect(cache.get('link')).toEqual(entry('r1'));
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = createOpenRoundCache({ ttlMs: 5000, clock, maxEntries: 2 });
    cache.set('a', entry('r1'), cache.generation());
    cache.set('b', entry('r2'), cache.generation());
    cache.set('c', entry('r3'), cache.generation());

    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual(entry('r2'));
    expect(cache.get('c')).toEqual(entry('r3'));
  });
});
