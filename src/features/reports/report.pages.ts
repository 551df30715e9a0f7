import { Router, type Response } from 'express';
import { z } from 'zod';
import { parseInput } from '../../shared/http/validate';
import { pageActor, requireLogin } from '../accounts';
import type { Actor } from '../workspaces';
import { safeFileName } from './csv';
import { ExportQuery } from './report.api';
import { itemsCsv, responsesCsv, toReportDto } from './report.dto';
import type { ReportService } from './report.service';
import { toReportView } from './report.view-model';

const RoundIdParams = z.object({ roundId: z.string().min(1).max(64) }).strict();

/** The team report pages and their downloads (session auth; the API has the same with tokens). */
export function createReportPagesRouter({ reports }: { reports: ReportService }): Router {
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

  /** GET /reports/rounds/:roundId/export.csv?part=items|responses */
  router.get('/reports/rounds/:roundId/export.csv', async (req, res) => {
    const actor = pageActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { part } = parseInput(ExportQuery, req.query);
    const report = await reports.roundReport(actor, roundId);
    const name = safeFileName(['teamlens', report.team.name, report.round.title, part], 'csv');
    const body =
      part === 'items'
        ? itemsCsv(report)
        : await reports
            .responseRows(actor, roundId)
            .then(({ definition, rows }) =>
              responsesCsv(definition, rows, report.round.anonymity === 'named'),
            );
    res.attachment(name).type('text/csv; charset=utf-8').send(body);
  });

  /** GET /reports/rounds/:roundId/export.json */
  router.get('/reports/rounds/:roundId/export.json', async (req, res) => {
    const actor = pageActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const report = await reports.roundReport(actor, roundId);
    const { rows } = await reports.responseRows(actor, roundId);
    res
      .attachment(safeFileName(['teamlens', report.team.name, report.round.title], 'json'))
      .json({ report: toReportDto(report), responses: rows.map(({ key: _key, ...row }) => row) });
  });

  return router;
}
