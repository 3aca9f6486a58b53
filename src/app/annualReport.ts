// Use case: the annual report (统计年报) of one year, as data and as a Word document.
import { annualReport, type AnnualReport } from '../domain/annualReport.ts';
import { localDate } from '../domain/calendar/index.ts';
import type { Stats } from '../domain/stats.ts';
import { agencyNamer, statsForPeriod, type StatsDeps } from './stats.ts';

export async function annualReportOf(deps: StatsDeps, year: number): Promise<{ report: AnnualReport; stats: Stats }> {
  const stats = await statsForPeriod(deps, { from: `${year}-01-01`, to: `${year}-12-31` });
  const today = localDate(deps.clock.now(), deps.config.tz);
  return { report: annualReport(stats, year, agencyNamer(deps.directory), today), stats };
}
