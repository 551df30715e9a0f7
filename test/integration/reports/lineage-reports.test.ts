import type { Express } from 'express';
import { RoundReportDto, TrendDto } from '../../../src/features/reports';
import { movingClock } from '../../support/app';
import { loggedInAgent } from '../../support/auth';
import { type Account, type Api, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { all } from '../../support/html';
import { aDefinition, aTensionItem } from '../../support/factories';

/**
 * Questionnaire lineage in the reports (DESIGN.md): a workspace questionnaire's version 2
 * rewords one tension ("pace", still comparable) and changes the meaning of another ("scope",
 * not comparable). A team answers a round on each version; the second round's summary, its
 * follow-up of the actions agreed on the first, and the team's trend compare the reworded item
 * and call the changed one "not comparable", in the JSON and on the pages.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let slugs = 0;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({ clock: movingClock() }));
});
afterAll(() => db.drop());

const pace = (right: string) =>
  aTensionItem({
    id: 'pace',
    prompt: 'How fast do we go?',
    left: { label: 'Slow', good: 'Careful.', risk: 'Late.' },
    right: { label: right, good: 'Early.', risk: 'Sloppy.' },
  });
const scope = (prompt: string) =>
  aTensionItem({
    id: 'scope',
    prompt,
    left: { label: 'Narrow', good: 'Focused.', risk: 'Blinkered.' },
    right: { label: 'Wide', good: 'Open.', risk: 'Scattered.' },
  });

/** Version 1, then version 2 that rewords "pace" and changes the meaning of "scope". */
async function aRevisedQuestionnaire() {
  slugs += 1;
  const slug = `revised-${slugs}`;
  const version = (items: object[], lineage?: Record<string, string>) =>
    api.questionnaire({
      ...aDefinition({
        slug,
        version: undefined,
        title: 'Revised',
        sections: [{ id: 'main', title: 'Main', items: items as never }],
      }),
      ...(lineage ? { lineage } : {}),
    });
  await version([pace('Fast'), scope('How much do we take on?')]);
  return {
    slug,
    publishV2: () =>
      version([pace('Quick'), scope('How many stakeholders do we listen to?')], {
        pace: 'reworded',
        scope: 'changed',
      }),
  };
}

/** A round answered by one person per [pace, scope] pair. */
async function aRound(slug: string, teamId: string, answers: [number, number][]) {
  const people = answers.map(([p, s]) => ({
    answers: [
      { itemId: 'pace', value: p },
      { itemId: 'scope', value: s },
    ],
  }));
  return (await api.answeredRound({ slug, teamId, title: `Round on ${slug}` }, people)).roundId;
}

const LOW: [number, number][] = [
  [2, 2],
  [2, 2],
  [3, 3],
];
const HIGH: [number, number][] = [
  [5, 6],
  [5, 6],
  [6, 7],
];

/** The team's two rounds, one per version, with an action on each item agreed after round 1. */
async function twoRounds() {
  const { slug, publishV2 } = await aRevisedQuestionnaire();
  const teamId = await api.team();
  const first = await aRound(slug, teamId, LOW);
  for (const itemId of ['pace', 'scope']) {
    await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: first,
      itemId,
      pole: 'right',
      title: `Work on ${itemId}`,
    });
  }
  await publishV2();
  const second = await aRound(slug, teamId, HIGH);
  return { slug, teamId, first, second };
}

