import { QuestionnaireDefinition } from '../../../src/features/questionnaires';
import type { ResponseText, RoundCounts } from '../../../src/features/responses';
import type { Round } from '../../../src/features/rounds';
import type { ItemReport } from '../../../src/features/reports/report.types';
import { buildRoundReport } from '../../../src/features/reports/round-report';
import {
  aDcfItem,
  aDefinition,
  aMaturityItem,
  aPracticeItem,
  aTensionItem,
} from '../../support/factories';

/**
 * The report built from plain counts, as the tallies give them: the anonymity rule and what
 * each kind of item shows, without a database.
 */

const TENSION = 'plan-or-adapt';
const MATURITY = 'visible-work';
const PRACTICE = 'dashboard-decision';
const DCF = 'effort';

const definition = QuestionnaireDefinition.parse(
  aDefinition({
    sections: [
      {
        id: 'main',
        title: 'Main',
        items: [aTensionItem({ askDesired: true }), aMaturityItem(), aPracticeItem(), aDcfItem()],
      },
    ],
  }),
);

function aRound(overrides: Partial<Round> = {}): Round {
  return {
    id: 'r1',
    workspaceId: 'w1',
    teamId: 't1',
    teamName: 'Team',
    invited: 0,
    questionnaire: { id: 'q1', slug: definition.slug, version: 1, title: definition.title },
    title: 'Autumn',
    anonymity: 'anonymous',
    access: 'link',
    minGroupSize: 3,
    status: 'closed',
    closesAt: null,
    linkToken: 'token',
    createdAt: new Date('2026-10-01T00:00:00Z'),
    openedAt: new Date('2026-10-01T00:00:00Z'),
    closedAt: new Date('2026-10-08T00:00:00Z'),
    ...overrides,
  };
}

type Row = RoundCounts['answers'][number];
/** `n` answers of `value` (null: "can't say", or a practice text without a rating). */
const answer = (itemId: string, value: number | null, n: number, more: Partial<Row> = {}): Row => ({
  itemId,
  value,
  desired: null,
  atRisk: null,
  n,
  ...more,
});
const votes = (aspect: string, driver: number, constraint: number, float: number) =>
  (['driver', 'constraint', 'float'] as const).map((cls, i) => ({
    itemId: DCF,
    aspect,
    class: cls,
    n: [driver, constraint, float][i]!,
  }));

/** Four people answered every item; each wrote a practice text and a tension's "why?". */
const FOUR: RoundCounts = {
  n: 4,
  answers: [
    answer(TENSION, 2, 2, { desired: 5 }),
    answer(TENSION, 3, 1, { desired: 5 }),
    answer(TENSION, null, 1, { desired: 6 }),
    answer(MATURITY, 3, 4),
    answer(PRACTICE, 4, 3),
    answer(PRACTICE, null, 1),
    answer(DCF, null, 3, { atRisk: false }),
    answer(DCF, null, 1, { atRisk: true }),
  ],
  votes: [...votes('scope', 4, 0, 0), ...votes('date', 1, 2, 1), ...votes('cost', 0, 0, 4)],
};
const TEXTS: ResponseText[] = [
  { itemId: TENSION, text: 'We replan weekly', name: 'Ana' },
  { itemId: PRACTICE, text: 'Quarterly budget', name: 'Ben' },
];
const TEAM = { name: 'Ops', expectedSize: 6 };

function itemOf<K extends ItemReport['kind']>(
  items: readonly ItemReport[],
  kind: K,
): Extract<ItemReport, { kind: K }> {
  return items.find((i): i is Extract<ItemReport, { kind: K }> => i.kind === kind)!;
}

const build = (counts: RoundCounts, round = aRound(), texts = TEXTS) =>
  buildRoundReport(round, TEAM, definition, counts, texts);

