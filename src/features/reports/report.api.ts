import { Router } from 'express';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import { toReportDto } from './report.dto';
import type { ReportService } from './report.service';
import { toComparisonDto, toTrendDto } from './comparison.view-model';
import {
  CompareQuery,
  ExportQuery,
  RoundIdParams,
  TeamIdParams,
  TrendQuery,
} from './report.schemas';

/** JSON and exports of round reports under /api/v1/rounds/:roundId (any member). */
export function createReportApiRouter({ reports }: { reports: ReportService }): Router {
  const router = Router();

  /** GET /rounds/:roundId/report */
  router.get('/rounds/:roundId/report', async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    res.json(toReportDto(await reports.roundReport(actor, roundId)));
  });

  /** GET /rounds/:roundId/export.json — the report and the raw answers, under the same rules */
  router.get('/rounds/:roundId/export.json', async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const file = await reports.download(actor, roundId, 'json');
    res.attachment(file.fileName).type(file.type).send(file.body);
  });

  /** GET /rounds/:roundId/export.csv?part=items|responses */
  router.get('/rounds/:roundId/export.csv', async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { part } = parseInput(ExportQuery, req.query);
    const file = await reports.download(actor, roundId, part);
    res.attachment(file.fileName).type(file.type).send(file.body);
  });

  /** GET /reports/compare?rounds=a,b,…&hideNames=true */
  router.get('/reports/compare', async (req, res) => {
    const actor = apiActor(res);
    const { rounds, hideNames } = parseInput(CompareQuery, req.query);
    const compared = await reports.compare(actor, rounds);
    res.json(toComparisonDto(compared, { hideNames: hideNames === 'true' }));
  });

  /** GET /teams/:teamId/trend?questionnaire=slug */
  router.get('/teams/:teamId/trend', async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamIdParams, req.params);
    const { questionnaire } = parseInput(TrendQuery, req.query);
    res.json(toTrendDto(await reports.trend(actor, teamId, questionnaire)));
  });

  return router;
}
