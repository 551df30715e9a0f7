// Report benchmark: how the time of a round report grows with the number of responses, and the
// time of a comparison of 50 teams, measured in one run on one database. Run: npm run bench:reports
// (MONGODB_URI to use a server of your own; otherwise an embedded one in a temporary folder).
// Responses are inserted in bulk where the app's store keeps them; the first report of a round
// is timed apart, then answers come in through the API. Then the reports of all rounds are timed
// in turns (BENCH_RUNS each, default 11): medians, with their ratio to the smallest round in
// the same run.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBuiltinDefinitions } from '../src/features/questionnaires/questionnaire.content';
import { CONTENT_DIR } from '../src/paths';
import { apiClient, startLocalApp } from '../scripts/support/local-app';

const SIZES = [10, 1_000, 10_000] as const;
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
/** Answers sent through the API to each round after its first report. */
const LIVE_ANSWERS = 20;
/** The item ids of the built-in "Tensions in how we work", read from its file. */
const TENSION_ITEMS = loadBuiltinDefinitions(path.join(CONTENT_DIR, 'questionnaires'))
  .find((d) => d.slug === 'tensions-in-how-we-work')!
  .sections.flatMap((s) => s.items.map((i) => i.id));

/** The few fields of API answers the bench reads. */
type Json = { id: string };

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const local = await startLocalApp();
  const { conn } = local;
  const api = apiClient(local.origin);
  const call = api.call<Json>;
  await api.signup('Bench');

  /** An open round with `n` responses, inserted in bulk in the stored shape (day only, random ids). */
  async function roundWith(n: number, teamName: string): Promise<string> {
    const team = await call('POST', '/teams', { name: teamName });
    const round = await call('POST', '/rounds', {
      teamId: team.id,
      questionnaire: { slug: 'tensions-in-how-we-work' },
      title: `${n} responses`,
    });
    await call('POST', `/rounds/${round.id}/open`);
    const stored = await conn
      .collection<{ _id: string; workspaceId: string }>('rounds')
      .findOne({ _id: round.id });
    const workspaceId = stored?.workspaceId ?? '';
    for (let start = 0; start < n; start += 1000) {
      const docs = Array.from({ length: Math.min(1000, n - start) }, (_, i) => ({
        _id: randomBytes(16).toString('base64url'),
        workspaceId,
        roundId: round.id,
        editKeyHash: randomBytes(32).toString('hex'),
        day: '2026-11-24',
        answers: TENSION_ITEMS.map((itemId, k) => ({
          itemId,
          value: 1 + ((start + i + k) % 7),
          desired: 1 + ((start + i) % 7),
        })),
      }));
      await local.storeResponses(docs);
    }
    return round.id;
  }

  const once = async (p: string): Promise<number> => {
    const start = performance.now();
    await call('GET', p);
    return performance.now() - start;
  };
  async function median(p: string): Promise<number> {
    await call('GET', p); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i += 1) samples.push(await once(p));
    return medianOf(samples);
  }
  /** Submits `count` new answers to the round through the API. */
  async function answersThroughApi(roundId: string, count: number): Promise<number> {
    const round = await api.call<{ link: { token: string } }>('GET', `/rounds/${roundId}`);
    const samples: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const answers = TENSION_ITEMS.map((itemId, k) => ({ itemId, value: 1 + ((i + k) % 7) }));
      const start = performance.now();
      await call('POST', `/r/${round.link.token}`, { answers });
      samples.push(performance.now() - start);
    }
    return medianOf(samples);
  }

  const rows: { label: string; ms: number }[] = [];
  const record = (label: string, ms: number) => {
    rows.push({ label, ms });
    process.stderr.write(`measured: ${label}: ${ms.toFixed(1)} ms\n`);
  };
  const fifty: string[] = [];
  for (let t = 0; t < 50; t += 1) fifty.push(await roundWith(10, `Compared ${t}`));
  const rounds = new Map<number, string>();
  for (const n of SIZES) {
    const id = await roundWith(n, `Team ${n}`);
    rounds.set(n, id);
    record(
      `first report of a round of ${n} bulk-inserted responses`,
      await once(`/rounds/${id}/report`),
    );
    record(
      `submission to that round, median of ${LIVE_ANSWERS}`,
      await answersThroughApi(id, LIVE_ANSWERS),
    );
  }
  // The reports of all sizes are timed in turns, once every round is in the database: each
  // then meets the same collection, and drifts of the machine spread over all sizes alike.
  const samples = new Map(SIZES.map((n) => [n, [] as number[]]));
  for (const id of rounds.values()) await call('GET', `/rounds/${id}/report`); // warm-up
  for (let i = 0; i < RUNS; i += 1) {
    for (const n of SIZES) samples.get(n)!.push(await once(`/rounds/${rounds.get(n)!}/report`));
  }
  const reports = new Map(SIZES.map((n) => [n, medianOf(samples.get(n)!)]));
  for (const n of SIZES) {
    record(`report of a round of ${n + LIVE_ANSWERS} responses`, reports.get(n)!);
  }
  const compare = `/reports/compare?rounds=${fifty.join(',')}`;
  const total = 50 * 10 + SIZES.reduce((a, b) => a + b + LIVE_ANSWERS, 0);
  record(`first comparison of 50 teams (${total} responses stored)`, await once(compare));
  record('comparison of 50 teams, 10 responses each', await median(compare));

  const smallest = reports.get(SIZES[0])!;
  const lines = [
    `Report benchmark on ${local.database}, median of ${RUNS} requests per report`,
    '',
    '| case | ms | ratio to the report of the smallest round |',
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.ms.toFixed(1)} | ${(r.ms / smallest).toFixed(2)} |`),
    '',
    `Report of the largest / the smallest round: ${(reports.get(SIZES[SIZES.length - 1]!)! / smallest).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await local.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
