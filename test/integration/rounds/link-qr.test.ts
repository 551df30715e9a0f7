import request from 'supertest';
import type { Express } from 'express';
import { qrSvg } from '../../../src/shared/qr';
import { bearer, loggedInAgent } from '../../support/auth';
import { type Account, type Api, apiSignup, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';

/** The round's link as a QR code (API and page) and on a printable invitation card. */
let db: TestDatabase, app: Express, coach: Account, api: Api;
const BASE_URL = 'https://teamlens.example.org';

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({ env: { BASE_URL } }));
});
afterAll(() => db.drop());

/** An SVG answer's markup (supertest keeps only text/* as text). */
const asText = (res: request.Response, callback: (err: Error | null, body: string) => void) => {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => callback(null, text));
};
const qrOf = async (roundId: string) =>
  (
    await request(app)
      .get(`/api/v1/rounds/${roundId}/qr.svg`)
      .set(bearer(coach.token))
      .buffer(true)
      .parse(asText)
  ).body as string;

it('is an SVG of the respondent link, made again for a new link', async () => {
  const { roundId, link } = await api.openRound();

  const res = await api.get(`/rounds/${roundId}/qr.svg`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
  expect(res.headers['cache-control']).toBe('private, no-store');
  // The same code the library makes from the full link: the link, not the page, is encoded.
  const svg = await qrOf(roundId);
  expect(svg).toBe(await qrSvg(`${BASE_URL}/r/${link}`));

  const rotated = await api.post(`/rounds/${roundId}/rotate-link`);
  const again = await qrOf(roundId);
  expect(again).toBe(await qrSvg(`${BASE_URL}/r/${rotated.body.link.token}`));
  expect(again).not.toBe(svg);
});

it('is on the round page and on an invitation card, with the link and what to expect', async () => {
  const { roundId, link } = await api.openRound({ teamName: 'Platform <b>' });
  const agent = await loggedInAgent(app, coach.email);

  const page = await agent.get(`/rounds/${roundId}`);
  expect(page.text).toContain(`src="/rounds/${roundId}/qr.svg"`);
  const image = await agent.get(`/rounds/${roundId}/qr.svg`);
  expect(image.headers['content-type']).toMatch(/^image\/svg\+xml/);

  const card = await agent.get(`/rounds/${roundId}/card`);
  expect(card.status).toBe(200);
  expect(card.text).toContain(await qrSvg(`${BASE_URL}/r/${link}`));
  expect(card.text).toContain(`<code>${BASE_URL}/r/${link}</code>`);
  expect(card.text).toContain('Platform &lt;b&gt;');
  expect(card.text).toContain('no figure is shown for fewer than 3 people');
});

it('is not for anyone signed out, nor for another workspace', async () => {
  const { roundId } = await api.openRound();
  const outsider = await apiSignup(app);
  expect((await request(app).get(`/rounds/${roundId}/card`)).status).toBe(303);
  expect((await request(app).get(`/api/v1/rounds/${roundId}/qr.svg`)).status).toBe(401);
  const other = await request(app)
    .get(`/api/v1/rounds/${roundId}/qr.svg`)
    .set(bearer(outsider.token));
  expect(other.status).toBe(404);
});
