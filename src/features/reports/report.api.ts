import { route, type ApiRouter } from '../../shared/http/openapi';
import { apiRouter } from '../accounts';
import type { Actor } from '../workspaces';
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

/** JSON and exports of reports (any member), mounted at the root of /api/v1. */
export function createReportApiRouter({ reports }: { reports: ReportService }): ApiRouter<Actor> {
  const api = apiRouter();

  route(
    api,
    {
      method: 'get',
      path: '/rounds/{roundId}/report',
      tag: 'Reports',
      access: 'viewer',
      summary: 'The round report',
      description:
        'Opens with a `summary` (dimension scores, tension positions, mean ratings, dcf verdicts, the first five of the discuss list, the largest moves since the team’s previous round of the questionnaire). Per item n, histogram, mean, median, sd, consensus, discuss, discussReasons and priority; tensions also lean (`split` when at least a third of the answers lie on each side of the middle), desiredMean and gap; practice items n of the ratings and `answered`; dcf atRiskShare and per-aspect shares; per dimension score and score100. `discuss` lists the items to discuss, highest priority first. In anonymous rounds an item (or the whole report) answered by fewer than k people is `suppressed: true` with no figures, and comments appear only from k responses on, without names.',
      params: RoundIdParams,
      responses: { 200: RoundReportDto },
      errors: ['ROUND_NOT_FOUND'],
    },
    async ({ actor, params }) => toReportDto(await reports.roundReport(actor, params.roundId)),
  );

  route(
    api,
    {
      method: 'get',
      path: '/rounds/{roundId}/export.json',
      tag: 'Reports',
      access: 'viewer',
      summary: 'The report and the raw answers as a JSON download',
      description:
        '`{report, responses}`: the same numbers as the report; `responses` (one entry per person, with name, role and day) only for named rounds: an anonymous round’s export holds no per-person answers.',
      params: RoundIdParams,
      // Sent as a file; its shape is tested against this schema (round-report.test.ts).
      responses: {
        200: RoundExportDto,
      },
      errors: ['ROUND_NOT_FOUND'],
    },
    async ({ actor, params, res }) => {
      const file = await reports.download(actor, params.roundId, 'json');
      res.attachment(file.fileName).type(file.type).send(file.body);
    },
  );

  route(
    api,
    {
      method: 'get',
      path: '/rounds/{roundId}/export.csv',
      tag: 'Reports',
      access: 'viewer',
      summary: 'Item statistics or raw answers as CSV',
      description:
        'RFC 4180, UTF-8 with a byte-order mark, CRLF; figures rounded to three decimals; `items` has the lean, discuss reasons and priority. `responses` (one row per person) exists for named rounds only: an anonymous round answers 409 `EXPORT_ANONYMOUS`. Text cells that begin with =, +, -, @, tab or CR are prefixed with an apostrophe so spreadsheets never run them.',
      params: RoundIdParams,
      query: ExportQuery,
      responses: { 200: { description: 'A CSV attachment' } },
      errors: ['ROUND_NOT_FOUND', 'EXPORT_ANONYMOUS'],
    },
    async ({ actor, params, query, res }) => {
      const file = await reports.download(actor, params.roundId, query.part);
      res.attachment(file.fileName).type(file.type).send(file.body);
    },
  );

  route(
    api,
    {
      method: 'get',
      path: '/reports/compare',
      tag: 'Reports',
      access: 'viewer',
      summary: 'Several teams side by side (one round each)',
      description:
        'Per team and dimension the maturity score on 0–100 and the mean consensus; per tension each team’s mean. All rounds must use one questionnaire (any versions), or a fork and the questionnaire it was made from; per team, the items whose meaning differs from the reference round’s are listed as not comparable (questionnaire lineage). Suppressed (no figures) wherever fewer than k answered. With `hideNames=true` teams are Team A, Team B, … and round ids are left out.',
      query: CompareQuery,
      responses: {
        200: ComparisonDto,
      },
      errors: ['ROUND_NOT_FOUND'],
    },
    async ({ actor, query }) =>
      toComparisonDto(await reports.compare(actor, query.rounds), {
        hideNames: query.hideNames === 'true',
      }),
  );

  route(
    api,
    {
      method: 'get',
      path: '/teams/{teamId}/trend',
      tag: 'Reports',
      access: 'viewer',
      summary: 'A team’s dimension scores and tension positions across its rounds',
      description:
        'Rounds of one questionnaire (the given slug, or the one the team used most), oldest first, each with its questionnaire version and the actions agreed after it; items and dimensions are matched by id and key across versions.',
      params: TeamIdParams,
      query: TrendQuery,
      responses: { 200: TrendDto },
      errors: ['TEAM_NOT_FOUND'],
    },
    async ({ actor, params, query }) =>
      toTrendDto(await reports.trend(actor, params.teamId, query.questionnaire)),
  );

  return api;
}
