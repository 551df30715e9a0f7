import type { Express } from 'express';
import { Ajv2020 } from 'ajv/dist/2020';
import { RoundReportDto } from '../../../src/features/reports';
import { movingClock, openApiDocumentOf } from '../../support/app';
import { loggedInAgent } from '../../support/auth';
import { type Account, type Api, apiSignup, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { aDefinition, aMaturityItem, aPracticeItem, aTensionItem } from '../../support/factories';

/**
 * What a report says must be true on every output (page, API, CSV, JSON, comparison, trend):
 * a split team is called split, the discuss list follows DESIGN.md's priority, practice items
 * count ratings and respondents apart, the summary compares with the team's previous round.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let slugs = 0;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({ clock: movingClock() }));
});
afterAll(() => db.drop());

/** Three tensions (two asking where the team wants to be), a maturity item, a rated practice. */
async function aQuestionnaire(): Promise<string> {
  slugs += 1;
  const slug = `honest-${slugs}`;
  await api.questionnaire(
    aDefinition({
      slug,
      version: undefined,
      title: `Honest readings ${slugs}`,
      sections: [
        {
          id: 'main',
          title: 'Main',
          items: [
            aTensionItem({ id: 'polar', askDesired: true }),
            aTensionItem({ id: 'wish', askDesired: true }),
            aTensionItem({ id: 'calm' }),
            aMaturityItem({ id: 'level' }),
            aPracticeItem({ id: 'reflect' }),
          ],
        },
      ],
    }),
  );
  return slug;
}

type Answer = { itemId: string; value?: number; desired?: number; text?: string; rating?: number };

async function aRound(slug: string, teamId: string, title: string, people: Answer[][]) {
  const round = await api.answeredRound(
    { slug, teamId, title },
    people.map((answers) => ({ answers })),
  );
  return round.roundId;
}

/** Six people: polar 1, 1, 2, 6, 7, 7 (split; mean 4); wish 2 → 5; calm all 4. */
const POLAR = [1, 1, 2, 6, 7, 7];
const SIX: Answer[][] = POLAR.map((value, i) => [
  { itemId: 'polar', value, desired: 4 },
  { itemId: 'wish', value: 2, desired: 5 },
  { itemId: 'calm', value: 4 },
  { itemId: 'level', value: 3 },
  {
    itemId: 'reflect',
    ...(i < 3 ? { rating: 5 - i } : {}),
    ...(i === 0 || i >= 3 ? { text: `Note ${i}` } : {}),
  },
]);

const itemOf = (report: { items: { itemId: string }[] }, id: string) =>
  report.items.find((i) => i.itemId === id) as Record<string, unknown>;

describe('a split team', () => {
  it('reads "split" on the page, in the API, the CSV, the JSON, the comparison and the trend', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    const roundId = await aRound(slug, teamId, 'Split round', SIX);
    const agent = await loggedInAgent(app, coach.email);

    const report = await api.get(`/rounds/${roundId}/report`);
    const csv = await api.get(`/rounds/${roundId}/export.csv?part=items`);
    const json = await api.get(`/rounds/${roundId}/export.json`);
    const compare = await api.get(`/reports/compare?rounds=${roundId}`);
    const trend = await api.get(`/teams/${teamId}/trend?questionnaire=${slug}`);
    const page = await agent.get(`/reports/rounds/${roundId}`);
    const comparePage = await agent.get(`/reports/compare?rounds=${roundId}`);

    expect(report.status).toBe(200);
    expect(itemOf(report.body, 'polar')).toMatchObject({ mean: 4, lean: 'split' });
    expect(itemOf(report.body, 'calm')).toMatchObject({ lean: 'balanced' });
    expect(report.body.summary.tensions[0]).toMatchObject({ itemId: 'polar', lean: 'split' });
    const header = csv.text.split('\r\n')[0]!.replace('\uFEFF', '').split(',');
    const row = csv.text
      .split('\r\n')
      .find((r) => r.includes(',polar,'))!
      .split(',');
    expect(row[header.indexOf('lean')]).toBe('split');
    expect(itemOf(json.body.report, 'polar')).toMatchObject({ lean: 'split' });
    expect(compare.body.teams[0].tensions[0]).toMatchObject({ itemId: 'polar', lean: 'split' });
    expect(trend.body.rounds[0].tensions[0]).toMatchObject({ itemId: 'polar', lean: 'split' });
    expect(page.text).toContain(
      'The team is split: some pull towards “Plan”, others towards “Adapt”.',
    );
    const polarCard = page.text.slice(
      page.text.indexOf('id="item-polar"'),
      page.text.indexOf('id="item-wish"'),
    );
    expect(polarCard).not.toContain('holds a balance');
    // Both poles' good and risk are shown for a split team.
    expect(polarCard).toContain('Predictable for partners.');
    expect(polarCard).toContain('Hard for partners to rely on.');
    expect(comparePage.text).toMatch(
      /heat--split"><strong>4\.0<\/strong><br><span class="consensus">◀ split ▶/,
    );
  });
});

