// The signed-in statistics pages (bureau, viewer, admin): GET /stats?from=&to=&sort= with the
// period form, the charts (server-drawn SVG, no script), every breakdown as a table, the agencies'
// scorecard sortable by links, the downloads; GET /stats/annual/{year} the annual report as HTML.
// The downloads are the API's own routes mounted under the session (see index.tsx).
import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import type { AnnualReport } from '../../domain/annualReport.ts';
import { percent, type Cell, type ColumnKind, type StatsTable } from '../../domain/statsTables.ts';
import type { Chart } from '../stats/charts.ts';

/** The scorecard's sort keys: the column's header and which way is "best first". */
export const SCORE_SORTS: Record<string, { header: string; label: string; dir: 1 | -1 }> = {
  ack: { header: '签收及时率', label: '签收及时率', dir: -1 },
  rectify: { header: '整改及时率', label: '整改及时率', dir: -1 },
  days: { header: '平均整改用时（工作日）', label: '平均整改用时', dir: 1 },
  overdue: { header: '超期', label: '超期', dir: -1 },
};

/** The scorecard's rows in the order of `sort` (unknown keys: as given, most assignments first); empty figures last. */
export function sortScorecard(table: StatsTable, sort: string | undefined): StatsTable {
  const s = sort ? SCORE_SORTS[sort] : undefined;
  if (!s) return table;
  const col = table.columns.findIndex((c) => c.header === s.header);
  if (col < 0) return table;
  const rows = [...table.rows].sort((a, b) => {
    const x = a[col] as number | null;
    const y = b[col] as number | null;
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return (x - y) * s.dir;
  });
  return { ...table, rows };
}

/**
 * An ECharts SVG as the page's Content-Security-Policy lets it show: the style attributes (which
 * the policy would drop, and whose font list breaks the attribute's quoting) become presentation
 * attributes, the font family comes from app.css, and the hover-only <style> element goes.
 */
export function cspSafeSvg(svg: string, label: string): string {
  const attr = label.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/\sstyle="(.*?);"(?=[\s>/])/g, (_, decls: string) => {
      let out = '';
      for (const d of decls.split(';')) {
        const [name, value] = [d.slice(0, d.indexOf(':')).trim(), d.slice(d.indexOf(':') + 1).trim()];
        if ((name === 'font-size' || name === 'font-weight') && /^[\w.]+$/.test(value)) out += ` ${name}="${value.replace(/px$/, '')}"`;
      }
      return out;
    })
    .replace(/^<svg /, `<svg role="img" aria-label="${attr}" focusable="false" `);
}

function cellText(v: Cell, kind: ColumnKind): string {
  if (v === null) return '—';
  if (kind === 'rate') return percent(v as number);
  if (kind === 'number' && typeof v === 'number' && !Number.isInteger(v)) return v.toFixed(1);
  return String(v);
}

/** A table of figures in a wrapper that scrolls sideways on a phone; `labelledBy`: the heading that names it (else a caption). */
export const FigureTable: FC<{ t: StatsTable; head?: ((header: string, i: number) => unknown) | undefined; labelledBy?: string }> = ({ t, head, labelledBy }) => (
  <div class="table-wrap" tabindex={0} role="region" aria-label={`${t.title}（表格）`}>
    <table class="figures" aria-labelledby={labelledBy}>
      {labelledBy ? null : <caption>{t.title}</caption>}
      <thead><tr>{t.columns.map((c, i) => <th scope="col" class={c.kind === 'text' ? undefined : 'num'}>{head ? head(c.header, i) : c.header}</th>)}</tr></thead>
      <tbody>
        {t.rows.map((r) => <tr>{r.map((v, i) => i === 0
          ? <th scope="row">{cellText(v, t.columns[i]!.kind)}</th>
          : <td class="num">{cellText(v, t.columns[i]!.kind)}</td>)}</tr>)}
        {t.rows.length === 0 ? <tr><td colspan={t.columns.length}>本期间没有数据。</td></tr> : null}
      </tbody>
    </table>
  </div>
);

const ChartFigure: FC<{ chart?: Chart | undefined }> = ({ chart }) =>
  chart ? <figure class={chart.key === 'handling' ? 'chart' : 'chart bars'} tabindex={0}>{raw(cspSafeSvg(chart.svg, `${chart.title}图（数字见下表）`))}</figure> : null;

