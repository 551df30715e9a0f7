import { Router, type Response } from 'express';
import { parseInput } from '../../shared/http/validate';
import { pageActor, requireLogin } from '../accounts';
import type { Actor } from '../workspaces';
import { safeFileName } from './csv';
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
import { toReportView } from './report.view-model';

/** The team report pages and their downloads (session auth; the API has the same with tokens). */
export type ComparePicker = (
  actor: Actor,
) => Promise<
  readonly { id: string; name: string; rounds: readonly { id: string; title: string }[] }[]
>;

/** Turns the print view into a PDF (shared/pdf.ts, given by app.ts with the configured Chromium). */
export type PdfRenderer = (html: string, format: 'A4' | 'Letter') => Promise<Buffer>;

export function createReportPagesRouter({
  reports,
  picker,
  pdf,
}: {
  reports: ReportService;
  picker: ComparePicker;
  pdf: PdfRenderer;
}): Router {
  const router = Router();
  router.use('/reports', requireLogin);

  const render = async (res: Response, actor: Actor, roundId: string, print: boolean) => {
    const report = await reports.roundReport(actor, roundId);
    res.render('reports/round', toReportView(report, { print }));
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

  /** GET /reports/rounds/:roundId/report.pdf?paper=a4|letter — the print view as a PDF */
  router.get('/reports/rounds/:roundId/report.pdf', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { paper } = parseInput(PdfQuery, req.query);
    const report = await reports.roundReport(pageActor(res), roundId);
    const html = await new Promise<string>((resolve, reject) =>
      res.render('reports/round', toReportView(report, { print: true }), (err, out) =>
        err ? reject(err) : resolve(out),
      ),
    );
    const body = await pdf(html, paper === 'letter' ? 'Letter' : 'A4');
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

  /** GET /reports/compare?rounds=…&hideNames=true — pick one round per team, then compare */
  router.get('/reports/compare', async (req, res) => {
    const actor = pageActor(res);
    const { rounds, hideNames } = parseInput(CompareQuery, req.query);
    const teams = await picker(actor);
    const view = toComparisonView(await reports.compare(actor, rounds), {
      hideNames: hideNames === 'true',
    });
    res.render('reports/compare', {
      ...view,
      picker: teams.map((t) => ({
        ...t,
        rounds: t.rounds.map((r) => ({ ...r, selected: rounds.includes(r.id) })),
      })),
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
