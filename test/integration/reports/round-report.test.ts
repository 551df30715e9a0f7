import request from 'supertest';
import type { Express } from 'express';
import { Ajv2020 } from 'ajv/dist/2020';
import { RoundExportDto, RoundReportDto } from '../../../src/features/reports';
import { apiDocument, buildTestApp } from '../../support/app';
import { bearer, loggedInAgent } from '../../support/auth';
import {
  type Account,
  type Api,
  anOpenRound,
  apiSignup,
  openCoachApp,
} from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { DCF_ASPECTS, TENSION_ITEMS } from '../../support/factories';

/**
 * A round with known answers, checked against an independent calculation from the raw
 * answers; and the anonymity rule on every output: page, API, CSV and JSON.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
});
afterAll(() => db.drop());

const ASPECTS = DCF_ASPECTS;

/** Five respondents' classifications (D/C/F per aspect, in ASPECTS order) and sentences. */
const PEOPLE = [
  { classes: 'DCFDFFCF', text: 'Ship onboarding' },
  { classes: 'DDDFFFCC', text: '=HYPERLINK("http://x")' },
  { classes: 'DCFFFFFF', text: 'A new "onboarding", with commas' },
  { classes: 'CCCDFFFF', text: 'Onboarding' },
  { classes: 'DCFDFFCF', text: '<b>Same</b> as the first' },
];
const CLASS = { D: 'driver', C: 'constraint', F: 'float' } as const;

async function answerAll(link: string, people = PEOPLE, options: { named?: boolean } = {}) {
  await api.answer(
    link,
    ...people.map((person, index) => ({
      ...(options.named ? { name: `Person ${index + 1}` } : {}),
      answers: [
        { itemId: 'effort-in-one-sentence', text: person.text },
        {
          itemId: 'effort-aspects',
          classes: Object.fromEntries(
            ASPECTS.map((a, i) => [a, CLASS[person.classes[i] as 'D' | 'C' | 'F']]),
          ),
        },
      ],
    })),
  );
}

/** Independent calculation of the dcf figures from the raw classifications. */
function expectedDcf(people = PEOPLE) {
  const atRisk = people.filter((p) => {
    const count = (c: string) => [...p.classes].filter((x) => x === c).length;
    return count('D') > 2 || count('C') > 2 || count('F') < 2;
  }).length;
  const shares = ASPECTS.map((_a, i) => {
    const votes = people.map((p) => p.classes[i]);
    const share = (c: string) => votes.filter((v) => v === c).length / votes.length;
    return { driver: share('D'), constraint: share('C'), float: share('F') };
  });
  return { atRiskShare: atRisk / people.length, shares };
}