describe('the discuss list', () => {
  it('is ordered by priority, carries its reasons, and puts the gap into words', async () => {
    const slug = await aQuestionnaire();
    const roundId = await aRound(slug, await api.team(), 'Discuss round', SIX);
    const agent = await loggedInAgent(app, coach.email);

    const report = (await api.get(`/rounds/${roundId}/report`)).body;
    const page = await agent.get(`/reports/rounds/${roundId}`);

    // polar: split, consensus low, desired 4 = mean 4 (no gap); wish: unanimous, gap +3.
    const polar = itemOf(report, 'polar');
    const wish = itemOf(report, 'wish');
    expect(polar).toMatchObject({ discuss: true, discussReasons: ['disagreement'], gap: 0 });
    expect(wish).toMatchObject({ discuss: true, discussReasons: ['gap'], consensus: 1, gap: 3 });
    expect(wish.priority).toBeCloseTo(0 + 3 / 6, 12);
    expect(polar.priority).toBeCloseTo(1 - (polar.consensus as number), 12);
    expect(itemOf(report, 'calm')).toMatchObject({
      discuss: false,
      discussReasons: [],
      priority: null,
    });
    const expectedOrder = [polar, wish]
      .sort((a, b) => (b.priority as number) - (a.priority as number))
      .map((i) => i.itemId);
    expect(report.discuss.map((d: { itemId: string }) => d.itemId)).toEqual(expectedOrder);
    expect(report.summary.discuss).toEqual(report.discuss);
    expect(page.text).toContain('wants to move +3.0 towards “Adapt”');
    expect(page.text).toMatch(/split \(consensus 0\.\d\d\)/);
    // One number per line: no "1. 1." double numbering.
    expect(page.text).not.toMatch(/<li><a[^>]*>\d+\. /);
  });
});

describe('practice items', () => {
  it('count ratings as n and everyone who rated or wrote as answered (DESIGN.md)', async () => {
    const slug = await aQuestionnaire();
    const roundId = await aRound(slug, await api.team(), 'Practice round', SIX);

    const item = itemOf((await api.get(`/rounds/${roundId}/report`)).body, 'reflect');

    // Ratings 5, 4, 3 (the first with a text too), then three texts only.
    expect(item).toMatchObject({
      suppressed: false,
      n: 3,
      answered: 6,
      histogram: [0, 0, 1, 1, 1],
    });
    expect(item.comments).toHaveLength(4);
  });

  it('show no figure, n included, when fewer than k rated; answered and comments still from k on', async () => {
    const slug = await aQuestionnaire();
    const people = SIX.map((answers, i) =>
      answers.map((a) =>
        a.itemId === 'reflect'
          ? { itemId: 'reflect', text: `Text ${i}`, ...(i < 2 ? { rating: 4 } : {}) }
          : a,
      ),
    );
    const roundId = await aRound(slug, await api.team(), 'Few ratings', people);
    const agent = await loggedInAgent(app, coach.email);

    const item = itemOf((await api.get(`/rounds/${roundId}/report`)).body, 'reflect');
    const csv = await api.get(`/rounds/${roundId}/export.csv?part=items`);
    const page = await agent.get(`/reports/rounds/${roundId}`);

    expect(item).toMatchObject({ suppressed: true, answered: 6 });
    for (const figure of ['n', 'histogram', 'mean', 'median', 'sd', 'consensus'])
      expect(item).not.toHaveProperty(figure);
    expect(item.comments).toHaveLength(6);
    const header = csv.text.split('\r\n')[0]!.replace('\uFEFF', '').split(',');
    const row = csv.text
      .split('\r\n')
      .find((r) => r.includes(',reflect,'))!
      .split(',');
    expect(row[header.indexOf('n')]).toBe('');
    expect(row[header.indexOf('mean')]).toBe('');
    expect(page.text).toContain('Fewer ratings than the minimum group size: not shown.');
  });
});

