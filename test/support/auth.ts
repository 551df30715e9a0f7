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

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