describe('GET /api/v1/rounds/:roundId/report', () => {
  it('matches an independent calculation for a drivers/constraints/floats round', async () => {
    const { link, roundId } = await api.openRound();
    await answerAll(link);

    const res = await api.get(`/rounds/${roundId}/report`);

    expect(res.status).toBe(200);
    const report = RoundReportDto.parse(res.body);
    expect(report).toMatchObject({ n: 5, suppressed: false });
    const dcf = report.items.find((i) => i.itemId === 'effort-aspects') as {
      atRiskShare: number;
      aspects: {
        key: string;
        driver: number;
        constraint: number;
        float: number;
        disputed: boolean;
      }[];
    };
    const expected = expectedDcf();
    expect(dcf.atRiskShare).toBeCloseTo(expected.atRiskShare, 12);
    dcf.aspects.forEach((aspect, i) => {
      expect(aspect.driver).toBeCloseTo(expected.shares[i]!.driver, 12);
      expect(aspect.constraint).toBeCloseTo(expected.shares[i]!.constraint, 12);
      expect(aspect.float).toBeCloseTo(expected.shares[i]!.float, 12);
      const top = Math.max(
        expected.shares[i]!.driver,
        expected.shares[i]!.constraint,
        expected.shares[i]!.float,
      );
      expect(aspect.disputed).toBe(top < 0.6);
    });
    const comments = report.items.find((i) => i.itemId === 'effort-in-one-sentence') as {
      comments: { text: string }[];
    };
    expect(comments.comments.map((c) => c.text).sort()).toEqual(PEOPLE.map((p) => p.text).sort());
    expect(comments.comments.every((c) => Object.keys(c).join() === 'text')).toBe(true);
  });

  it('puts a dcf item with disputed aspects on the discuss list, in the API and on the page', async () => {
    const { link, roundId } = await api.openRound();
    // The first aspect splits 2 / 2 / 1; the others are as PEOPLE classified them.
    const people = PEOPLE.map((p, i) => ({ ...p, classes: 'DDCCF'[i]! + p.classes.slice(1) }));
    await answerAll(link, people);
    const expected = expectedDcf(people);
    const res = await api.get(`/rounds/${roundId}/report`);
    const report = RoundReportDto.parse(res.body);
    const item = report.items.find((i) => i.itemId === 'effort-aspects') as {
      aspects: { label: string }[];
    };
    const disputed = item.aspects
      .filter((_a, i) => Math.max(...Object.values(expected.shares[i]!)) < 0.6)
      .map((a) => a.label);
    expect(disputed.length).toBeGreaterThan(0);
    expect(item).toMatchObject({ discuss: true, discussReasons: ['disagreement'] });
    const entry = report.discuss.find((d) => d.itemId === 'effort-aspects');
    expect(entry).toMatchObject({ reasons: ['disagreement'], consensus: null, disputed });
    expect(report.summary.dcf[0]!.disputed).toEqual(disputed);
    expect(report.summary.discuss.map((d) => d.itemId)).toContain('effort-aspects');

    const page = await (await loggedInAgent(app, coach.email)).get(`/reports/rounds/${roundId}`);
    expect(page.text).toContain(`respondents disagree on ${disputed.join(', ')}`);
    expect(page.text).not.toContain('No item stands out');
  });

  it('matches an independent calculation for tension statistics, lean and gap', async () => {
    const { link, roundId } = await api.openRound({
      slug: 'tensions-in-how-we-work',
    });
    const values = [2, 2, 3, 6];
    const desired = [5, 6, 6, 7];
    await api.answer(
      link,
      ...values.map((value, i) => ({
        answers: TENSION_ITEMS.map((itemId) =>
          itemId === 'busy-vs-flow' ? { itemId, value, desired: desired[i] } : { itemId, value: 4 },
        ),
      })),
    );

    const res = await api.get(`/rounds/${roundId}/report`);
    const item = (res.body.items as Record<string, unknown>[]).find(
      (i) => i.itemId === 'busy-vs-flow',
    )!;

    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    const cns = 1 + values.reduce((s, v) => s + 0.25 * Math.log2(1 - Math.abs(v - mean) / 6), 0);
    expect(item).toMatchObject({
      n: 4,
      histogram: [0, 2, 1, 0, 0, 1, 0],
      median: 2.5,
      lean: 'left',
    });
    expect(item.mean).toBeCloseTo(mean, 12);
    expect(item.sd).toBeCloseTo(sd, 12);
    expect(item.consensus).toBeCloseTo(cns, 12);
    expect(item.desiredMean).toBeCloseTo(6, 12);
    expect(item.gap).toBeCloseTo(6 - mean, 12);
    const unanimous = (res.body.items as Record<string, unknown>[]).find(
      (i) => i.itemId === 'board-vs-network',
    )!;
    expect(unanimous).toMatchObject({ consensus: 1, lean: 'balanced', discuss: false });
  });
});

