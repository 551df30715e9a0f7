// Reports: the report mathematics (statistics.ts, pure), round reports built from database
// counts with the anonymity rule applied once, their pages, JSON and CSV exports. Depends on
// rounds, teams, questionnaires and responses through narrow interfaces passed in by app.ts.
import { createReportApiRouter } from './report.api';
import { createReportPagesRouter, type ComparePicker, type PdfRenderer } from './report.pages';
import { createReportService, type ReportServiceDeps } from './report.service';

export { ComparisonDto, RoundReportDto, TrendDto } from './report.dto';
export { ExportQuery, TrendQuery } from './report.schemas';
export type { ComparePicker } from './report.pages';
export type { PickerTeam } from './report.types';
export { reportUrl } from './report.view-model';

export function createReportsModule(
  deps: ReportServiceDeps & {
    /** Teams with their rounds that have answers, for the comparison's picker. */
    picker: ComparePicker;
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
      picker: deps.picker,
      pdf: deps.pdf,
      now: deps.clock,
    }),
  };
}
