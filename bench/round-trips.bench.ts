// Round-trip benchmark: for each kind of request, the database commands it sends (counted with
// the driver's command monitoring), the Node CPU it costs and its latency, one request at a time
// so that each figure belongs to one request. These transfer to MongoDB; the milliseconds do
// not. Then the growth case: the hot paths again, with 1,000 and with 100,000 responses stored
// in other rounds (1,000 a round, where the store's layout keeps them). Run: npm run bench:round-trips (MONGODB_URI to use a server
// of your own; BENCH_RUNS requests per case, default 30; BENCH_GROWTH, default 1000,100000;
// SERVE_AS=mongodb to run the MongoDB path, counting by query, on the embedded FerretDB).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBuiltinDefinitions } from '../src/features/questionnaires/questionnaire.content';
import { CONTENT_DIR } from '../src/paths';
import { apiClient, startLocalApp } from '../scripts/support/local-app';
import { cpuMsOf } from './support/processes';
import { percentile } from './support/stats';

/** The item ids of the built-in Active Practice, read from its file. */
const PRACTICE_ITEMS = loadBuiltinDefinitions(path.join(CONTENT_DIR, 'questionnaires'))
  .find((d) => d.slug === 'active-practice')!
  .sections.flatMap((s) => s.items.map((i) => i.id));

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const GROWTH = (process.env.BENCH_GROWTH ?? '1000,100000').split(',').map(Number);

type Measured = Readonly<{
  label: string;
  roundTrips: number;
  commands: string;
  cpuMs: number;
  /** The embedded database's CPU per request (null with MONGODB_URI). */
  dbCpuMs: number | null;
  medianMs: number;
  p99Ms: number;
}>;

