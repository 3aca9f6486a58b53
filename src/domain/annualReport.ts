// The annual report (统计年报) as data, in the shape of the first part of the bureau's yearly
// report (seed/lengshuitan-2023-report.txt, 一、…统计数据及成效): what came in by channel, how it was
// handled, the rates, the fields and problem types that stood out, the agencies' timeliness. The
// page shows it, the Word document prints it; the bureau edits the document before publishing.
import type { Stats } from './stats.ts';
import { UNKNOWN_DOMAIN, UNKNOWN_TOWNSHIP, ranked, ratio } from './stats.ts';
import {
  CHANNEL_LABELS, TRANSFER_TARGET_LABELS, percent, scorecardRows, statsTables, type AgencyNames, type StatsTable,
} from './statsTables.ts';

export interface ReportSection {
  heading: string;
  paragraphs: string[];
  tables: StatsTable[];
}

export interface AnnualReport {
  year: number;
  title: string;
  intro: string;
  sections: ReportSection[];
  /** Who issues it and the date, as printed at the end. */
  issuer: string;
  date: string;
}

const list = (items: string[]) => items.join('、');
const pct = (r: number | null) => (r === null ? '—' : percent(r));

/** "A（12条，占30.0%）、B（…）": the first few of a count map, leaving out the unclassified. */
function standouts(m: Record<string, number>, total: number, n = 3): string {
  return list(ranked(m).filter(([k]) => k !== UNKNOWN_DOMAIN && k !== UNKNOWN_TOWNSHIP).slice(0, n)
    .map(([k, c]) => `${k}（${c}条，占${pct(ratio(c, total))}）`));
}
const known = (m: Record<string, number>) => Object.keys(m).some((k) => k !== UNKNOWN_DOMAIN && k !== UNKNOWN_TOWNSHIP);

/** `issuedOn`: a local date YYYY-MM-DD, printed as 2027年1月12日. */
export function annualReport(stats: Stats, year: number, agencyName: AgencyNames, issuedOn: string, issuer = '区司法局'): AnnualReport {
  const h = stats.handling;
  const total = stats.leads;
  const tables = new Map(statsTables(stats, agencyName).map((t) => [t.key, t]));
  const byChannel = ranked(stats.byChannel).map(([k, n]) => `${CHANNEL_LABELS[k] ?? k}${n}条`);
  const transferredTo = ranked(h.transferredTo).map(([k, n]) => `${TRANSFER_TARGET_LABELS[k] ?? '其他机关'}${n}条`);

  const intake = [
    `${year}年，共收到行政执法问题线索${total}条（来件${stats.reports}件次，重复反映归并${h.merged}条）` +
      (byChannel.length ? `，其中${list(byChannel)}。` : '。'),
    `交办承办单位${h.assigned}条，整改到位${h.rectified}条，整改率${pct(h.rectifiedRate)}；办结${h.closed}条，办结率${pct(h.closedRate)}；` +
      `移送${h.transferred}条${transferredTo.length ? `（${list(transferredTo)}）` : ''}，占${pct(h.transferredRate)}；` +
      `不予受理${h.rejected}条，占${pct(h.rejectedRate)}；截至统计时仍在办理${h.inProgress}条，待研判${h.triage}条。`,
  ];
  const fields = [
    total === 0 ? '本年度未收到问题线索。' : !known(stats.byDomain) && !known(stats.byProblemType) && !known(stats.byTownship) ? '本年度线索均未归类到执法领域、问题类型或乡镇（街道）。' :
      (known(stats.byDomain) ? `从执法领域看，线索较多的是${standouts(stats.byDomain, total)}。` : '') +
      (known(stats.byProblemType) ? `从突出问题类型看，反映较多的是${standouts(stats.byProblemType, total)}。` : '') +
      (known(stats.byTownship) ? `从区域看，线索较多的是${standouts(stats.byTownship, total)}。` : ''),
  ];
  const cards = scorecardRows(stats);
  const slow = cards.filter(([, e]) => e.overdue > 0).sort((a, b) => b[1].overdue - a[1].overdue).slice(0, 3);
  const timeliness = [
    `承办单位签收${h.acknowledged}次，按时签收${h.acknowledgedOnTime}次，签收及时率${pct(h.ackOnTimeRate)}；` +
      `整改反馈${h.fedBack}次，按时反馈${h.rectifiedOnTime}次，整改及时率${pct(h.rectifyOnTimeRate)}；` +
      `平均整改用时${h.avgWorkingDaysToRectify ?? '—'}个工作日。`,
    `超期${h.overdue}次，督办${h.escalated}次，审核退回重办${h.returned}次，批准延期${h.extended}次。` +
      (slow.length ? `超期较多的单位是${list(slow.map(([code, e]) => `${agencyName(code)}（${e.overdue}次）`))}。` : ''),
  ];
  const followUp = [
    stats.followUps.done === 0 ? '本年度尚无回访记录。' :
      `办结后回访${stats.followUps.done}次，满意${stats.followUps.satisfied}次，满意率${pct(stats.followUps.satisfactionRate)}。`,
  ];
  const pick = (...keys: string[]) => keys.map((k) => tables.get(k)!).filter(Boolean);
  const [y, m, d] = issuedOn.split('-').map(Number);
  return {
    year,
    title: `${year}年度行政执法问题线索办理情况统计年报`,
    intro: `${year}年，我局依托问题线索平台，接收12345热线、新闻媒体和行政执法社会监督员等渠道反映的行政执法问题线索，` +
      '逐条研判、交办、督促整改并审核销号。现将有关情况报告如下：',
    sections: [
      { heading: `一、${year}年问题线索统计数据`, paragraphs: [], tables: [] },
      { heading: '（一）问题线索收集和办理情况', paragraphs: intake, tables: pick('overview', 'channel') },
      { heading: '（二）突出的执法领域和问题类型', paragraphs: fields, tables: pick('domain', 'problemType') },
      { heading: '（三）承办单位办理时效', paragraphs: timeliness, tables: pick('agencies') },
      { heading: '（四）回访满意度', paragraphs: followUp, tables: [] },
    ],
    issuer,
    date: `${y}年${m}月${d}日`,
  };
}

/** A campaign's closing report (专项整治工作情况), in the same shape: what was collected, how it was put right. */
export function campaignReport(
  campaign: { name: string; startsOn: string; endsOn: string; status: string },
  stats: Stats, agencyName: AgencyNames, issuedOn: string, issuer = '区司法局',
): AnnualReport {
  const base = annualReport(stats, Number(campaign.startsOn.slice(0, 4)), agencyName, issuedOn, issuer);
  const h = stats.handling;
  const day = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  const all = h.received > 0 && h.rectified === h.received;
  return {
    ...base,
    title: `${campaign.name}工作情况报告`,
    intro: `${day(campaign.startsOn)}至${day(campaign.endsOn)}，我局组织开展${campaign.name}，发布问题线索征集公告，` +
      '对收集的问题线索逐条交办、督促整改。现将有关情况报告如下：',
    sections: [
      {
        heading: '一、问题线索收集和整改情况',
        paragraphs: [
          `专项整治期间共收集问题线索${h.received}条` +
            (all ? '，所有问题线索已全部完成整改。' : `，已整改到位${h.rectified}条，整改率${pct(h.rectifiedRate)}；仍在办理${h.inProgress}条。`),
          ...base.sections[1]!.paragraphs.slice(1),
        ],
        tables: base.sections[1]!.tables,
      },
      { ...base.sections[2]!, heading: '二、突出的执法领域和问题类型' },
      { ...base.sections[3]!, heading: '三、承办单位办理时效' },
    ],
  };
}
