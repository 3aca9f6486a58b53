// The statistics as named tables with Chinese headers: the one shape that the page, the CSV, the
// workbook and the annual report all print, so that they show the same numbers.
import type { AgencyScore, Stats } from './stats.ts';
import { ranked, ratio } from './stats.ts';

/** count: whole number; rate: a share 0..1 shown as a percentage; number: a decimal; text. */
export type ColumnKind = 'text' | 'count' | 'rate' | 'number';
export type Cell = string | number | null;

export interface StatsTable {
  /** Stable key: `?table=` of the CSV, the sheet order. */
  key: string;
  title: string;
  columns: { header: string; kind: ColumnKind }[];
  rows: Cell[][];
}

export const CHANNEL_LABELS: Record<string, string> = {
  hotline: '12345热线', media: '新闻媒体', supervisor: '社会监督员', bureau: '司法局录入', public: '群众来信来访',
};
export const LEAD_STATUS_LABELS: Record<string, string> = {
  triage: '待研判', assigned: '已交办', rectifying: '整改中', feedback: '已反馈待审核', closed: '已办结',
  rejected: '不予受理', transferred: '已移送', merged: '已归并',
};
export const TRANSFER_TARGET_LABELS: Record<string, string> = { discipline: '纪委监委', judicial: '司法机关' };

export type AgencyNames = (code: string) => string;

const share = (n: number, total: number) => ratio(n, total);

function breakdown(key: string, title: string, label: string, m: Record<string, number>, total: number, name: (k: string) => string = (k) => k): StatsTable {
  return {
    key, title,
    columns: [{ header: label, kind: 'text' }, { header: '线索数', kind: 'count' }, { header: '占比', kind: 'rate' }],
    rows: ranked(m).map(([k, n]) => [name(k), n, share(n, total)]),
  };
}

/** The agencies' scorecard, most assignments first. */
export function scorecardRows(stats: Stats): [string, AgencyScore][] {
  return Object.entries(stats.agencies).sort((a, b) => b[1].assigned - a[1].assigned || a[0].localeCompare(b[0]));
}

export function statsTables(stats: Stats, agencyName: AgencyNames): StatsTable[] {
  const h = stats.handling;
  const total = stats.leads;
  const overview: StatsTable = {
    key: 'overview', title: '总体情况',
    columns: [{ header: '指标', kind: 'text' }, { header: '数量', kind: 'number' }, { header: '比率', kind: 'rate' }],
    rows: [
      ['收到问题线索（条）', total, null],
      ['来件（件次）', stats.reports, null],
      ['交办（条）', h.assigned, share(h.assigned, total)],
      ['整改到位（条）', h.rectified, h.rectifiedRate],
      ['办结（条）', h.closed, h.closedRate],
      ['办理中（条）', h.inProgress, share(h.inProgress, total)],
      ['待研判（条）', h.triage, share(h.triage, total)],
      ['移送（条）', h.transferred, h.transferredRate],
      ['不予受理（条）', h.rejected, h.rejectedRate],
      ['归并（条）', h.merged, null],
      ['签收（次）', h.acknowledged, null],
      ['按时签收（次）', h.acknowledgedOnTime, h.ackOnTimeRate],
      ['整改反馈（次）', h.fedBack, null],
      ['按时整改反馈（次）', h.rectifiedOnTime, h.rectifyOnTimeRate],
      ['超期（次）', h.overdue, null],
      ['督办（次）', h.escalated, null],
      ['退回重办（次）', h.returned, null],
      ['延期（次）', h.extended, null],
      ['回访（次）', stats.followUps.done, null],
      ['回访满意（次）', stats.followUps.satisfied, stats.followUps.satisfactionRate],
      ['平均整改用时（工作日）', h.avgWorkingDaysToRectify, null],
    ],
  };
  const scorecard: StatsTable = {
    key: 'agencies', title: '承办单位时效',
    columns: [
      { header: '承办单位', kind: 'text' }, { header: '交办线索', kind: 'count' }, { header: '签收', kind: 'count' },
      { header: '按时签收', kind: 'count' }, { header: '签收及时率', kind: 'rate' }, { header: '整改反馈', kind: 'count' },
      { header: '按时反馈', kind: 'count' }, { header: '整改及时率', kind: 'rate' }, { header: '平均整改用时（工作日）', kind: 'number' },
      { header: '超期', kind: 'count' }, { header: '督办', kind: 'count' }, { header: '退回', kind: 'count' },
      { header: '延期', kind: 'count' }, { header: '办结', kind: 'count' },
    ],
    rows: scorecardRows(stats).map(([code, e]) => [
      agencyName(code), e.leads, e.acknowledged, e.acknowledgedOnTime, e.ackOnTimeRate, e.rectified, e.rectifiedOnTime,
      e.rectifyOnTimeRate, e.avgWorkingDaysToRectify, e.overdue, e.escalated, e.returned, e.extended, e.closed,
    ]),
  };
  return [
    overview,
    breakdown('channel', '按来源渠道', '来源渠道', stats.byChannel, total, (k) => CHANNEL_LABELS[k] ?? k),
    breakdown('agency', '按承办单位', '承办单位', stats.byAgency, total, agencyName),
    breakdown('township', '按乡镇（街道）', '乡镇（街道）', stats.byTownship, total),
    breakdown('problemType', '按突出问题类型', '突出问题类型', stats.byProblemType, total),
    breakdown('domain', '按执法领域', '执法领域', stats.byDomain, total),
    breakdown('status', '按办理状态', '办理状态', stats.byStatus, total + stats.handling.merged, (k) => LEAD_STATUS_LABELS[k] ?? k),
    scorecard,
  ];
}

/** A rate as people read it: 0.857 → "85.7%". */
export function percent(r: number | null): string {
  return r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}