export interface StatsPageProps {
  /** What the form shows: the typed values, kept even when wrong. */
  input: { from: string; to: string };
  /** The period the figures are for, as local dates. */
  label: { from: string; to: string };
  error?: string | undefined;
  sort?: string | undefined;
  tables: StatsTable[];
  charts: Chart[];
  /** The query of the valid period, for the download and sort links ("" or "from=…&to=…"). */
  query: string;
}

// Which chart goes with which table.
const CHART_OF: Record<string, string> = {
  overview: 'handling', channel: 'channel', agency: 'agency', township: 'township', problemType: 'problemType', domain: 'domain', agencies: 'timeliness',
};

export const StatsPage: FC<StatsPageProps> = (p) => {
  const year = p.label.from.slice(0, 4);
  const q = (extra: string) => [p.query, extra].filter(Boolean).join('&');
  const sortLink = (header: string) => {
    const entry = Object.entries(SCORE_SORTS).find(([, s]) => s.header === header);
    if (!entry) return header;
    const [key, s] = entry;
    const current = p.sort === key;
    return current
      ? <strong aria-current="true">{header} {s.dir < 0 ? '↓' : '↑'}</strong>
      : <a href={`/stats?${q(`sort=${key}`)}#agencies`} title={`按${s.label}排序`}>{header}</a>;
  };
  return (
    <>
      <h1>统计</h1>
      <form method="get" action="/stats" class="card" aria-label="统计期间">
        <div class="filters">
          <div><label for="s-from">起始日期</label><input type="date" id="s-from" name="from" value={p.input.from} /></div>
          <div><label for="s-to">截止日期</label><input type="date" id="s-to" name="to" value={p.input.to} /></div>
          {p.sort ? <input type="hidden" name="sort" value={p.sort} /> : null}
        </div>
        <div class="actions"><button type="submit">查询</button><a href="/stats">本年至今</a></div>
        {p.error ? <p class="error" role="alert">{p.error}</p> : null}
      </form>
      <p>统计期间：<strong>{p.label.from}</strong> 至 <strong>{p.label.to}</strong>（按线索收到时间）</p>
      <p class="actions downloads">
        下载：
        <a href={`/stats/download/stats.csv${p.query ? `?${p.query}` : ''}`}>表格（CSV）</a>
        <a href={`/stats/download/stats.xlsx${p.query ? `?${p.query}` : ''}`}>工作簿（Excel）</a>
        <a href={`/stats/reports/annual/${year}.docx`}>{year}年度统计年报（Word）</a>
        <a href={`/stats/annual/${year}`}>查看{year}年度统计年报</a>
      </p>
      {p.tables.map((t) => {
        const chart = p.charts.find((c) => c.key === CHART_OF[t.key]);
        const table = t.key === 'agencies' ? sortScorecard(t, p.sort) : t;
        return (
          <section class="card" id={t.key} aria-labelledby={`h-${t.key}`}>
            <h2 id={`h-${t.key}`}>{t.title}</h2>
            <ChartFigure chart={chart} />
            {t.key === 'agencies' ? <p class="hint">点击带链接的列名可按该列排序（及时率、超期从高到低，用时从短到长）。</p> : null}
            <FigureTable t={table} head={t.key === 'agencies' ? sortLink : undefined} labelledBy={`h-${t.key}`} />
          </section>
        );
      })}
    </>
  );
};

export const AnnualReportPage: FC<{ report: AnnualReport }> = ({ report }) => (
  <>
    <p><a href={`/stats?from=${report.year}-01-01&to=${report.year}-12-31`}>← 返回统计</a></p>
    <article class="card report-text">
      <h1>{report.title}</h1>
      <p>{report.intro}</p>
      {report.sections.map((s) => (
        <section>
          <h2>{s.heading}</h2>
          {s.paragraphs.map((t) => <p>{t}</p>)}
          {s.tables.map((t) => <FigureTable t={t} />)}
        </section>
      ))}
      <p class="signature">{report.issuer}<br />{report.date}</p>
    </article>
    <p class="actions"><a class="button" href={`/stats/reports/annual/${report.year}.docx`}>下载 Word 文档</a></p>
  </>
);
