// Live session benchmark: `npm run bench:live` (issue #23). Against dist/server.js and the
// embedded database, on loopback only:
//  1. one instance: two presenters and a facilitator follow a session's event stream while 50
//     phones answer over BENCH_SECONDS (default 60), open loop; midway one presenter loses its
//     connection and comes back after the server's `retry` with Last-Event-ID, as EventSource
//     does. The lag of an answer is the time from its 201 (the i-th) until a client sees a count
//     of at least i.
//  2. two instances on one database: the clients listen on A, the phones answer on B, so only
//     A's polling can bring the count (what a deployment behind a load balancer depends on).
//  3. memory: BENCH_STREAMS (default 500) idle streams opened at once; the server's RSS and open
//     files before, with them, and after they closed.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openEvents } from '../test/support/events';
import { crowd, prepareRound } from './support/coach';
import { rssMb, startDatabaseOnServerCore, startTeamlens } from './support/processes';
import { percentile } from './support/stats';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PHONES = 50;
const STREAMS = Number(process.env.BENCH_STREAMS ?? 500);
/** EventSource's wait before it reconnects when the server says none (Chromium's), ms. */
const DEFAULT_RETRY_MS = 3_000;
/** How long the clients may take to see the last answer before the stage gives up, ms. */
const SETTLE_MS = 10_000;
const TARGET_P99_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Seen = { n: number; at: number };

/**
 * A client of a session's stream that notes when each count arrived (performance.now()), and
 * can drop its connection and resume with the last event's id, as EventSource does.
 */
async function follow(url: string, label: string) {
  const seen: Seen[] = [];
  let lastId: string | null = null;
  let resumedWith: number | null = null;
  let stream: Awaited<ReturnType<typeof openEvents>>;
  const connect = async (resuming: boolean) => {
    stream = await openEvents(url, {
      'x-forwarded-for': crowd(),
      ...(lastId ? { 'Last-Event-ID': lastId } : {}),
    });
    if (stream.status !== 200) throw new Error(`${label}: the stream answered ${stream.status}`);
    const mine = stream;
    void (async () => {
      for (;;) {
        const event = await mine.next(3_600_000).catch(() => null);
        if (!event) return; // closed
        lastId = event.id ?? lastId;
        if (event.event !== 'count') continue;
        const { n } = event.data as { n: number };
        if (resuming && resumedWith === null) resumedWith = n;
        seen.push({ n, at: performance.now() });
      }
    })();
  };
  await connect(false);
  return {
    label,
    seen,
    resumedWith: () => resumedWith,
    last: () => seen.at(-1)?.n ?? 0,
    close: () => stream.close(),
    /** Drops the connection, waits as EventSource would, and resumes; the time it was away. */
    async dropAndResume(): Promise<number> {
      const from = performance.now();
      // As EventSource: the wait the server's `retry:` line asked for.
      const wait = stream.retryMs() ?? DEFAULT_RETRY_MS;
      stream.close();
      await sleep(wait);
      await connect(true);
      return performance.now() - from;
    },
  };
}
type Follower = Awaited<ReturnType<typeof follow>>;

/**
 * Sends `count` answers to `origin`'s round link, evenly over `seconds`, each at its time however
 * long the others take; resolves with the times of the 201s, in the order they came.
 */
