// Charts of the statistics as SVG strings, drawn on the server by Apache ECharts' server-side
// renderer: the page shows them with no script. Each chart is made, rendered and disposed at once.
import * as echarts from 'echarts';
import type { Stats } from '../../domain/stats.ts';
import { ranked } from '../../domain/stats.ts';
import { CHANNEL_LABELS, scorecardRows, type AgencyNames } from '../../domain/statsTables.ts';

export interface Chart {
  key: string;
  title: string;
  svg: string;
}

const FONT = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"; // single quotes inside: the SVG puts it in a double-quoted attribute
const COLORS = ['#1f5fa8', '#d9822b', '#3c8d5a', '#b03a48', '#6f5aa8', '#8a6d3b'];

function render(option: Record<string, unknown>, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: COLORS, textStyle: { fontFamily: FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Horizontal bars, largest on top, each labelled with its count. */
export function barChart(title: string, entries: [string, number][], opts: { width?: number; max?: number } = {}): string {
  const shown = entries.slice(0, opts.max ?? 15).reverse();
  const width = opts.width ?? 640;
  const height = Math.max(120, 60 + shown.length * 28);
  return render({
    title: { text: title, left: 8, top: 6, textStyle: { fontSize: 15 } },
    grid: { left: 8, right: 48, top: 40, bottom: 12, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#e5e5e5' } } },
    yAxis: { type: 'category', data: shown.map(([k]) => k), axisTick: { show: false } },
    series: [{ type: 'bar', data: shown.map(([, n]) => n), barMaxWidth: 20, label: { show: true, position: 'right' } }],
  }, width, height);
}

/** The agencies' 签收 and 整改 on-time rates side by side (percentages). */
export function timelinessChart(title: string, rows: [string, number | null, number | null][], width = 640): string {
  const shown = rows.slice(0, 12).reverse();
  const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
  return render({
    title: { text: title, left: 8, top: 6, textStyle: { fontSize: 15 } },
    legend: { top: 8, right: 8, data: ['签收及时率', '整改及时率'] },
    grid: { left: 8, right: 56, top: 44, bottom: 12, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: '#e5e5e5' } } },
    yAxis: { type: 'category', data: shown.map(([k]) => k), axisTick: { show: false } },
    series: [
      { name: '签收及时率', type: 'bar', data: shown.map(([, a]) => pct(a)), barMaxWidth: 12, label: { show: true, position: 'right', formatter: '{c}%' } },
      { name: '整改及时率', type: 'bar', data: shown.map(([, , b]) => pct(b)), barMaxWidth: 12, label: { show: true, position: 'right', formatter: '{c}%' } },
    ],
  }, width, Math.max(140, 70 + shown.length * 40));
}

/** How the period's leads stand: one ring, each part labelled with its name and count. */
export function handlingChart(title: string, parts: [string, number][], width = 640): string {
  return render({
    title: { text: title, left: 8, top: 6, textStyle: { fontSize: 15 } },
    series: [{
      type: 'pie', radius: ['35%', '62%'], center: ['50%', '56%'],
      label: { formatter: '{b}：{c}' }, data: parts.filter(([, n]) => n > 0).map(([name, value]) => ({ name, value })),
    }],
  }, width, 300);
}

/** Every chart of the /stats page, in its order. */
export function statsCharts(stats: Stats, agencyName: AgencyNames): Chart[] {
  const h = stats.handling;
  const named = (m: Record<string, number>, name: (k: string) => string) => ranked(m).map(([k, n]) => [name(k), n] as [string, number]);
  const id = (k: string) => k;
  return [
    { key: 'handling', title: '办理情况', svg: handlingChart('办理情况', [['已办结', h.closed], ['办理中', h.inProgress], ['待研判', h.triage], ['已移送', h.transferred], ['不予受理', h.rejected]]) },
    { key: 'channel', title: '按来源渠道', svg: barChart('按来源渠道', named(stats.byChannel, (k) => CHANNEL_LABELS[k] ?? k)) },
    { key: 'agency', title: '按承办单位', svg: barChart('按承办单位', named(stats.byAgency, agencyName)) },
    { key: 'township', title: '按乡镇（街道）', svg: barChart('按乡镇（街道）', named(stats.byTownship, id)) },
    { key: 'problemType', title: '按突出问题类型', svg: barChart('按突出问题类型', named(stats.byProblemType, id)) },
    { key: 'domain', title: '按执法领域', svg: barChart('按执法领域', named(stats.byDomain, id)) },
    {
      key: 'timeliness', title: '承办单位时效',
      svg: timelinessChart('承办单位时效', scorecardRows(stats).map(([code, e]) => [agencyName(code), e.ackOnTimeRate, e.rectifyOnTimeRate])),
    },
  ];
}
