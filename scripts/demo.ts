// `npm run demo`: with Teamlens running (npm start), creates a demo account whose workspace holds
// three teams with rounds and answers, and prints how to log in. Uses only the public API.
//   BASE_URL=http://127.0.0.1:3000 npm run demo
import { randomBytes } from 'node:crypto';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

async function post(path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function main(): Promise<void> {
  const email = `demo-${randomBytes(3).toString('hex')}@example.com`;
  const password = randomBytes(9).toString('base64url');
  const account = await post('/auth/signup', {
    name: 'Demo Coach',
    email,
    password,
    workspaceName: 'Demo workspace',
  });
  const seeded = await post('/demo', {}, String(account.token));
  process.stdout.write(
    [
      `Demo ready: ${String(seeded.teams)} teams, ${String(seeded.rounds)} rounds, ${String(seeded.responses)} answers.`,
      `Log in at ${base}/login with`,
      `  email:    ${email}`,
      `  password: ${password}`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof Error ? err.message : String(err)}\nIs Teamlens running at ${base}? Start it with npm start.\n`,
  );
  process.exit(1);
});
