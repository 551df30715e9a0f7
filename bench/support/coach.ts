// A coach and an answered round on a running Teamlens, for the load and soak benchmarks.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadBuiltinDefinitions } from '../../src/features/questionnaires/questionnaire.content';
import { CONTENT_DIR } from '../../src/paths';
import { sessionCookie } from '../../scripts/support/local-app';

/** The item ids of the built-in "Tensions in how we work", read from its file. */
export const TENSION_ITEMS = loadBuiltinDefinitions(path.join(CONTENT_DIR, 'questionnaires'))
  .find((d) => d.slug === 'tensions-in-how-we-work')!
  .sections.flatMap((s) => s.items.map((i) => i.id));

/** A different client address per request, so per-address rate limits see a crowd, not one host. */
export const crowd = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

/**
 * A coach with an API token and an open round of the built-in tensions questionnaire (anonymous,
 * k = 3) with `responses` answers; with `demo`, the demo data too (for the dashboard).
 */
export async function prepareRound(origin: string, responses: number, options: { demo: boolean }) {
  const api = async <T>(method: string, p: string, body?: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${origin}/api/v1${p}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': crowd(),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const email = `load-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'load bench password';
  const { token } = await api<{ token: string }>('POST', '/auth/signup', {
    name: 'Load',
    email,
    password,
    workspaceName: 'Load',
  });
  if (options.demo) await api('POST', '/demo', undefined, token);
  const team = await api<{ id: string }>('POST', '/teams', { name: 'Load team' }, token);
  const answerBody = () =>
    JSON.stringify({
      answers: TENSION_ITEMS.map((itemId) => ({ itemId, value: 1 + (randomBytes(1)[0]! % 7) })),
    });
  const answeredRound = async (title: string) => {
    const round = await api<{ id: string; link: { token: string } }>(
      'POST',
      '/rounds',
      { teamId: team.id, questionnaire: { slug: 'tensions-in-how-we-work' }, title },
      token,
    );
    await api('POST', `/rounds/${round.id}/open`, undefined, token);
    for (let i = 0; i < responses; i += 1) {
      await api('POST', `/r/${round.link.token}`, JSON.parse(answerBody()));
    }
    return round;
  };
  const open = await answeredRound('Open');

  return { link: open.link.token, answerBody, roundId: open.id, token, email, password };
}

/** What prepareRound makes, with the demo data, and the coach's session cookie. */
export async function prepare(origin: string, responses: number) {
  const { email, password, ...round } = await prepareRound(origin, responses, { demo: true });
  return { ...round, cookie: await sessionCookie(origin, { email, password }) };
}
