import { Router } from 'express';
import {
  apiErrors,
  idParameter,
  parameterSchema,
  route,
  type ApiDescription,
  type ApiOperation,
} from '../../shared/http/openapi';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import { ComparisonDto, RoundExportDto, RoundReportDto, toReportDto, TrendDto } from './report.dto';
import type { ReportService } from './report.service';
import { toComparisonDto, toTrendDto } from './comparison.view-model';
import {
  CompareQuery,
  ExportQuery,
  RoundIdParams,
  TeamIdParams,
  TrendQuery,
} from './report.schemas';

const roundIdParameter = idParameter('roundId', 'round', RoundIdParams.shape.roundId);

const roundReport: ApiOperation = {
  method: 'get',
  path: '/rounds/{roundId}/report',
  tag: 'Reports',
  access: 'viewer',
  summary: 'The round report',
  description:
    'Opens with a `summary` (dimension scores, tension positions, mean ratings, dcf verdicts, the first five of the discuss list, the largest moves since the team’s previous round of the questionnaire). Per item n, histogram, mean, median, sd, consensus, discuss, discussReasons and priority; tensions also lean (`split` when at least a third of the answers lie on each side of the middle), desiredMean and gap; practice items n of the ratings and `answered`; dcf atRiskShare and per-aspect shares; per dimension score and score100. `discuss` lists the items to discuss, highest priority first. In anonymous rounds an item (or the whole report) answered by fewer than k people is `suppressed: true` with no figures, and comments appear only from k responses on, without names.',
  parameters: [roundIdParameter],
  responses: { 200: { description: 'The report', schema: 'RoundReport' }, 404: apiErrors[404] },
};

const jsonExport: ApiOperation = {
  method: 'get',
  path: '/rounds/{roundId}/export.json',
  tag: 'Reports',
  access: 'viewer',
  summary: 'The report and the raw answers as a JSON download',
  description:
    '`{report, responses}`: the same numbers as the report; `responses` (one entry per person, with name, role and day) only for named rounds: an anonymous round’s export holds no per-person answers.',
  parameters: [roundIdParameter],
  responses: {
    200: { description: 'A JSON attachment', schema: 'RoundExport' },
    404: apiErrors[404],
  },
};

const csvExport: ApiOperation = {
  method: 'get',
  path: '/rounds/{roundId}/export.csv',
  tag: 'Reports',
  access: 'viewer',
  summary: 'Item statistics or raw answers as CSV',
  description:
    'RFC 4180, UTF-8 with a byte-order mark, CRLF; figures rounded to three decimals; `items` has the lean, discuss reasons and priority. `responses` (one row per person) exists for named rounds only: an anonymous round answers 409 `EXPORT_ANONYMOUS`. Text cells that begin with =, +, -, @, tab or CR are prefixed with an apostrophe so spreadsheets never run them.',
  parameters: [
    roundIdParameter,
    {
      name: 'part',
      in: 'query',
      required: false,
      description: '`items` (default) or `responses`',
      schema: parameterSchema(ExportQuery.shape.part.unwrap()),
    },
  ],
  responses: {
    200: { description: 'A CSV attachment' },
    404: apiErrors[404],
    409: apiErrors[409],
  },
};

const compare: ApiOperation = {
  method: 'get',
  path: '/reports/compare',
  tag: 'Reports',
  access: 'viewer',
  summary: 'Several teams side by side (one round each)',
  description:
    'Per team and dimension the maturity score on 0–100 and the mean consensus; per tension each team’s mean. All rounds must use one questionnaire. Suppressed (no figures) wherever fewer than k answered. With `hideNames=true` teams are Team A, Team B, … and round ids are left out.',
  parameters: [
    {
      name: 'rounds',
      in: 'query',
      required: false,
      description: 'Round ids, comma-separated (or repeated), at most 100; none gives no teams',
      schema: { type: 'string' },
    },
    {
      name: 'hideNames',
      in: 'query',
      required: false,
      description: '`true` for neutral team labels',
      schema: parameterSchema(CompareQuery.shape.hideNames.unwrap()),
    },
  ],
  responses: { 200: { description: 'The comparison', schema: 'Comparison' }, 404: apiErrors[404] },
};

const trend: ApiOperation = {
  method: 'get',
  path: '/teams/{teamId}/trend',
  tag: 'Reports',
  access: 'viewer',
  summary: 'A team’s dimension scores and tension positions across its rounds',
  description:
    'Rounds of one questionnaire (the given slug, or the one the team used most), oldest first, each with its questionnaire version and the actions agreed after it; items and dimensions are matched by id and key across versions.',
  parameters: [
    idParameter('teamId', 'team', TeamIdParams.shape.teamId),
    {
      name: 'questionnaire',
      in: 'query',
      required: false,
      description: 'A questionnaire slug',
      schema: parameterSchema(TrendQuery.shape.questionnaire.unwrap()),
    },
  ],
  responses: { 200: { description: 'The trend', schema: 'Trend' }, 404: apiErrors[404] },
};

/** The OpenAPI description of the routes below. */
export const reportApi: ApiDescription = {
  operations: [roundReport, jsonExport, csvExport, compare, trend],
  schemas: {
    RoundReport: { schema: RoundReportDto, io: 'output' },
    RoundExport: { schema: RoundExportDto, io: 'output' },
    Comparison: { schema: ComparisonDto, io: 'output' },
    Trend: { schema: TrendDto, io: 'output' },
  },
};

/** JSON and exports of reports (any member), mounted at the root of /api/v1. */
export function createReportApiRouter({ reports }: { reports: ReportService }): Router {
  const router = Router();

  route(router, roundReport, async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    res.json(toReportDto(await reports.roundReport(actor, roundId)));
  });

  route(router, jsonExport, async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const file = await reports.download(actor, roundId, 'json');
    res.attachment(file.fileName).type(file.type).send(file.body);
  });

  route(router, csvExport, async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { part } = parseInput(ExportQuery, req.query);
    const file = await reports.download(actor, roundId, part);
    res.attachment(file.fileName).type(file.type).send(file.body);
  });

  route(router, compare, async (req, res) => {
    const actor = apiActor(res);
    const { rounds, hideNames } = parseInput(CompareQuery, req.query);
    const compared = await reports.compare(actor, rounds);
    res.json(toComparisonDto(compared, { hideNames: hideNames === 'true' }));
  });

  route(router, trend, async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamIdParams, req.params);
    const { questionnaire } = parseInput(TrendQuery, req.query);
    res.json(toTrendDto(await reports.trend(actor, teamId, questionnaire)));
  });

  return router;
}