describe('buildRoundReport: the anonymity rule (k)', () => {
  it('when fewer than k responded to an anonymous round, shows no figure and no text at all', () => {
    const counts: RoundCounts = {
      n: 2,
      answers: [
        answer(TENSION, 2, 2, { desired: 5 }),
        answer(MATURITY, 3, 2),
        answer(PRACTICE, 4, 2),
        answer(DCF, null, 2, { atRisk: true }),
      ],
      votes: votes('scope', 2, 0, 0),
    };

    const report = build(counts);

    expect(report.suppressed).toBe(true);
    expect(report.n).toBe(2);
    expect(report.participation).toMatchObject({ n: 2, expected: 6, kReached: false });
    expect(report.items.every((i) => i.suppressed && i.n === 0)).toBe(true);
    expect(itemOf(report.items, 'tension')).toMatchObject({
      figures: null,
      cantSay: null,
      lean: null,
      desired: null,
      gap: null,
      comments: [],
    });
    expect(itemOf(report.items, 'maturity')).toMatchObject({ figures: null, score100: null });
    expect(itemOf(report.items, 'practice')).toMatchObject({
      figures: null,
      answered: null,
      comments: [],
    });
    expect(itemOf(report.items, 'dcf')).toMatchObject({ atRiskShare: null, aspects: [] });
    expect(report.dimensions).toEqual([
      expect.objectContaining({ key: 'ways', suppressed: true, score: null, score100: null }),
    ]);
    expect(report.discuss).toEqual([]);
    expect(JSON.stringify(report)).not.toContain('We replan weekly');
    expect(JSON.stringify(report)).not.toContain('Quarterly budget');
  });

  it('when the round reaches k, hides only the items fewer than k answered', () => {
    const counts: RoundCounts = {
      ...FOUR,
      answers: [answer(TENSION, 2, 2), ...FOUR.answers.filter((a) => a.itemId !== TENSION)],
    };

    const report = build(counts);

    expect(report.suppressed).toBe(false);
    expect(itemOf(report.items, 'tension')).toMatchObject({
      suppressed: true,
      n: 0,
      figures: null,
      comments: [],
    });
    expect(itemOf(report.items, 'maturity')).toMatchObject({ suppressed: false, n: 4 });
    expect(JSON.stringify(report)).not.toContain('We replan weekly');
  });

  it('keeps a practice item’s comments when its ratings are below k (the round reached k)', () => {
    const counts: RoundCounts = {
      ...FOUR,
      answers: [
        answer(PRACTICE, 4, 2),
        answer(PRACTICE, null, 2),
        ...FOUR.answers.filter((a) => a.itemId !== PRACTICE),
      ],
    };

    const practice = itemOf(build(counts).items, 'practice');

    expect(practice).toMatchObject({
      suppressed: true,
      n: 0,
      figures: null,
      answered: 4,
      comments: [{ text: 'Quarterly budget' }],
    });
    expect(practice.discussion.discuss).toBe(false);
  });

  it('shows a tension’s desired position only when k people gave one', () => {
    const counts: RoundCounts = {
      ...FOUR,
      answers: [
        answer(TENSION, 2, 2, { desired: 5 }),
        answer(TENSION, 3, 2),
        ...FOUR.answers.filter((a) => a.itemId !== TENSION),
      ],
    };

    const tension = itemOf(build(counts).items, 'tension');

    expect(tension).toMatchObject({ suppressed: false, n: 4, desired: null, gap: null });
  });

  it('leaves out names in anonymous rounds and keeps them in named ones', () => {
    const anonymous = build(FOUR);
    const named = build(FOUR, aRound({ anonymity: 'named' }));

    expect(itemOf(anonymous.items, 'tension').comments).toEqual([{ text: 'We replan weekly' }]);
    expect(itemOf(named.items, 'tension').comments).toEqual([
      { text: 'We replan weekly', name: 'Ana' },
    ]);
    expect(itemOf(named.items, 'practice').comments).toEqual([
      { text: 'Quarterly budget', name: 'Ben' },
    ]);
  });

  it('applies no k to a named round: one response shows its figures', () => {
    const counts: RoundCounts = { n: 1, answers: [answer(MATURITY, 4, 1)], votes: [] };

    const report = build(counts, aRound({ anonymity: 'named', minGroupSize: 5 }));

    expect(report.suppressed).toBe(false);
    expect(itemOf(report.items, 'maturity')).toMatchObject({ suppressed: false, n: 1 });
    expect(itemOf(report.items, 'maturity').figures?.mean).toBe(4);
  });
});

