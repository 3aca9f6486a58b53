// GET /api/reports/annual/{year}.docx (bureau, viewer): the annual report as a Word document;
// GET /api/reports/annual/{year} the same content as JSON.
import { Hono } from 'hono';
import { annualReportOf } from '../../app/annualReport.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { HttpProblem } from '../problem.ts';
import { annualReportDocx } from '../stats/docx.ts';

function yearOf(raw: string): number {
  const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  if (!(year >= 2000 && year <= 2100)) throw new HttpProblem(422, 'invalid-request', '请求内容不符合要求', `年份应为 2000–2100 之间的四位数字，收到 “${raw}”`);
  return year;
}

export function reportRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/annual/:file', async (c) => {
    requireRole(c, 'bureau', 'viewer');
    const file = c.req.param('file');
    const docx = file.endsWith('.docx');
    const year = yearOf(docx ? file.slice(0, -5) : file);
    const { report } = await annualReportOf(c.var.deps, year);
    if (!docx) return c.json(report);
    return c.body(await annualReportDocx(report) as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'content-disposition': `attachment; filename="annual-report-${year}.docx"; filename*=UTF-8''${encodeURIComponent(`${year}年度统计年报.docx`)}`,
    });
  });
  return app;
}