describe('comments', () => {
  it('carry the name of the person in a named round, and none in an anonymous one', async () => {
    const named = await api.openRound({ anonymity: 'named' });
    const anonymous = await api.openRound();
    for (const [link, name] of [
      [named.link, 'Ada'],
      [named.link, 'Grace'],
      [anonymous.link, 'Alan'],
      [anonymous.link, 'Edsger'],
      [anonymous.link, 'Barbara'],
    ] as const) {
      const res = await request(app)
        .post(`/api/v1/r/${link}`)
        .send({
          ...(link === named.link ? { name } : {}),
          answers: [
            { itemId: 'effort-in-one-sentence', text: `${name} wrote this` },
            {
              itemId: 'effort-aspects',
              classes: Object.fromEntries(ASPECTS.map((a) => [a, 'float'])),
            },
          ],
        });
      expect(res.status).toBe(201);
    }

    const commentsOf = async (roundId: string) => {
      const res = await api.get(`/rounds/${roundId}/report`);
      return (
        (res.body.items as { itemId: string; comments?: unknown[] }[]).find(
          (i) => i.itemId === 'effort-in-one-sentence',
        )!.comments ?? []
      );
    };

    expect(await commentsOf(named.roundId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ text: 'Ada wrote this', name: 'Ada' }),
        expect.objectContaining({ text: 'Grace wrote this', name: 'Grace' }),
      ]),
    );
    const anonymousComments = await commentsOf(anonymous.roundId);
    expect(anonymousComments).toHaveLength(3);
    expect(JSON.stringify(anonymousComments)).not.toMatch(/"name"/);
  });
});

describe('below the minimum group size', () => {
  it('no figure and no comment appears on the page, in the API, the CSVs or the JSON', async () => {
    const { link, roundId } = await api.openRound({ minGroupSize: 3 });
    await answerAll(link, PEOPLE.slice(0, 2));

    const viaApi = await api.get(`/rounds/${roundId}/report`);
    const itemsCsv = await api.get(`/rounds/${roundId}/export.csv?part=items`);
    const answersCsv = await api.get(`/rounds/${roundId}/export.csv?part=responses`);
    const json = await api.get(`/rounds/${roundId}/export.json`);
    const agent = await loggedInAgent(app, coach.email);
    const page = await agent.get(`/reports/rounds/${roundId}`);

    expect(viaApi.body.suppressed).toBe(true);
    for (const item of viaApi.body.items as Record<string, unknown>[]) {
      expect(Object.keys(item).sort()).toEqual([
        'dimension',
        'itemId',
        'kind',
        'number',
        'suppressed',
        'title',
      ]);
    }
    expect(itemsCsv.text.split('\r\n')[1]).toMatch(/,true,{22}$/);
    expect(answersCsv.status).toBe(409);
    expect(json.body).not.toHaveProperty('responses');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Fewer than 3 people have answered this anonymous round');
    for (const output of [viaApi.text, itemsCsv.text, answersCsv.text, json.text, page.text]) {
      expect(output).not.toContain('Ship onboarding');
      expect(output).not.toContain('HYPERLINK');
    }
  });
});

