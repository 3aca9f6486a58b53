// The annual report as a Word document (docx), ready for the bureau to edit and publish.
import {
  AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType,
} from 'docx';
import type { AnnualReport } from '../../domain/annualReport.ts';
import { percent, type StatsTable } from '../../domain/statsTables.ts';

const FONT = '仿宋';

function cellText(v: string | number | null, kind: string): string {
  if (v === null) return kind === 'text' ? '' : '—';
  return kind === 'rate' && typeof v === 'number' ? percent(v) : String(v);
}

function table(t: StatsTable): (Paragraph | Table)[] {
  const row = (cells: string[], header: boolean) => new TableRow({
    tableHeader: header,
    children: cells.map((text, i) => new TableCell({
      children: [new Paragraph({
        alignment: i === 0 ? AlignmentType.LEFT : AlignmentType.CENTER,
        children: [new TextRun({ text, bold: header, font: FONT, size: 21 })],
      })],
    })),
  });
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 120, after: 60 }, children: [new TextRun({ text: t.title, bold: true, font: FONT, size: 22 })] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        row(t.columns.map((c) => c.header), true),
        ...t.rows.map((r) => row(r.map((v, i) => cellText(v, t.columns[i]!.kind)), false)),
      ],
    }),
  ];
}

const body = (text: string) => new Paragraph({
  indent: { firstLine: 640 }, spacing: { line: 520 }, children: [new TextRun({ text, font: FONT, size: 32 })],
});

export async function annualReportDocx(report: AnnualReport): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: report.title, bold: true, font: '方正小标宋简体', size: 40 })] }),
    body(report.intro),
  ];
  for (const s of report.sections) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: s.heading, bold: true, font: '黑体', size: 32 })] }));
    for (const p of s.paragraphs) children.push(body(p));
    for (const t of s.tables) children.push(...table(t));
  }
  children.push(
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 480 }, children: [new TextRun({ text: report.issuer, font: FONT, size: 32 })] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: report.date, font: FONT, size: 32 })] }),
  );
  const doc = new Document({ creator: 'xiansuo', title: report.title, sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}