describe('a round on a version that rewords one item and changes the meaning of another', () => {
  it('compares the reworded item since the previous round and calls the changed one not comparable', async () => {
    const { first, second } = await twoRounds();

    const report = RoundReportDto.parse((await api.get(`/rounds/${second}/report`)).body);
    expect(report.questionnaire.version).toBe(2);
    expect(report.summary.previous).toMatchObject({
      roundId: first,
      version: 1,
      versionChanged: true,
    });
    expect(report.summary.changes).toEqual([
      expect.objectContaining({ itemId: 'pace', before: 7 / 3, after: 16 / 3 }),
    ]);
    expect(report.summary.notComparable).toBe(1);
    expect(report.summary.notComparableItems).toEqual([
      { itemId: 'scope', number: 2, title: 'How many stakeholders do we listen to?' },
    ]);

    const page = await (await loggedInAgent(app, coach.email)).get(`/reports/rounds/${second}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      'Not comparable: the meaning of this item changed between version 1 and version 2 of the questionnaire.',
    );
    expect(page.text).toContain(
      '<a href="#item-scope">How many stakeholders do we listen to?</a>: not comparable',
    );
  });

  it('follows up the action on the changed item as not comparable, and compares the reworded one', async () => {
    const { second } = await twoRounds();

    const report = RoundReportDto.parse((await api.get(`/rounds/${second}/report`)).body);
    const byItem = Object.fromEntries(report.actions.map((a) => [a.item!.id, a]));
    expect(byItem.scope).toMatchObject({
      comparison: 'not-comparable',
      before: null,
      after: null,
      change: null,
      towardsTarget: null,
    });
    expect(byItem.pace).toMatchObject({ comparison: 'compared', towardsTarget: true });
    expect(byItem.pace!.change).toBeCloseTo(3, 10);

    const page = await (await loggedInAgent(app, coach.email)).get(`/reports/rounds/${second}`);
    expect(page.text).toContain(
      'Not comparable: a new version of the questionnaire changed the meaning of this item',
    );
    expect(page.text).toContain('Mean 2.33 → 5.33 (+3.00)');
  });
});

describe('the trend of a team across the two versions', () => {
  it('joins the reworded item’s rounds and breaks the changed one’s, as not comparable', async () => {
    const { slug, teamId, first, second } = await twoRounds();

    const res = await api.get(`/teams/${teamId}/trend?questionnaire=${slug}`);
    expect(res.status).toBe(200);
    const trend = TrendDto.parse(res.body);
    expect(trend.rounds.map((r) => [r.roundId, r.version, r.notComparable])).toEqual([
      [first, 1, []],
      [second, 2, ['scope']],
    ]);

    const page = await (
      await loggedInAgent(app, coach.email)
    ).get(`/reports/teams/${teamId}/trend?questionnaire=${slug}`);
    expect(page.status).toBe(200);
    const charts = all(page.text, /<figure class="positions">([\s\S]*?)<\/figure>/g);
    const pace = charts.find((c) => c.includes('How fast do we go?'))!;
    const scope = charts.find((c) => c.includes('How many stakeholders do we listen to?'))!;
    expect(pace).toContain('5.33 (+3.00)');
    expect(pace).not.toContain('not comparable');
    expect(scope).toContain('6.33 (not comparable)');
    expect(scope).toContain(
      'Its meaning changed in version 2 of the questionnaire: rounds from “2. Round on',
    );
    expect(scope).not.toContain('class="chart-arrow"');
    expect(page.text).toContain('meaning changed: not comparable');
  });
});

describe('comparing rounds of a fork and of its origin', () => {
  it('puts them side by side and lists the item whose meaning the fork changed as not comparable', async () => {
    slugs += 1;
    const origin = `origin-${slugs}`;
    const fork = `fork-${slugs}`;
    const items = (slug: string, right: string, scopePrompt: string) =>
      aDefinition({
        slug,
        version: undefined,
        title: slug,
        sections: [
          { id: 'main', title: 'Main', items: [pace(right), scope(scopePrompt)] as never },
        ],
      });
    await api.questionnaire(items(origin, 'Fast', 'How much do we take on?'));
    expect(
      (await api.post(`/questionnaires/${origin}/fork`, { slug: fork, title: fork })).status,
    ).toBe(201);
    // The fork's first edit, relative to its origin: "pace" reworded, "scope" another question.
    const edited = await api.post('/questionnaires', {
      ...items(fork, 'Quick', 'How many stakeholders do we listen to?'),
      lineage: { pace: 'reworded', scope: 'changed' },
    });
    expect(edited.status).toBe(200);
    const a = await aRound(origin, await api.team(), LOW);
    const b = await aRound(fork, await api.team(), HIGH);

    const res = await api.get(`/reports/compare?rounds=${a}&rounds=${b}`);
    expect(res.status).toBe(200);
    const teams = (res.body as { teams: { roundId: string; notComparable: string[] }[] }).teams;
    expect(Object.fromEntries(teams.map((t) => [t.roundId, t.notComparable]))).toEqual({
      [a]: [],
      [b]: ['scope'],
    });

    // The page: the fork's round is offered with the origin's, and the changed item is marked.
    const agent = await loggedInAgent(app, coach.email);
    const picker = await agent.get(`/reports/compare?questionnaire=${origin}`);
    expect(picker.text).toContain(
      `<option value="${b}" selected>Round on ${fork} (${fork})</option>`,
    );
    const page = await agent.get(`/reports/compare?rounds=${a}&rounds=${b}`);
    expect(page.status).toBe(200);
    const charts = all(page.text, /<figure class="positions">([\s\S]*?)<\/figure>/g);
    expect(charts.find((c) => c.includes('How fast do we go?'))).not.toContain('not comparable');
    expect(charts.find((c) => c.includes('How much do we take on?'))).toContain(
      '6.33 (not comparable)',
    );

    // A questionnaire that shares no history with them is still refused.
    const other = await aRevisedQuestionnaire();
    const c = await aRound(other.slug, await api.team(), LOW);
    const refused = await api.get(`/reports/compare?rounds=${a}&rounds=${c}`);
    expect([refused.status, refused.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