async function answer(
  origin: string,
  link: string,
  body: () => string,
  count: number,
  seconds: number,
  /** Runs halfway through, given the 201s so far. */
  midway?: (accepted: readonly number[]) => Promise<void>,
): Promise<{ accepted: number[]; errors: number }> {
  const accepted: number[] = [];
  let errors = 0;
  const start = performance.now();
  const sends = Array.from({ length: count }, async (_, i) => {
    await sleep(Math.max(0, start + (i * seconds * 1000) / count - performance.now()));
    const res = await fetch(`${origin}/api/v1/r/${link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': crowd() },
      body: body(),
    }).catch(() => null);
    if (res?.status === 201) accepted.push(performance.now());
    else errors += 1;
    await res?.arrayBuffer();
  });
  const during = midway
    ? sleep((seconds * 1000) / 2).then(() => midway(accepted))
    : Promise.resolve();
  await Promise.all([...sends, during]);
  return { accepted, errors };
}

/** Waits until every client saw `n` (or SETTLE_MS passed). */
async function settle(clients: readonly Follower[], n: number): Promise<void> {
  const deadline = performance.now() + SETTLE_MS;
  while (performance.now() < deadline && clients.some((c) => c.last() < n)) await sleep(50);
}

/** Each answer's lag for a client: from the i-th 201 to its first count ≥ i; null: never seen. */
function lagsOf(client: Follower, accepted: readonly number[]): (number | null)[] {
  return accepted.map((at, i) => {
    const first = client.seen.find((s) => s.n >= i + 1);
    return first ? Math.max(0, first.at - at) : null;
  });
}

type LagRow = {
  label: string;
  answers: number;
  unseen: number;
  p50: number;
  p99: number;
  max: number;
  last: number;
};

function lagRow(label: string, clients: readonly Follower[], accepted: readonly number[]): LagRow {
  const all = clients.flatMap((c) => lagsOf(c, accepted));
  const lags = all.filter((l): l is number => l !== null);
  return {
    label,
    answers: accepted.length,
    unseen: all.length - lags.length,
    p50: percentile(lags, 0.5),
    p99: percentile(lags, 0.99),
    max: lags.length ? Math.max(...lags) : Number.NaN,
    last: Math.min(...clients.map((c) => c.last())),
  };
}

const openFiles = async (pid: number | undefined) =>
  (await readdir(`/proc/${pid}/fd`).catch(() => [])).length;

/** The connections the server at `origin` holds open to its clients (Linux /proc/net/tcp). */
async function connectionsTo(origin: string): Promise<number> {
  const port = Number(new URL(origin).port).toString(16).toUpperCase().padStart(4, '0');
  const table = await readFile('/proc/net/tcp', 'utf8').catch(() => '');
  // Fields: sl, local address:port, remote address:port, state (01: established).
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${port}`) && f[3] === '01').length;
}

/** A coach's anonymous tensions round (k = 3), open, with a live session: its link and stream. */
async function aSession(origin: string) {
  const setup = await prepareRound(origin, 0, { demo: false });
  const res = await fetch(`${origin}/api/v1/rounds/${setup.roundId}/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${setup.token}`, 'x-forwarded-for': crowd() },
  });
  if (!res.ok) throw new Error(`starting the session: ${res.status} ${await res.text()}`);
  const { presenterUrl } = (await res.json()) as { presenterUrl: string };
  const presenter = presenterUrl.split('/present/')[1]!;
  return {
    ...setup,
    events: (on: string) =>
      `${on}/api/v1/rounds/${setup.roundId}/session/events?presenter=${encodeURIComponent(presenter)}`,
  };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-live-'));
  const embedded = await startDatabaseOnServerCore(dataDir);
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  const databaseUri = `${uri.replace(/\/?$/, '/')}live_${randomBytes(3).toString('hex')}`;
  const a = await startTeamlens(databaseUri, dataDir);
  let b: Awaited<ReturnType<typeof startTeamlens>> | null = null;
  const out: string[] = [];
  try {
    // 1. One instance: it hears its own answers.
    const one = await aSession(a.origin);
    const presenter1 = await follow(one.events(a.origin), 'presenter 1');
    const presenter2 = await follow(one.events(a.origin), 'presenter 2 (dropped midway)');
    const facilitator = await follow(one.events(a.origin), 'facilitator');
    const clients = [presenter1, presenter2, facilitator];
    let awayMs = 0;
    let storedAtResume = 0;
    const first = await answer(
      a.origin,
      one.link,
      one.answerBody,
      PHONES,
      SECONDS,
      async (accepted) => {
        awayMs = await presenter2.dropAndResume();
        storedAtResume = accepted.length;
      },
    );
    await settle(clients, PHONES);
    for (const c of clients) c.close();
    out.push(
      `Stage 1, one instance: ${clients.length} clients connected, ${first.accepted.length} of ${PHONES} answers stored over ${SECONDS} s (${first.errors} errors); presenter 2 was away ${(awayMs / 1000).toFixed(1)} s and resumed with a count of ${presenter2.resumedWith()} (${storedAtResume} answers stored by then)`,
      ...table([
        ...clients.map((c) => lagRow(c.label, [c], first.accepted)),
        lagRow('the two that stayed connected', [presenter1, facilitator], first.accepted),
        lagRow('all three', clients, first.accepted),
      ]),
    );

    // 2. Two instances on one database: clients on A, answers to B.
    b = await startTeamlens(databaseUri, dataDir);
    const two = await aSession(a.origin);
    const onA = [
      await follow(two.events(a.origin), 'presenter on A'),
      await follow(two.events(a.origin), 'facilitator on A'),
    ];
    const twoPhones = Math.min(PHONES, 20);
    const second = await answer(b.origin, two.link, two.answerBody, twoPhones, twoPhones / 2);
    await settle(onA, twoPhones);
    for (const c of onA) c.close();
    out.push(
      `Stage 2, two instances on one database: ${onA.length} clients on A, ${second.accepted.length} of ${twoPhones} answers stored through B over ${twoPhones / 2} s (${second.errors} errors), ${SETTLE_MS / 1000} s allowed to settle`,
      ...table([lagRow('both clients on A', onA, second.accepted)]),
    );
    b.child.kill('SIGTERM');
    await new Promise((resolve) => b!.child.once('exit', resolve));
    b = null;

    // 3. Memory per stream: idle streams on A's stage 1 session (A is idle otherwise).
    await sleep(2_000);
    const reading = async () => ({
      rss: await rssMb(a.child.pid),
      files: await openFiles(a.child.pid),
      connections: await connectionsTo(a.origin),
    });
    const before = await reading();
    const streams: Awaited<ReturnType<typeof openEvents>>[] = [];
    for (let i = 0; i < STREAMS; i += 50)
      streams.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, STREAMS - i) }, () =>
            openEvents(one.events(a.origin), { 'x-forwarded-for': crowd() }),
          ),
        )),
      );
    const connected = streams.filter((s) => s.status === 200).length;
    await sleep(2_000);
    const open = await reading();
    for (const s of streams) s.close();
    await Promise.all(streams.map((s) => s.closed()));
    await sleep(2_000);
    const after = await reading();
    const perStreamKb = ((open.rss! - before.rss!) * 1024) / connected;
    out.push(
      `Stage 3, memory: ${connected} of ${STREAMS} idle streams connected at once`,
      '',
      '| server | RSS MB | client connections | open files |',
      '|---|---:|---:|---:|',
      ...(
        [
          ['before', before],
          ['with the streams', open],
          ['after they closed', after],
        ] as const
      ).map(([when, r]) => `| ${when} | ${r.rss?.toFixed(1)} | ${r.connections} | ${r.files} |`),
      '',
      `RSS per stream: ${perStreamKb.toFixed(1)} KB; target lag p99 < ${TARGET_P99_MS} ms.`,
    );
  } finally {
    b?.child.kill('SIGTERM');
    a.child.kill('SIGTERM');
    await new Promise((resolve) => a.child.once('exit', resolve));
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function table(rows: readonly LagRow[]): string[] {
  const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(0));
  return [
    '',
    '| client | answers | never seen | lag p50 ms | lag p99 ms | lag max ms | final count |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.answers} | ${r.unseen} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.last} |`,
    ),
    '',
  ];
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
