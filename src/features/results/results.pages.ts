import { Router } from 'express';
import { parseInput } from '../../shared/http/validate';
import { qrSvg } from '../../shared/qr';
import { pageActor, requireLogin } from '../accounts';
import { toReportView } from '../reports';
import { RoundIdParams, type RoundService } from '../rounds';
import { ResultsToken } from './results.schemas';
import type { ResultsService } from './results.service';
import { resultsLinkUrl, toResultsLinkPage } from './results.view-model';

const messages = {
  created: 'The team results link is ready: share it with the team.',
  revoked: 'The team results link has been revoked: it no longer works.',
} as const;

/**
 * The team's page of a round (GET /results/:token): no account and no session, so app.ts
 * mounts it before the session. It shows no menu and no control, and is kept out of caches,
 * search engines and Referer headers, as its address is the key to it.
 */
export function createResultsPublicRouter({ results }: { results: ResultsService }): Router {
  const router = Router();
  router.get('/results/:token', async (req, res) => {
    res.set({
      'Cache-Control': 'private, no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex, nofollow',
    });
    // The header as respondents see it: the brand alone, no menu of the application.
    const page = { respondent: true };
    const parsed = ResultsToken.safeParse(req.params);
    const report = parsed.success ? await results.view(parsed.data.token) : null;
    if (!report) {
      // CASE: a malformed, forged, unknown or revoked token: one page for all of them.
      res.status(404).render('results/invalid', { ...page, title: 'This link is not valid' });
      return;
    }
    res.render('reports/round', {
      ...toReportView(report, { print: false, canAgree: false, audience: 'team' }),
      ...page,
    });
  });
  return router;
}

/** The coach's pages of a round's team results link (session and CSRF, as every page). */
export function createResultsPagesRouter({
  results,
  rounds,
}: {
  results: ResultsService;
  rounds: Pick<RoundService, 'get' | 'effectiveStatus'>;
}): Router {
  const router = Router();
  router.use('/rounds', requireLogin);

  /** GET /rounds/:roundId/results-link — the link, or the button that makes it */
  router.get('/rounds/:roundId/results-link', async (req, res) => {
    const actor = pageActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const link = await results.find(actor, roundId);
    const round = await rounds.get(actor, roundId);
    res.render(
      'results/link',
      toResultsLinkPage({ round, status: rounds.effectiveStatus(round), link }),
    );
  });

  /** GET /rounds/:roundId/results-link/qr.svg — the link as a QR code */
  router.get('/rounds/:roundId/results-link/qr.svg', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { url } = await results.get(pageActor(res), roundId);
    res
      .type('image/svg+xml')
      .set('Cache-Control', 'private, no-store')
      .send(await qrSvg(url));
  });

  /** POST /rounds/:roundId/results-link — make it (or keep the one there is) */
  router.post('/rounds/:roundId/results-link', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    await results.create(pageActor(res), roundId);
    req.session.flash = messages.created;
    res.redirect(303, resultsLinkUrl(roundId));
  });

  /** POST /rounds/:roundId/results-link/revoke */
  router.post('/rounds/:roundId/results-link/revoke', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    await results.revoke(pageActor(res), roundId);
    req.session.flash = messages.revoked;
    res.redirect(303, resultsLinkUrl(roundId));
  });

  return router;
}