describe('the summary', () => {
  it('compares with the team’s previous round of the questionnaire: the largest moves first', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    const before = SIX.map((answers) =>
      answers.map((a) =>
        a.itemId === 'level' ? { ...a, value: 1 } : a.itemId === 'calm' ? { ...a, value: 3 } : a,
      ),
    );
    const firstId = await aRound(slug, teamId, 'Spring', before);
    const secondId = await aRound(slug, teamId, 'Autumn', SIX);
    const agent = await loggedInAgent(app, coach.email);

    const first = (await api.get(`/rounds/${firstId}/report`)).body;
    const second = (await api.get(`/rounds/${secondId}/report`)).body;
    const page = await agent.get(`/reports/rounds/${secondId}`);

    expect(first.summary).toMatchObject({ previous: null, changes: [] });
    expect(second.summary.previous).toMatchObject({
      roundId: firstId,
      title: 'Spring',
      versionChanged: false,
    });
    // level 1 → 3 on 5 points (half the scale) moves more than calm 3 → 4 on 7 points.
    expect(second.summary.changes).toEqual([
      expect.objectContaining({ itemId: 'level', before: 1, after: 3, change: 2 }),
      expect.objectContaining({
        itemId: 'calm',
        before: 3,
        after: 4,
        change: 1,
        leanBefore: 'left',
        leanAfter: 'balanced',
      }),
    ]);
    expect(second.summary.dimensions).toEqual([
      expect.objectContaining({ key: 'ways', score100: 50 }),
    ]);
    expect(page.text).toContain('At a glance');
    expect(page.text).toContain('1.00 → 3.00 (+2.00)');
    expect(page.text).toContain('3.00 → 4.00 (+1.00 towards “Adapt”)');
  });

  it('holds no figure of a round below k, neither its own nor the previous round’s', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    await aRound(slug, teamId, 'Too few', SIX.slice(0, 2));
    const secondId = await aRound(slug, teamId, 'Enough', SIX);
    const thirdId = await aRound(slug, teamId, 'Too few again', SIX.slice(0, 2));

    const second = (await api.get(`/rounds/${secondId}/report`)).body;
    const third = (await api.get(`/rounds/${thirdId}/report`)).body;

    expect(second.summary).toMatchObject({ changes: [], previous: { suppressed: true } });
    expect(third.summary).toMatchObject({
      belowK: true,
      tensions: [],
      dimensions: [],
      ratings: [],
      discuss: [],
      changes: [],
    });
  });
});

describe('exports people open in a spreadsheet', () => {
  it('round every figure to at most three decimals and include the discuss reasons and priority', async () => {
    const slug = await aQuestionnaire();
    const roundId = await aRound(slug, await api.team(), 'Rounded', SIX);

    const csv = await api.get(`/rounds/${roundId}/export.csv?part=items`);

    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const cells = csv.text.split('\r\n').flatMap((r) => r.split(','));
    for (const cell of cells.filter((c) => /^-?\d+\.\d+$/.test(c)))
      expect(cell.split('.')[1]!.length).toBeLessThanOrEqual(3);
    const header = csv.text.split('\r\n')[0]!.replace('\uFEFF', '').split(',');
    const wish = csv.text
      .split('\r\n')
      .find((r) => r.includes(',wish,'))!
      .split(',');
    expect(wish[header.indexOf('discussReasons')]).toBe('gap');
    expect(wish[header.indexOf('priority')]).toBe('0.5');
  });
});

