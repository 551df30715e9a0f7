// Reports: the report mathematics (statistics.ts, pure), round reports built from database
// counts by a pure function with the anonymity rule applied once (round-report.ts), their
// pages, JSON and CSV exports. Depends on rounds, teams, questionnaires and responses through
// narrow interfaces passed in by app.ts.
import { createReportApiRouter } from './report.api';
import { createReportPagesRouter, type PdfRenderer } from './report.pages';
import { createReportService, type ReportServiceDeps } from './report.service';

export { RoundExportDto, RoundReportDto, TrendDto } from './report.dto';
export { ExportQuery } from './report.schemas';
export { reportUrl, toReportView } from './report.view-model';
export type { SummarizedReport } from './report.types';
export { teamMinGroupSize, type ReportService } from './report.service';

export function createReportsModule(
  deps: ReportServiceDeps & {
    pdf: PdfRenderer;
    clock: () => Date;
  },
) {
  const service = createReportService(deps);
  return {
    service,
    apiRouter: createReportApiRouter({ reports: service }),
    pagesRouter: createReportPagesRouter({
      reports: service,
      pdf: deps.pdf,
      now: deps.clock,
    }),
  };
}
