// Soak benchmark: `npm run bench:soak`. A steady 30 requests/s for 10 minutes, a third each
// respondent page, submission and team report page, against dist/server.js and the embedded
// database with 100,000 responses stored in other rounds, open-loop (each request leaves at its
// time, however long the ones before take). Prints p50/p99 and errors per kind, the server's
// RSS after the first minute and at the end, and the machine's load.
//   SOAK_SECONDS (default 600), SOAK_RATE (default 30), SOAK_STORED (default 100000).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { layoutFor } from '../src/features/responses/response.repository';
import { createCapabilityProbe } from '../src/shared/db/capabilities';
import { closeDatabase, createDatabaseConnection, openDatabase } from '../src/shared/db/connect';
import { startEmbeddedDatabase } from '../src/shared/db/embedded-server';
import { createLogger } from '../src/shared/logging';
import { storeResponses } from '../scripts/support/local-app';
import { crowd, prepare, TENSION_ITEMS } from './support/coach';
import { LOAD_CORE, rssMb, SERVER_CORE, startTeamlens } from './support/processes';
import { percentile } from './support/stats';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_RATE ?? 30);
const STORED = Number(process.env.SOAK_STORED ?? 100_000);

type Kind = 'respondent page' | 'submission' | 'report page';
const KINDS: readonly Kind[] = ['respondent page', 'submission', 'report page'];

async function main(): Promise<void> {
  spawnSync('taskset', ['-pc', SERVER_CORE, String(process.pid)]);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-soak-'));
  const embedded = await startEmbeddedDatabase({
    dataDir,
    kind: 'ferretdb',
    logger: createLogger({ level: 'warn' }),
  });
  spawnSync('taskset', ['-pc', LOAD_CORE, String(process.pid)]);
  const dbName = `soak_${randomBytes(3).toString('hex')}`;
  const server = await startTeamlens(`${embedded.uri.replace(/\/?$/, '/')}${dbName}`, dataDir);
  const { origin } = server;
  const conn = createDatabaseConnection();
  await openDatabase(conn, embedded.uri, { timeoutMs: 5000, dbName });
  try {
    const setup = await prepare(origin, 50);
    // Other rounds' responses, 1,000 a round, where the app's store keeps them.
    const layout = layoutFor(await createCapabilityProbe(conn)());
    for (let stored = 0; stored < STORED; stored += 1000) {
      const roundId = randomBytes(16).toString('base64url');
      await storeResponses(
        conn,
        layout,
        Array.from({ length: Math.min(1000, STORED - stored) }, () => ({
          _id: randomBytes(16).toString('base64url'),
          workspaceId: 'elsewhere',
          roundId,
          editKeyHash: randomBytes(32).toString('hex'),
          day: '2026-12-01',
          answers: TENSION_ITEMS.map((itemId, k) => ({ itemId, value: 1 + ((stored + k) % 7) })),
        })),
      );
    }
    process.stderr.write(`stored: ${STORED} responses in other rounds (${layout} layout)\n`);

    const send: Record<Kind, () => Promise<Response>> = {
      'respondent page': () => fetch(`${origin}/r/${setup.link}`),
      submission: () =>
        fetch(`${origin}/api/v1/r/${setup.link}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': crowd() },
          body: setup.answerBody(),
        }),
      'report page': () =>
        fetch(`${origin}/reports/rounds/${setup.roundId}`, { headers: { cookie: setup.cookie } }),
    };
    const latencies = new Map(KINDS.map((k) => [k, [] as number[]]));
    const errors = new Map(KINDS.map((k) => [k, 0]));
    const rss: { at: number; mb: number | null; db: number | null }[] = [];
    const loadBefore = os.loadavg();
    const start = performance.now();
    const inFlight: Promise<void>[] = [];
    const total = SECONDS * RATE;
    for (let i = 0; i < total; i += 1) {
      // Open loop: request i leaves at start + i / RATE, whatever the others are doing.
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (i % (RATE * 10) === 0) {
        rss.push({
          at: Math.round((performance.now() - start) / 1000),
          mb: await rssMb(server.child.pid),
          db: await rssMb(embedded.pid() ?? undefined),
        });
      }
      const kind = KINDS[i % KINDS.length]!;
      const began = performance.now();
      inFlight.push(
        send[kind]().then(
          async (res) => {
            await res.arrayBuffer();
            latencies.get(kind)!.push(performance.now() - began);
            if (res.status >= 400) errors.set(kind, errors.get(kind)! + 1);
          },
          () => {
            latencies.get(kind)!.push(performance.now() - began);
            errors.set(kind, errors.get(kind)! + 1);
          },
        ),
      );
    }
    await Promise.all(inFlight);
    rss.push({
      at: Math.round((performance.now() - start) / 1000),
      mb: await rssMb(server.child.pid),
      db: await rssMb(embedded.pid() ?? undefined),
    });
    const loadAfter = os.loadavg();

    const afterMinute = rss.find((r) => r.at >= 60) ?? rss[0]!;
    const last = rss.at(-1)!;
    const growth = (a: number | null, b: number | null) =>
      a && b ? `${(((b - a) / a) * 100).toFixed(1)} %` : 'n/a';
    const lines = [
      `Soak: ${RATE} requests/s for ${SECONDS} s (open loop), ${STORED.toLocaleString('en-US')} responses stored in other rounds, ${embedded.description}; server on core ${SERVER_CORE}, load on core ${LOAD_CORE}`,
      `Machine load average (1 min) before ${loadBefore[0]!.toFixed(2)}, after ${loadAfter[0]!.toFixed(2)}`,
      '',
      '| request | requests | p50 ms | p99 ms | max ms | errors |',
      '|---|---:|---:|---:|---:|---:|',
      ...KINDS.map((k) => {
        const values = latencies.get(k)!;
        return `| ${k} | ${values.length} | ${percentile(values, 0.5).toFixed(1)} | ${percentile(values, 0.99).toFixed(1)} | ${Math.max(...values).toFixed(1)} | ${errors.get(k)} |`;
      }),
      '',
      `Server RSS: ${afterMinute.mb?.toFixed(0)} MB after ${afterMinute.at} s, ${last.mb?.toFixed(0)} MB at ${last.at} s (${growth(afterMinute.mb, last.mb)}); FerretDB RSS ${afterMinute.db?.toFixed(0)} → ${last.db?.toFixed(0)} MB (${growth(afterMinute.db, last.db)})`,
      `RSS samples (s: server MB / FerretDB MB): ${rss.map((r) => `${r.at}: ${r.mb?.toFixed(0)}/${r.db?.toFixed(0)}`).join(', ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await closeDatabase(conn);
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
