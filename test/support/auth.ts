import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

export type Agent = TestAgent;

let counter = 0;
/** A unique email for one test user. */
export function anEmail(prefix = 'coach'): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString('hex')}@example.com`;
}

export const PASSWORD = 'correct horse battery staple';

/** The `_csrf` value of the first form on a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

/** The session cookie (`teamlens.sid=…`) a response sets, without its attributes. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  return ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .find((c) => c.startsWith('teamlens.sid='))
    ?.split(';')[0];
}

/** GETs a page and POSTs a form from it with its CSRF token. */
export async function submitForm(
  agent: Agent,
  pageUrl: string,
  action: string,
  fields: Record<string, string>,
) {
  const page = await agent.get(pageUrl);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfOf(page.text), ...fields });
}

/** A browser-like agent (keeps cookies) signed up through the sign-up page. */
export async function signedInAgent(
  app: Express,
  options: { email?: string; name?: string; workspaceName?: string } = {},
): Promise<{ agent: Agent; email: string }> {
  const agent = request.agent(app);
  const email = options.email ?? anEmail();
  const res = await submitForm(agent, '/signup', '/signup', {
    name: options.name ?? 'Casey Coach',
    email,
    password: PASSWORD,
    workspaceName: options.workspaceName ?? 'Casey’s practice',
  });
  if (res.status !== 303)
    throw new Error(`sign-up failed: ${res.status} ${res.text.slice(0, 500)}`);
  return { agent, email };
}

/** A browser-like agent (keeps cookies) logged in through the log-in page as `email`. */
export async function loggedInAgent(app: Express, email: string): Promise<Agent> {
  const agent = request.agent(app);
  const res = await submitForm(agent, '/login', '/login', { email, password: PASSWORD });
  if (res.status !== 303) throw new Error(`log-in failed: ${res.status} ${res.text.slice(0, 500)}`);
  return agent;
}

/** A user, a workspace and an owner token, through the API. */
export async function apiSignup(
  app: Express,
  options: { email?: string; workspaceName?: string } = {},
): Promise<{ token: string; workspaceId: string; userId: string; email: string }> {
  const email = options.email ?? anEmail();
  const res = await request(app)
    .post('/api/v1/auth/signup')
    .send({
      name: 'Api User',
      email,
      password: PASSWORD,
      workspaceName: options.workspaceName ?? 'Api workspace',
    });
  if (res.status !== 201)
    throw new Error(`API sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  const body = res.body as { token: string; workspaceId: string; user: { id: string } };
  return { token: body.token, workspaceId: body.workspaceId, userId: body.user.id, email };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** An open round of `slug` for a new team of the token's workspace; returns ids and link token. */
export async function anOpenRound(
  app: Express,
  token: string,
  options: {
    slug?: string;
    anonymity?: 'anonymous' | 'named';
    minGroupSize?: number;
    teamName?: string;
    access?: 'link' | 'invited';
  } = {},
): Promise<{ roundId: string; teamId: string; link: string }> {
  const team = await request(app)
    .post('/api/v1/teams')
    .set(bearer(token))
    .send({ name: options.teamName ?? `Team ${randomBytes(3).toString('hex')}` });
  if (team.status !== 201)
    throw new Error(`could not create the team: ${JSON.stringify(team.body)}`);
  const teamId = (team.body as { id: string }).id;
  const created = await request(app)
    .post('/api/v1/rounds')
    .set(bearer(token))
    .send({
      teamId,
      questionnaire: { slug: options.slug ?? 'drivers-constraints-floats' },
      title: 'Round under test',
      anonymity: options.anonymity ?? 'anonymous',
      minGroupSize: options.minGroupSize ?? (options.anonymity === 'named' ? 1 : 3),
      ...(options.access ? { access: options.access } : {}),
    });
  const round = created.body as { id: string; link: { token: string } };
  const opened = await request(app).post(`/api/v1/rounds/${round.id}/open`).set(bearer(token));
  if (opened.status !== 200)
    throw new Error(`could not open the round: ${JSON.stringify(opened.body)}`);
  return { roundId: round.id, teamId, link: round.link.token };
}
