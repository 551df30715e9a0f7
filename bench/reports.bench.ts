// Report benchmark: how the time of a round report grows with the number of responses, and the
// time of a comparison of 50 teams, measured in one run on one database. Run: npm run bench:reports
// (MONGODB_URI to use a server of your own; otherwise an embedded one in a temporary folder).
// Reports the median of several requests per case and the ratio to the smallest case. Open
// rounds are counted on every request; closed ones, once their answers are final, from a snapshot.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBuiltinDefinitions } from '../src/features/questionnaires/questionnaire.content';
import { CONTENT_DIR } from '../src/paths';
import { apiClient, startLocalApp } from '../scripts/support/local-app';

const SIZES = [10, 1_000, 10_000] as const;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** The item ids of the built-in "Tensions in how we work", read from its file. */
const TENSION_ITEMS = loadBuiltinDefinitions(path.join(CONTENT_DIR, 'questionnaires'))
  .find((d) => d.slug === 'tensions-in-how-we-work')!
  .sections.flatMap((s) => s.items.map((i) => i.id));

/** The few fields of API answers the bench reads. */
type Json = { id: string };

function median(values: number[]): number {
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
      await conn.collection('responses').insertMany(docs as never[]);
    }
    return round.id;
  }

  async function time(p: string): Promise<number> {
    await call('GET', p); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const start = performance.now();
      await call('GET', p);
      samples.push(performance.now() - start);
    }
    return median(samples);
  }

  /** Closes the round and dates the close back past the settle time, as if it were old. */
  async function closeLongAgo(roundId: string): Promise<void> {
    await call('POST', `/rounds/${roundId}/close`);
    await conn
      .collection<{ _id: string }>('rounds')
      .updateOne({ _id: roundId }, { $set: { closedAt: new Date(Date.now() - 3_600_000) } });
  }

  const rows: { label: string; ms: number }[] = [];
  const record = (label: string, ms: number) => {
    rows.push({ label, ms });
    process.stderr.write(`measured: ${label}: ${ms.toFixed(1)} ms\n`);
  };
  // The first request of a case is a warm-up: for a closed round it is also the one that
  // counts the answers and stores their snapshot.
  const fifty: string[] = [];
  for (let t = 0; t < 50; t += 1) fifty.push(await roundWith(10, `Compared ${t}`));
  const live = await time(`/reports/compare?rounds=${fifty.join(',')}`);
  const big: string[] = [];
  for (const n of SIZES) {
    const id = await roundWith(n, `Team ${n}`);
    big.push(id);
    record(`open round report, ${n} responses`, await time(`/rounds/${id}/report`));
  }
  for (const [i, n] of SIZES.entries()) {
    await closeLongAgo(big[i]!);
    record(`closed round report, ${n} responses`, await time(`/rounds/${big[i]!}/report`));
  }
  record('comparison of 50 open teams (10 responses each, 500 in the collection)', live);
  // Each closed round is counted once, at its first read after its answers are final: here
  // one report each, as a coach reading them would. That first count costs what an open
  // round's report costs; the comparison after it reads 50 snapshots.
  const firstReads = performance.now();
  for (const id of fifty) {
    await closeLongAgo(id);
    await call('GET', `/rounds/${id}/report`);
  }
  process.stderr.write(
    `first reads of 50 closed rounds: ${((performance.now() - firstReads) / 1000).toFixed(1)} s\n`,
  );
  const total = 500 + SIZES.reduce((a, b) => a + b, 0);
  record(
    `comparison of 50 closed teams (10 responses each, ${total} in the collection)`,
    await time(`/reports/compare?rounds=${fifty.join(',')}`),
  );

  const baseline = rows[0]!.ms;
  const ratio = (label: string) => {
    const of = (prefix: string) => rows.filter((r) => r.label.startsWith(prefix));
    const cases = of(label);
    return (cases[cases.length - 1]!.ms / cases[0]!.ms).toFixed(1);
  };
  const lines = [
    `Report benchmark on ${local.database}, median of ${RUNS} requests each`,
    '',
    '| case | median ms | ratio to open round, 10 responses |',
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.ms.toFixed(1)} | ${(r.ms / baseline).toFixed(2)} |`),
    '',
    `Largest / smallest round: open ${ratio('open round')}, closed ${ratio('closed round')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await local.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
