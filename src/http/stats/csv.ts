// The statistics as CSV: UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF lines.
// All tables in one file, each under a 【title】 line and followed by an empty line; or one table
// alone (`?table=channel`), then just its header and rows. Rates are percentages ("85.7%").
import { percent, type Cell, type ColumnKind, type StatsTable } from '../../domain/statsTables.ts';

const BOM = '\uFEFF';

function field(v: Cell, kind: ColumnKind): string {
  if (v === null) return '';
  let s = kind === 'rate' && typeof v === 'number' ? percent(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`; // never a formula in Excel
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function lines(t: StatsTable): string[] {
  return [
    t.columns.map((c) => field(c.header, 'text')).join(','),
    ...t.rows.map((r) => r.map((v, i) => field(v, t.columns[i]!.kind)).join(',')),
  ];
}

export function statsCsv(tables: StatsTable[], meta: { from: string; to: string }, only?: string): string {
  if (only) {
    const t = tables.find((x) => x.key === only);
    if (!t) throw new Error(`unknown table ${only}`);
    return BOM + lines(t).join('\r\n') + '\r\n';
  }
  const out = [`统计期间,${meta.from} 至 ${meta.to}`, ''];
  for (const t of tables) out.push(`【${t.title}】`, ...lines(t), '');
  return BOM + out.join('\r\n');
}
