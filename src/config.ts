import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Environment booleans: only these spellings, so a typo fails at start instead of reading as false. */
const envBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Express's names for address ranges (its proxy-addr package): usable in TRUST_PROXY. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'] as const;

/**
 * Whom Express believes about X-Forwarded-*: nobody (false), the nearest `n` hops, or the peers
 * in these addresses, ranges and named ranges (Express's own `trust proxy` forms).
 */
export type TrustProxy = false | number | readonly string[];

/** An address, or an address/prefix, as proxy-addr accepts it (a prefix of 0 it refuses). */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return (
    /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128)
  );
}

const TrustProxySetting = z.string().transform((value, ctx): TrustProxy => {
  if (value === 'false' || value === '0') return false;
  if (value === 'true') {
    // `true` believes every hop, so any client picks its own address by sending the header
    // and walks past every per-address limit. Refused rather than guessed: the right hop
    // count depends on the deployment, and a wrong guess fails silently.
    ctx.addIssue({
      code: 'custom',
      message:
        'true would believe every X-Forwarded-For entry, which clients can forge: give the number of proxies in front of Teamlens (e.g. 1) or their addresses (e.g. loopback or 10.0.0.0/8)',
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!(NAMED_RANGES as readonly string[]).includes(entry) && !isAddressOrRange(entry)) {
      ctx.addIssue({
        code: 'custom',
        message: `“${entry}” is neither an address, a range (address/prefix) nor one of ${NAMED_RANGES.join(', ')}`,
      });
    }
  }
  return Object.freeze(entries);
});

/**
 * Every environment variable Teamlens reads. Each key is described: `.env.example` and the
 * README's configuration table are checked against these descriptions by a unit test.
 */
export const EnvSchema = z.object({
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe('TCP port of the HTTP server; 0 picks a free port'),
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Interface to listen on; 0.0.0.0 to accept connections from other machines'),
  BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional()
    .describe(
      'The address people reach Teamlens at, e.g. https://teamlens.example.org; links in invitations and respondent links are built from it. Unset: http://localhost:PORT',
    ),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional()
    .describe('MongoDB connection string; when unset an embedded database is started'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('data')
    .describe('Where the embedded database keeps its files (relative to the working directory)'),
  EMBEDDED_DB: z
    .enum(['auto', 'mongod', 'ferretdb'])
    .default('auto')
    .describe(
      'Which embedded database to start without MONGODB_URI: auto tries mongod, then FerretDB',
    ),
  DB_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60000)
    .default(2000)
    .describe('How long a database request waits for a reachable server before answering 503'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info').describe('pino log level'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]/, 'must start with smtp:// or smtps:// and name a host')
    .optional()
    .describe(
      'The mail server invitations and reminders go out through, e.g. smtp://user:password@mail.example.org:587 (smtps:// for TLS from the start); unset: invitations by e-mail are off',
    ),
  MAIL_FROM: z
    .string()
    .regex(/^[^\r\n]*@[^\r\n]*$/, 'must be an address, e.g. Teamlens <teamlens@example.org>')
    .optional()
    .describe(
      'The sender of invitations and reminders, e.g. Teamlens <teamlens@example.org>; needed with SMTP_URL',
    ),
  TRUST_PROXY: TrustProxySetting.default(false).describe(
    'Behind reverse proxies: how many there are (e.g. 1), or their addresses and ranges, comma-separated (e.g. loopback, 10.0.0.0/8); client addresses then come from X-Forwarded-For. false: none',
  ),
  SECURE_COOKIES: envBoolean
    .default(false)
    .describe('Set when served over HTTPS: Secure cookies, HSTS and upgrade-insecure-requests'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/, 'must be a size such as 100kb or 1mb')
    .default('100kb')
    .describe('Largest accepted request body; larger ones get 413'),
  SESSION_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'The master secret: session cookies, invitation links and rate-limit keys each use a key derived from it; the same on every instance. Unset: kept in DATA_DIR (embedded database) or random per start',
    ),
  SESSION_SECRET_PREVIOUS: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'While rotating SESSION_SECRET: its value before; sessions and invitation links signed with it keep working, nothing new is signed with it',
    ),
  AUTH_RATE_LIMIT_PER_IP: z.coerce
    .number()
    .int()
    .min(1)
    .default(50)
    .describe(
      'Password attempts (log-in, token requests, password changes) and sign-ups allowed per client address in 15 minutes',
    ),
  AUTH_RATE_LIMIT_PER_ACCOUNT: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe(
      'Password attempts (log-in, token requests, password changes) allowed per account in 15 minutes',
    ),
  CHROMIUM_PATH: z
    .string()
    .min(1)
    .default('/usr/bin/chromium')
    .describe('The Chromium that renders PDF reports (Debian package: chromium)'),
  PDF_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(32)
    .default(2)
    .describe(
      'PDF reports printed at once by the one Chromium; each takes a CPU core while it runs',
    ),
  PDF_QUEUE: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(10)
    .describe(
      'PDF reports that may wait for a turn (at most 10 s each); more at once are refused with 503 PDF_BUSY',
    ),
  LIVE_POLL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(10_000)
    .default(1000)
    .describe(
      'Live sessions: how often each instance reads a watched session and its count again (answers and changes made on other instances)',
    ),
  LIVE_HEARTBEAT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(15_000)
    .describe(
      'Live sessions: a comment sent on each idle event stream this often, so proxies keep it open',
    ),
  SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(120000)
    .default(10000)
    .describe('How long in-flight requests may take to finish after SIGTERM before a forced exit'),
});