describe('the OpenAPI document', () => {
  it('describes real report output exactly (items by kind)', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    await aRound(slug, teamId, 'Before', SIX);
    const roundId = await aRound(slug, teamId, 'After', SIX);
    const doc = openApiDocumentOf(app) as { components: { schemas: Record<string, object> } };
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    for (const [name, schema] of Object.entries(doc.components.schemas))
      ajv.addSchema(schema, `#/components/schemas/${name}`);
    const validate = ajv.getSchema('#/components/schemas/RoundReport')!;

    const report = (await api.get(`/rounds/${roundId}/report`)).body;

    // Formats (date-time) are left to the zod parse below: ajv has them only as a plugin.
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(() => RoundReportDto.parse(report)).not.toThrow();
  });
});

describe('the compare picker', () => {
  it('asks for the questionnaire first, then offers only its rounds, by title', async () => {
    const slug = await aQuestionnaire();
    await aRound(slug, await api.team(), 'Picked', SIX);
    const agent = await loggedInAgent(app, coach.email);

    const start = await agent.get('/reports/compare');
    const step2 = await agent.get(`/reports/compare?questionnaire=${slug}`);

    expect(start.status).toBe(200);
    expect(start.text).toContain('1. Questionnaire');
    expect(start.text).toContain('Honest readings');
    expect(start.text).not.toContain('name="rounds"');
    expect(step2.text).toContain(`One round of “Honest readings`);
    expect(step2.text).toContain('>Picked</option>');
  });

  it('says what to do when nothing is chosen or the choice mixes questionnaires, never an error page', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    const a = await aRound(slug, teamId, 'A', SIX);
    const other = await aQuestionnaire();
    const b = await aRound(other, teamId, 'B', SIX);
    const agent = await loggedInAgent(app, coach.email);

    const nothing = await agent.get(`/reports/compare?questionnaire=${slug}&rounds=&rounds=`);
    const mixed = await agent.get(`/reports/compare?rounds=${a}&rounds=${b}`);
    const wrong = await agent.get(`/reports/compare?questionnaire=${other}&rounds=${a}`);

    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain('Pick at least one round to compare');
    for (const res of [mixed, wrong]) {
      expect(res.status).toBe(400);
      expect(res.text).toContain('These rounds use different questionnaires');
      expect(res.text).toContain('1. Questionnaire');
      expect(res.text).not.toContain('Something went wrong');
    }
  });
});

describe('the printed report', () => {
  it('has a running header of team, round and date whose text cannot break out of its CSS string', async () => {
    const slug = await aQuestionnaire();
    const team = await api.post('/teams', { name: 'Ops "}; @import x; /*' });
    const roundId = await aRound(slug, team.body.id as string, 'Spring <check>', SIX);
    const agent = await loggedInAgent(app, coach.email);
    const other = await apiSignup(app);
    const otherAgent = await loggedInAgent(app, other.email);

    const print = await agent.get(`/reports/rounds/${roundId}/print`);
    const css = await agent.get(`/reports/rounds/${roundId}/print-header.css`);
    const foreign = await otherAgent.get(`/reports/rounds/${roundId}/print-header.css`);

    expect(print.text).toContain(`href="/reports/rounds/${roundId}/print-header.css"`);
    expect(print.text).not.toContain('class="breadcrumbs"');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    // Each escape is "\HEX " (its space ends it); a space of the text itself follows as is.
    expect(css.text).toContain(
      String.raw`@top-left { content: "Ops \22 \7d \3b  \40 import x\3b  \2f \2a  \b7  Spring \3c check\3e  \b7  2026\2d 10\2d 01"`,
    );
    expect(foreign.status).toBe(404);
  });
});