async function main(): Promise<void> {
  const local = await startLocalApp({ AUTH_RATE_LIMIT_PER_IP: '1000000' });
  const { conn, origin } = local;
  const api = apiClient(origin);
  await api.signup('Bench');
  const commands: string[] = [];
  conn.getClient().on('commandStarted', (e) => {
    const collection = (e.command as Record<string, unknown>)[e.commandName];
    // A round's own collection (the per-round layout) is named by the round, not by its id.
    const name =
      typeof collection === 'string'
        ? collection.replace(/^responses\..+$/, 'responses.<round>')
        : '';
    commands.push(name ? `${e.commandName} ${name}` : e.commandName);
  });

  const team = await api.call<{ id: string }>('POST', '/teams', { name: 'Bench team' });
  async function openRound(slug: string, anonymity: 'anonymous' | 'named' = 'anonymous') {
    const round = await api.call<{ id: string; link: { token: string } }>('POST', '/rounds', {
      teamId: team.id,
      questionnaire: { slug },
      title: `${slug} ${randomBytes(2).toString('hex')}`,
      anonymity,
      minGroupSize: anonymity === 'named' ? 1 : 3,
    });
    await api.call('POST', `/rounds/${round.id}/open`);
    return { id: round.id, link: round.link.token };
  }
  const practice = (i: number) => ({
    answers: Array.from({ length: 10 }, (_, k) => ({
      itemId: PRACTICE_ITEMS[k]!,
      text: `Answer ${i}.${k}`,
    })),
  });

  /** Sends `make(i)` RUNS times, one after the other, after one warm-up request. */
  async function measure(
    label: string,
    make: (i: number) => { path: string; init?: RequestInit },
  ): Promise<Measured> {
    const send = async (i: number) => {
      const { path, init } = make(i);
      const res = await fetch(`${origin}${path}`, init);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${label}: ${res.status}`);
    };
    await send(-1);
    const times: number[] = [];
    commands.length = 0;
    const cpu = process.cpuUsage();
    const dbCpu = await cpuMsOf(local.databasePid());
    for (let i = 0; i < RUNS; i += 1) {
      const start = performance.now();
      await send(i);
      times.push(performance.now() - start);
    }
    const used = process.cpuUsage(cpu);
    const dbCpuAfter = await cpuMsOf(local.databasePid());
    const tally = new Map<string, number>();
    for (const c of commands) tally.set(c, (tally.get(c) ?? 0) + 1);
    const row: Measured = {
      label,
      roundTrips: commands.length / RUNS,
      commands: [...tally.entries()]
        .map(([c, n]) => `${c} ×${(n / RUNS).toFixed(n % RUNS === 0 ? 0 : 1)}`)
        .join(', '),
      cpuMs: (used.user + used.system) / 1000 / RUNS,
      dbCpuMs: dbCpu === null || dbCpuAfter === null ? null : (dbCpuAfter - dbCpu) / RUNS,
      medianMs: percentile(times, 0.5),
      p99Ms: percentile(times, 0.99),
    };
    process.stderr.write(`measured: ${JSON.stringify(row)}\n`);
    return row;
  }

  const json = (method: string, body: unknown, key?: string): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json', ...(key ? { 'x-edit-key': key } : {}) },
    body: JSON.stringify(body),
  });
  const bearer: RequestInit = { headers: { authorization: `Bearer ${api.token}` } };

  // The requests, each on rounds of its own so that one case does not feed the next.
  const answering = await openRound('active-practice');
  const reported = await openRound('active-practice');
  const exported = await openRound('active-practice', 'named');
  const keys: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const res = await fetch(`${origin}/api/v1/r/${reported.link}`, json('POST', practice(i)));
    keys.push(((await res.json()) as { editKey: string }).editKey);
    await fetch(
      `${origin}/api/v1/r/${exported.link}`,
      json('POST', { ...practice(i), name: `P${i}` }),
    );
  }

  const cases = {
    baseline: () =>
      measure('GET /healthz (no database; the baseline)', () => ({ path: '/healthz' })),
    pageCold: async () => {
      const cold = await Promise.all(
        Array.from({ length: RUNS + 1 }, () => openRound('active-practice')),
      );
      return measure('respondent page, first of its round (nothing cached)', (i) => ({
        path: `/r/${cold[i + 1]!.link}`,
      }));
    },
    pageWarm: () =>
      measure('respondent page, a new respondent', () => ({ path: `/r/${answering.link}` })),
    submission: () =>
      measure('submission POST /api/v1/r/<link>', (i) => ({
        path: `/api/v1/r/${answering.link}`,
        init: json('POST', practice(i)),
      })),
    revision: () =>
      measure('revision PUT /api/v1/r/<link>', (i) => ({
        path: `/api/v1/r/${reported.link}`,
        init: json('PUT', practice(100 + i), keys[0]),
      })),
    returning: () =>
      measure('returning respondent GET /api/v1/r/<link>/response', () => ({
        path: `/api/v1/r/${reported.link}/response`,
        init: { headers: { 'x-edit-key': keys[1]! } },
      })),
    report: () =>
      measure('Active Practice report (10 responses)', () => ({
        path: `/api/v1/rounds/${reported.id}/report`,
        init: bearer,
      })),
    export: () =>
      measure('responses export of a named round (10 responses)', () => ({
        path: `/api/v1/rounds/${exported.id}/export.csv?part=responses`,
        init: bearer,
      })),
    liveCount: () =>
      measure('live count GET /api/v1/rounds/<id> (responses so far)', () => ({
        path: `/api/v1/rounds/${reported.id}`,
        init: bearer,
      })),
  };

  const rows: Measured[] = [];
  for (const run of Object.values(cases)) rows.push(await run());

  // Growth: the hot paths again with more responses stored in other rounds of the installation,
  // 1,000 a round, written where the app's store keeps them (its layout follows the server).
  const elsewhere = await openRound('active-practice');
  const workspaceId =
    (
      await conn
        .collection<{ _id: string; workspaceId: string }>('rounds')
        .findOne({ _id: elsewhere.id })
    )?.workspaceId ?? '';
  let stored = 0;
  const growth: { size: number; rows: Measured[] }[] = [];
  for (const size of GROWTH) {
    for (; stored < size; stored += 1000) {
      const roundId = stored === 0 ? elsewhere.id : randomBytes(16).toString('base64url');
      const docs = Array.from({ length: Math.min(1000, size - stored) }, (_, i) => ({
        _id: randomBytes(16).toString('base64url'),
        workspaceId,
        roundId,
        editKeyHash: randomBytes(32).toString('hex'),
        day: '2026-11-24',
        answers: [{ itemId: PRACTICE_ITEMS[0], text: `Stored ${stored + i}` }],
      }));
      await local.storeResponses(docs);
    }
    stored = size;
    process.stderr.write(`stored: ${size} other responses\n`);
    growth.push({
      size,
      rows: [
        await cases.pageCold(),
        await cases.submission(),
        await cases.revision(),
        await cases.returning(),
        await cases.report(),
        await cases.export(),
        await cases.liveCount(),
      ],
    });
  }
  await local.stop();

  const fmt = (v: number, d = 1) =>
    v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const out: string[] = [
    `Round trips and CPU per request (${local.database}; ${RUNS} requests per case, one at a time):`,
    '',
    '| request | round trips | commands | Node CPU ms | database CPU ms | median ms | p99 ms | ratio of Node CPU to the baseline |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const base = rows[0]!.cpuMs;
  for (const r of rows) {
    out.push(
      `| ${r.label} | ${fmt(r.roundTrips)} | ${r.commands || '–'} | ${fmt(r.cpuMs, 2)} | ${r.dbCpuMs === null ? 'n/a' : fmt(r.dbCpuMs, 2)} | ${fmt(r.medianMs)} | ${fmt(r.p99Ms)} | ${fmt(r.cpuMs / base, 2)} |`,
    );
  }
  out.push('', 'Growth: median ms with other responses stored in the installation:', '');
  out.push(
    `| request | ${growth.map((g) => `${g.size.toLocaleString('en-US')} stored`).join(' | ')} | ratio |`,
  );
  out.push(`| --- | ${growth.map(() => '---:').join(' | ')} | ---: |`);
  for (let i = 0; i < (growth[0]?.rows.length ?? 0); i += 1) {
    const cells = growth.map((g) => g.rows[i]!.medianMs);
    out.push(
      `| ${growth[0]!.rows[i]!.label} | ${cells.map((c) => fmt(c)).join(' | ')} | ${fmt(cells.at(-1)! / cells[0]!, 2)} |`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
