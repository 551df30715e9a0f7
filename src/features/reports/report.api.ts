import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import { safeFileName } from './csv';
import { itemsCsv, responsesCsv, toReportDto } from './report.dto';
import type { ReportService } from './report.service';

const RoundIdParams = z.object({ roundId: z.string().min(1).max(64) }).strict();
export const ExportQuery = z
  .object({
    part: z
      .enum(['items', 'responses'])
      .default('items')
      .describe('Item statistics or raw answers'),
  })
  .strict();

/** JSON and exports of round reports under /api/v1/rounds/:roundId (any member). */
export function createReportApiRouter({ reports }: { reports: ReportService }): Router {
  const router = Router();

  /** GET /rounds/:roundId/report */
  router.get('/rounds/:roundId/report', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    res.json(toReportDto(await reports.roundReport(apiActor(res), roundId)));
  });

  /** GET /rounds/:roundId/export.json — the report and the raw answers, under the same rules */
  router.get('/rounds/:roundId/export.json', async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const report = await reports.roundReport(actor, roundId);
    const { rows } = await reports.responseRows(actor, roundId);
    res
      .attachment(safeFileName(['teamlens', report.team.name, report.round.title], 'json'))
      .json({ report: toReportDto(report), responses: rows.map(({ key: _key, ...row }) => row) });
  });

  /** GET /rounds/:roundId/export.csv?part=items|responses */
  router.get('/rounds/:roundId/export.csv', async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { part } = parseInput(ExportQuery, req.query);
    const report = await reports.roundReport(actor, roundId);
    const name = safeFileName(['teamlens', report.team.name, report.round.title, part], 'csv');
    if (part === 'items') {
      res.attachment(name).type('text/csv; charset=utf-8').send(itemsCsv(report));
      return;
    }
    const { definition, rows } = await reports.responseRows(actor, roundId);
    res
      .attachment(name)
      .type('text/csv; charset=utf-8')
      .send(responsesCsv(definition, rows, report.round.anonymity === 'named'));
  });

  return router;
}