export type Config = Readonly<{
  http: Readonly<{
    port: number;
    host: string;
    trustProxy: TrustProxy;
    secureCookies: boolean;
    bodyLimit: string;
    shutdownGraceMs: number;
    /** Where people reach the service: links sent out are built from it, never from Host. */
    baseUrl: string;
    /** False when BASE_URL was not set and baseUrl is the local default. */
    baseUrlConfigured: boolean;
  }>;
  mongo: Readonly<{ uri: string | undefined; timeoutMs: number }>;
  embedded: Readonly<{ dataDir: string; kind: 'auto' | 'mongod' | 'ferretdb' }>;
  log: Readonly<{ level: (typeof LOG_LEVELS)[number] }>;
  pdf: Readonly<{ chromiumPath: string; concurrency: number; queueLimit: number }>;
  /** Live sessions' event streams: how often a watched session is read, and the heartbeat. */
  live: Readonly<{ pollMs: number; heartbeatMs: number }>;
  /** Invitations by e-mail: null when SMTP_URL or MAIL_FROM is unset (they are off then). */
  mail: Readonly<{ smtpUrl: string; from: string }> | null;
  auth: Readonly<{
    sessionSecret: string | undefined;
    /** The master secret before a rotation: it verifies, never signs (see shared/keys.ts). */
    previousSessionSecret: string | undefined;
    rateLimitPerIp: number;
    rateLimitPerAccount: number;
  }>;
}>;

/** Thrown by loadConfig with every bad key in one message, so a deployment is fixed in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment. Pure: pass an object in tests. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // CASE: an empty variable (FOO= in a .env file) means "not set", not "the empty string".
  const present = Object.fromEntries(
    Object.keys(EnvSchema.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value === '' ? [] : [[key, value]];
    }),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  if ((e.SMTP_URL === undefined) !== (e.MAIL_FROM === undefined)) {
    throw new ConfigError([
      'SMTP_URL and MAIL_FROM: set both to send invitations by e-mail, or neither',
    ]);
  }
  // Personal invitation links are signed with a key derived from the session secret. With
  // MONGODB_URI and no SESSION_SECRET it is new at every start, and every link sent before
  // would stop working.
  if (e.SMTP_URL !== undefined && e.MONGODB_URI !== undefined && e.SESSION_SECRET === undefined) {
    throw new ConfigError([
      'SESSION_SECRET: set it with SMTP_URL and MONGODB_URI: invitation links are signed with it and must keep working after a restart',
    ]);
  }
  return Object.freeze({
    http: Object.freeze({
      port: e.PORT,
      host: e.HOST,
      trustProxy: e.TRUST_PROXY,
      secureCookies: e.SECURE_COOKIES,
      bodyLimit: e.BODY_LIMIT,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      baseUrl: e.BASE_URL ?? `http://localhost:${e.PORT}`,
      baseUrlConfigured: e.BASE_URL !== undefined,
    }),
    mongo: Object.freeze({ uri: e.MONGODB_URI, timeoutMs: e.DB_TIMEOUT_MS }),
    embedded: Object.freeze({ dataDir: path.resolve(e.DATA_DIR), kind: e.EMBEDDED_DB }),
    log: Object.freeze({ level: e.LOG_LEVEL }),
    pdf: Object.freeze({
      chromiumPath: e.CHROMIUM_PATH,
      concurrency: e.PDF_CONCURRENCY,
      queueLimit: e.PDF_QUEUE,
    }),
    live: Object.freeze({ pollMs: e.LIVE_POLL_MS, heartbeatMs: e.LIVE_HEARTBEAT_MS }),
    mail:
      e.SMTP_URL && e.MAIL_FROM ? Object.freeze({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM }) : null,
    auth: Object.freeze({
      sessionSecret: e.SESSION_SECRET,
      previousSessionSecret: e.SESSION_SECRET_PREVIOUS,
      rateLimitPerIp: e.AUTH_RATE_LIMIT_PER_IP,
      rateLimitPerAccount: e.AUTH_RATE_LIMIT_PER_ACCOUNT,
    }),
  });
}