describe('buildRoundReport: each kind', () => {
  const report = build(FOUR);

  it('tension: figures of the answers, "can\'t say" counted apart, lean, desired and gap, comments', () => {
    const tension = itemOf(report.items, 'tension');

    expect(tension).toMatchObject({
      number: 1,
      title: 'Do we follow the plan or adapt it?',
      suppressed: false,
      n: 3,
      points: 7,
      cantSay: 1,
      lean: 'left',
      left: { label: 'Plan' },
      right: { label: 'Adapt' },
      comments: [{ text: 'We replan weekly' }],
    });
    expect(tension.figures).toMatchObject({ n: 3, histogram: [0, 2, 1, 0, 0, 0, 0] });
    expect(tension.figures?.mean).toBeCloseTo(7 / 3);
    expect(tension.desired).toMatchObject({ n: 4, histogram: [0, 0, 0, 0, 3, 1, 0] });
    expect(tension.gap).toBeCloseTo(5.25 - 7 / 3);
  });

  it('maturity: figures, the level labels, the 0–100 score, and the dimension score', () => {
    const maturity = itemOf(report.items, 'maturity');

    expect(maturity).toMatchObject({ suppressed: false, n: 4, points: 5, cantSay: 0 });
    expect(maturity.figures).toMatchObject({ histogram: [0, 0, 4, 0, 0], mean: 3, consensus: 1 });
    expect(maturity.levels).toEqual(['Not yet', 'Emerging', 'Practised', 'Established', 'Shaping']);
    expect(maturity.score100).toBe(50);
    expect(report.dimensions).toEqual([
      {
        key: 'ways',
        label: 'Ways of working',
        description: 'How we work.',
        suppressed: false,
        score: 3,
        score100: 50,
        itemIds: [TENSION, MATURITY, PRACTICE, DCF],
      },
    ]);
  });

  it('practice: n and figures of the ratings, everyone who answered, the texts', () => {
    const practice = itemOf(report.items, 'practice');

    expect(practice).toMatchObject({
      suppressed: false,
      n: 3,
      points: 5,
      ratingQuestion: 'How well?',
      answered: 4,
      comments: [{ text: 'Quarterly budget' }],
    });
    expect(practice.figures).toMatchObject({ n: 3, histogram: [0, 0, 0, 3, 0], mean: 4 });
  });

  it('dcf: respondents, the share at risk, each aspect’s shares and whether it is disputed', () => {
    const dcf = itemOf(report.items, 'dcf');

    expect(dcf).toMatchObject({ suppressed: false, n: 4, atRiskShare: 0.25 });
    expect(dcf.aspects).toEqual([
      { key: 'scope', label: 'Scope', n: 4, driver: 1, constraint: 0, float: 0, disputed: false },
      {
        key: 'date',
        label: 'Date',
        n: 4,
        driver: 0.25,
        constraint: 0.5,
        float: 0.25,
        disputed: true,
      },
      { key: 'cost', label: 'Cost', n: 4, driver: 0, constraint: 0, float: 1, disputed: false },
    ]);
  });

  it('lists the items to discuss, highest priority first, with what the list says beside them', () => {
    expect(report.discuss.map((d) => d.itemId)).toEqual([TENSION, DCF]);
    expect(report.discuss[0]).toMatchObject({
      kind: 'tension',
      reasons: ['gap'],
      lean: 'left',
      left: 'Plan',
      right: 'Adapt',
      disputed: [],
    });
    expect(report.discuss[1]).toMatchObject({ kind: 'dcf', consensus: null, disputed: ['Date'] });
    expect(report.discuss[0]!.priority).toBeGreaterThan(report.discuss[1]!.priority);
  });

  it('names the round, its team and questionnaire as given (the status is the caller’s)', () => {
    const open = build(FOUR, aRound({ status: 'open' }));

    expect(open.round).toMatchObject({ id: 'r1', title: 'Autumn', status: 'open' });
    expect(open.team).toEqual({ id: 't1', name: 'Ops' });
    expect(open.questionnaire).toEqual({
      slug: 'test-questionnaire',
      version: 1,
      title: 'Test questionnaire',
    });
    expect(open.participation).toMatchObject({ n: 4, expected: 6, kReached: true });
  });
});
