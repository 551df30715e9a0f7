// Report benchmark: how the time of a round report grows with the number of responses, and the
// time of a comparison of 50 teams, measured in one run on one database. Run: npm run bench:reports
// (MONGODB_URI to use a server of your own; otherwise an embedded one in a temporary folder).
// Reports the median of several requests per case and the ratio to the smallest case.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import { loadBuiltinDefinitions } from '../src/features/questionnaires/questionnaire.content';
import { CONTENT_DIR } from '../src/paths';
import { loadConfig } from '../src/config';
import { closeDatabase, createDatabaseConnection, openDatabase } from '../src/shared/db/connect';
import { startEmbeddedDatabase } from '../src/shared/db/embedded-server';
import { createLifecycle } from '../src/shared/lifecycle';
import { createLogger } from '../src/shared/logging';

const SIZES = [10, 1_000, 10_000] as const;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** The item ids of the built-in "Tensions in how we work", read from its file. */
const TENSION_ITEMS = loadBuiltinDefinitions(path.join(CONTENT_DIR, 'questionnaires'))
  .find((d) => d.slug === 'tensions-in-how-we-work')!
  .sections.flatMap((s) => s.items.map((i) => i.id));

/** The few fields of API answers the bench reads. */
type Json = { id: string; token?: string };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const logger = createLogger({ level: 'warn' });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-bench-'));
  const embedded = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedDatabase({
        dataDir,
        kind: process.env.EMBEDDED_DB === 'mongod' ? 'mongod' : 'ferretdb',
        logger,
      });
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  const conn = createDatabaseConnection();
  await openDatabase(conn, uri, {
    timeoutMs: 5000,
    dbName: `bench_${randomBytes(3).toString('hex')}`,
  });
  const app = createApp({
    config: loadConfig({ LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_PER_IP: '100000' }),
    conn,
    logger,
    clock: () => new Date(),
    lifecycle: createLifecycle(),
    sessionSecret: randomBytes(32).toString('hex'),
  });
  const server = app.listen(0, '127.0.0.1');
  server.requestTimeout = 0; // a slow case must be measured, not cut off
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;

  let token = '';
  const call = async (method: string, p: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Json;
  };
  token = String(
    (
      await call('POST', '/auth/signup', {
        name: 'Bench',
        email: `bench-${Date.now()}@example.com`,
        password: 'bench password 1',
        workspaceName: 'Bench',
      })
    ).token,
  );

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

  const rows: { label: string; ms: number }[] = [];
  const record = (label: string, ms: number) => {
    rows.push({ label, ms });
    process.stderr.write(`measured: ${label}: ${ms.toFixed(1)} ms\n`);
  };
  // The comparison first, while the collection is small: on FerretDB every aggregation reads
  // the whole responses collection (see README), which would otherwise dominate it.
  const fifty: string[] = [];
  for (let t = 0; t < 50; t += 1) fifty.push(await roundWith(10, `Compared ${t}`));
  const comparison = await time(`/reports/compare?rounds=${fifty.join(',')}`);
  for (const n of SIZES) {
    const id = await roundWith(n, `Team ${n}`);
    record(`round report, ${n} responses`, await time(`/rounds/${id}/report`));
  }
  record('comparison of 50 teams (10 responses each, 500 in the collection)', comparison);

  const baseline = rows[0]!.ms;
  const lines = [
    `Report benchmark on ${embedded ? embedded.description : 'MONGODB_URI'}, median of ${RUNS} requests each`,
    '',
    '| case | median ms | ratio to 10 responses |',
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.ms.toFixed(1)} | ${(r.ms / baseline).toFixed(2)} |`),
    '',
    `Largest / smallest round: ${(rows[2]!.ms / rows[0]!.ms).toFixed(1)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  server.close();
  await conn.dropDatabase();
  await closeDatabase(conn);
  await embedded?.stop();
  await rm(dataDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
