// The statistics as an Excel workbook (exceljs): a 说明 sheet with the period, then one sheet per
// table with Chinese headers, number and percentage formats, and the header row frozen.
import ExcelJS from 'exceljs';
import type { ColumnKind, StatsTable } from '../../domain/statsTables.ts';

const FORMATS: Record<ColumnKind, string | undefined> = { text: undefined, count: '#,##0', rate: '0.0%', number: '#,##0.0' };

export async function statsWorkbook(tables: StatsTable[], meta: { from: string; to: string; generatedAt: string }): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'xiansuo';
  wb.created = new Date(meta.generatedAt);
  const about = wb.addWorksheet('说明');
  about.columns = [{ header: '项目', width: 16 }, { header: '内容', width: 40 }];
  about.addRows([['统计期间', `${meta.from} 至 ${meta.to}`], ['生成时间', meta.generatedAt], ['口径', '按线索登记时间统计；比率为百分比']]);
  about.getRow(1).font = { bold: true };
  about.views = [{ state: 'frozen', ySplit: 1 }];
  for (const t of tables) {
    const ws = wb.addWorksheet(t.title.slice(0, 31));
    ws.columns = t.columns.map((c, i) => ({
      header: c.header, key: String(i),
      width: c.kind === 'text' ? Math.max(14, ...t.rows.map((r) => String(r[i] ?? '').length * 2 + 2)) : Math.max(10, c.header.length * 2 + 2),
      style: FORMATS[c.kind] ? { numFmt: FORMATS[c.kind]! } : {},
    }));
    for (const r of t.rows) ws.addRow(r.map((v) => v ?? null));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