describe('exports', () => {
  it('of a named round write RFC 4180 CSV, one row per person, formulas neutralised and a safe file name', async () => {
    const { link, roundId } = await api.openRound({
      teamName: 'Ops "Team" / Lyon',
      anonymity: 'named',
    });
    await answerAll(link, PEOPLE, { named: true });

    const res = await api.get(`/rounds/${roundId}/export.csv?part=responses`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename=teamlens-ops-team-lyon-round-under-test-responses.csv',
    );
    expect(res.text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(res.text).toContain('"A new ""onboarding"", with commas"');
    // Each answer column: its stable id, then the item's text.
    const ids = [...res.text.split('\r\n')[0]!.matchAll(/(?:^|,)"?([a-z-]+\.[a-z-]+): /g)].map(
      (m) => m[1],
    );
    expect(res.text.startsWith('\uFEFFname,role,day,')).toBe(true);
    expect(ids).toEqual([
      'effort-in-one-sentence.text',
      ...ASPECTS.map((a) => `effort-aspects.${a}`),
      'what-could-float.text',
    ]);
    expect(res.text.trim().split('\r\n')).toHaveLength(6);
    expect(res.text).toContain('Person 1,');
  });

  it('of an anonymous round have no per-person answers: the CSV answers 409, the JSON has none', async () => {
    const { link, roundId } = await api.openRound();
    await answerAll(link);
    const agent = await loggedInAgent(app, coach.email);

    const viaApi = await api.get(`/rounds/${roundId}/export.csv?part=responses`);
    const page = await agent.get(`/reports/rounds/${roundId}/export.csv?part=responses`);
    const json = await api.get(`/rounds/${roundId}/export.json`);
    const report = await agent.get(`/reports/rounds/${roundId}`);

    expect(viaApi.status).toBe(409);
    expect(viaApi.body.error).toMatchObject({ code: 'EXPORT_ANONYMOUS' });
    expect(viaApi.body.error.message).toContain('anonymous');
    expect(page.status).toBe(409);
    expect(page.text).toContain('exported only as item statistics');
    expect(json.status).toBe(200);
    expect(json.body).not.toHaveProperty('responses');
    expect(report.text).not.toContain('part=responses');
  });

  it('the JSON export holds the same numbers as the API, and a named round’s answers as they were sent', async () => {
    const { link, roundId } = await api.openRound({ anonymity: 'named' });
    await answerAll(link, PEOPLE, { named: true });
    const viaApi = await api.get(`/rounds/${roundId}/report`);
    const json = await api.get(`/rounds/${roundId}/export.json`);
    const doc = apiDocument() as { components: { schemas: Record<string, object> } };
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    for (const [name, schema] of Object.entries(doc.components.schemas))
      ajv.addSchema(schema, `#/components/schemas/${name}`);
    const validate = ajv.getSchema('#/components/schemas/RoundExport')!;

    expect(json.body.report).toEqual(viaApi.body);
    expect(validate(json.body) ? [] : validate.errors).toEqual([]);
    const exported = RoundExportDto.parse(json.body);
    expect(exported.responses).toHaveLength(5);
    // In the API's words, as POST /r/{token} received them: no storage field (`atRisk`).
    const first = PEOPLE[0]!;
    expect(exported.responses![0]).toEqual({
      name: 'Person 1',
      role: '',
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      answers: [
        { itemId: 'effort-in-one-sentence', text: first.text },
        {
          itemId: 'effort-aspects',
          classes: Object.fromEntries(
            ASPECTS.map((a, i) => [a, CLASS[first.classes[i] as 'D' | 'C' | 'F']]),
          ),
        },
      ],
    });
  });

  it("another workspace's round answers 404", async () => {
    const { roundId } = await api.openRound();
    const other = await apiSignup(app);
    const res = await request(app).get(`/api/v1/rounds/${roundId}/report`).set(bearer(other.token));
    expect(res.status).toBe(404);
  });
});

describe('the report page', () => {
  it('shows the verdict, the aspects, the comments as text and the charts', async () => {
    const { link, roundId } = await api.openRound();
    await answerAll(link);
    const agent = await loggedInAgent(app, coach.email);

    const page = await agent.get(`/reports/rounds/${roundId}`);
    const print = await agent.get(`/reports/rounds/${roundId}/print`);

    expect(page.status).toBe(200);
    expect(page.text).toContain('respondents see this effort at risk');
    expect(page.text).toContain('&lt;b&gt;Same&lt;/b&gt; as the first');
    expect(page.text).not.toContain('<b>Same</b>');
    expect(page.text).toContain('How these numbers are computed');
    expect(print.text).toContain('class="print-layout"');
    expect(print.text).not.toContain('<nav aria-label="Main">');
  });
});

describe('the PDF download without Chromium', () => {
  it('answers 503 with a message that says how to get it, and the print view still works', async () => {
    const noChromium = buildTestApp(db.conn, { env: { CHROMIUM_PATH: '/nonexistent/chromium' } });
    const { link, roundId } = await anOpenRound(noChromium, coach.token);
    await answerAll(link);
    const agent = await loggedInAgent(noChromium, coach.email);

    const pdf = await agent.get(`/reports/rounds/${roundId}/report.pdf`);

    expect(pdf.status).toBe(503);
    expect(pdf.text).toContain('PDF downloads need Chromium');
    expect((await agent.get(`/reports/rounds/${roundId}/print`)).status).toBe(200);
  });
});
