import { Router, type Response } from 'express';
import { parseInput } from '../../shared/http/validate';
import { formatDate } from '../../shared/views/helpers';
import { pageActor, requireLogin } from '../accounts';
import { hasRole, type Actor } from '../workspaces';
import { safeFileName } from '../../shared/csv';
import { toComparisonView, toTrendView } from './comparison.view-model';
import {
  CompareQuery,
  ExportQuery,
  PdfQuery,
  RoundIdParams,
  TeamIdParams,
  TrendQuery,
} from './report.schemas';
import type { ReportService } from './report.service';
import { pickerChoice, printHeaderCss, toReportView } from './report.view-model';

/** Coaches agree actions from a report's items. */
const canAgree = (actor: Actor) => hasRole(actor.role, 'coach');

const messages = {
  badChoice: 'That choice could not be read. Pick a questionnaire, then one round per team.',
  mixed:
    'These rounds use different questionnaires, which cannot be compared. Pick rounds of one questionnaire.',
  nothingChosen: 'Pick at least one round to compare (one per team).',
};

/**
 * Turns the print view into a PDF (shared/pdf.ts, given by app.ts with the configured
 * Chromium); `css` is added to the print styles (the report's running header).
 */
export type PdfRenderer = (html: string, format: 'A4' | 'Letter', css: string) => Promise<Buffer>;

/** The team report pages and their downloads (session auth; the API has the same with tokens). */
export function createReportPagesRouter({
  reports,
  pdf,
  now,
}: {
  reports: ReportService;
  pdf: PdfRenderer;
  now: () => Date;
}): Router {
  const router = Router();
  router.use('/reports', requireLogin);

  const render = async (res: Response, actor: Actor, roundId: string, print: boolean) => {
    const report = await reports.roundReport(actor, roundId);
    res.render('reports/round', toReportView(report, { print, canAgree: canAgree(actor) }));
  };

  /** GET /reports/rounds/:roundId — the team report */
  router.get('/reports/rounds/:roundId', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    await render(res, pageActor(res), roundId, false);
  });

  /** GET /reports/rounds/:roundId/print — the same report in the print layout */
  router.get('/reports/rounds/:roundId/print', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    await render(res, pageActor(res), roundId, true);
  });

  /** The running header's style sheet: the round's closing day, or its opening, or today. */
  const headerOf = (heading: { team: string; round: string; day: Date | null }) =>
    printHeaderCss({ ...heading, day: formatDate(heading.day ?? now()) });

  /** GET /reports/rounds/:roundId/print-header.css — the print view's running header */
  router.get('/reports/rounds/:roundId/print-header.css', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const css = headerOf(await reports.heading(pageActor(res), roundId));
    res.type('text/css').set('Cache-Control', 'private, no-cache').send(css);
  });

  /** GET /reports/rounds/:roundId/report.pdf?paper=a4|letter — the print view as a PDF */
  router.get('/reports/rounds/:roundId/report.pdf', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { paper } = parseInput(PdfQuery, req.query);
    const report = await reports.roundReport(pageActor(res), roundId);
    const html = await new Promise<string>((resolve, reject) =>
      res.render(
        'reports/round',
        toReportView(report, { print: true, canAgree: false }),
        (err, out) => (err ? reject(err) : resolve(out)),
      ),
    );
    const css = headerOf({
      team: report.team.name,
      round: report.round.title,
      day: report.round.closedAt ?? report.round.openedAt,
    });
    const body = await pdf(html, paper === 'letter' ? 'Letter' : 'A4', css);
    res
      .attachment(safeFileName(['teamlens', report.team.name, report.round.title], 'pdf'))
      .type('application/pdf')
      .send(body);
  });

  /** GET /reports/rounds/:roundId/export.csv?part=items|responses */
  router.get('/reports/rounds/:roundId/export.csv', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { part } = parseInput(ExportQuery, req.query);
    const file = await reports.download(pageActor(res), roundId, part);
    res.attachment(file.fileName).type(file.type).send(file.body);
  });

  /** GET /reports/rounds/:roundId/export.json */
  router.get('/reports/rounds/:roundId/export.json', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const file = await reports.download(pageActor(res), roundId, 'json');
    res.attachment(file.fileName).type(file.type).send(file.body);
  });

  /**
   * GET /reports/compare?questionnaire=slug&rounds=…&hideNames=true — first the questionnaire,
   * then one round of it per team. A choice that cannot be compared (nothing chosen, rounds of
   * several questionnaires) re-renders the picker with what to do, never an error page.
   */
  router.get('/reports/compare', async (req, res) => {
    const actor = pageActor(res);
    const query = CompareQuery.safeParse(req.query);
    const rounds = query.success ? query.data.rounds : [];
    const hideNames = query.success && query.data.hideNames === 'true';
    const teams = await reports.pickerTeams(actor);
    // The second step's form sends `rounds` even when every team is "not included".
    const asked = 'rounds' in (req.query as object);
    const choice = pickerChoice(
      teams,
      query.success ? query.data.questionnaire : undefined,
      asked ? rounds : 'latest',
    );
    const problem = !query.success
      ? messages.badChoice
      : choice.mixed
        ? messages.mixed
        : asked && rounds.length === 0
          ? messages.nothingChosen
          : null;
    const compared =
      problem || rounds.length === 0
        ? { reports: [], notComparable: [] }
        : await reports.compare(actor, rounds);
    res.status(problem ? 400 : 200).render('reports/compare', {
      ...toComparisonView(compared, { hideNames }),
      hideNames,
      problem,
      picker: choice,
    });
  });

  /** GET /reports/teams/:teamId/trend?questionnaire=slug */
  router.get('/reports/teams/:teamId/trend', async (req, res) => {
    const { teamId } = parseInput(TeamIdParams, req.params);
    const { questionnaire } = parseInput(TrendQuery, req.query);
    res.render(
      'reports/trend',
      toTrendView(await reports.trend(pageActor(res), teamId, questionnaire)),
    );
  });

  return router;
}
