import { ANSWERS_SETTLE_MS, answersAreFinal } from '../../../src/features/rounds';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('answersAreFinal', () => {
  it.each([
    ['a draft', { status: 'draft', closesAt: null, closedAt: null }, false],
    ['an open round', { status: 'open', closesAt: null, closedAt: null }, false],
    ['an open round closing later', { status: 'open', closesAt: later(1), closedAt: null }, false],
    ['a round closed just now', { status: 'closed', closesAt: null, closedAt: NOW }, false],
    [
      'a round closed 1 ms short of the settle time',
      { status: 'closed', closesAt: null, closedAt: ago(ANSWERS_SETTLE_MS - 1) },
      false,
    ],
    [
      'a round closed exactly the settle time ago',
      { status: 'closed', closesAt: null, closedAt: ago(ANSWERS_SETTLE_MS) },
      true,
    ],
    [
      'an open round whose closing date passed just now',
      { status: 'open', closesAt: ago(1), closedAt: null },
      false,
    ],
    [
      'an open round whose closing date passed the settle time ago',
      { status: 'open', closesAt: ago(ANSWERS_SETTLE_MS), closedAt: null },
      true,
    ],
  ] as const)('%s: %s', (_label, round, expected) => {
    expect(answersAreFinal(round, NOW)).toBe(expected);
  });
});
