// How the pages write times, deadlines and codes for people: Beijing time as "12月4日 23:59",
// working days left as "剩 3 个工作日", channels and statuses in the glossary's words.
import { localDate, type WorkingCalendar } from '../../domain/calendar/index.ts';
import { STATUS_LABELS, ASSIGNMENT_STATUS_LABELS, TRANSFER_LABELS } from '../../domain/lifecycle/index.ts';
import type { LeadStatus, Transfer } from '../../domain/types.ts';
import { CHANNEL_LABELS } from '../../../webhooks/index.ts';

const parts = new Map<string, Intl.DateTimeFormat>();

function fields(iso: string, tz: string): Record<string, string> {
  let f = parts.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    parts.set(tz, f);
  }
  return Object.fromEntries(f.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
}

/** "12月4日 23:59"; with the year when it is not `nowIso`'s year: "2025年12月4日 23:59". */
export function when(iso: string | null | undefined, tz: string, nowIso?: string): string {
  if (!iso) return '—';
  const p = fields(iso, tz);
  const year = nowIso && fields(nowIso, tz).year !== p.year ? `${p.year}年` : '';
  return `${year}${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

/** "剩 3 个工作日" / "今日到期" / "超期 2 个工作日". */
export function daysLeft(dueIso: string, nowIso: string, calendar: WorkingCalendar, tz: string): { text: string; overdue: boolean; soon: boolean } {
  const overdue = dueIso < nowIso;
  const n = calendar.workingDaysBetween(localDate(nowIso, tz), localDate(dueIso, tz));
  if (overdue) return { text: n < 0 ? `超期 ${-n} 个工作日` : '已超期', overdue, soon: false };
  if (n <= 0) return { text: '今日到期', overdue, soon: true };
  return { text: `剩 ${n} 个工作日`, overdue, soon: n <= 2 };
}

export { CHANNEL_LABELS };

export function statusLabel(s: string): string {
  return STATUS_LABELS[s as LeadStatus] ?? s;
}
export function assignmentStatusLabel(s: string): string {
  return (ASSIGNMENT_STATUS_LABELS as Record<string, string>)[s] ?? s;
}
export function transferLabel(t: string | null): string {
  return t ? TRANSFER_LABELS[t as Transfer] ?? t : '';
}
export function channelLabel(s: string): string {
  return CHANNEL_LABELS[s] ?? s;
}

/** What the full-process record's actions mean, for the timeline. */
export const ACTION_LABELS: Record<string, string> = {
  'report.received': '收到来件', 'report.revised': '来件更新', 'lead.created': '生成问题线索', 'lead.routed': '分办建议',
  'lead.report-merged': '重复来件自动并入', 'lead.assigned': '交办', 'assignment.acknowledged': '签收',
  'assignment.feedback': '整改反馈', 'lead.review.approved': '审核通过', 'lead.review.returned': '审核退回',
  'extension.requested': '申请延期', 'extension.approved': '延期批准', 'extension.refused': '延期驳回',
  'lead.rejected': '不予受理', 'lead.transferred': '移送', 'lead.merged': '合并到其他线索', 'lead.merge.received': '并入其他线索',
  'lead.unmerged': '拆分', 'lead.merge.released': '拆分出线索', 'lead.closed': '办结', 'followup.recorded': '回访',
  'lead.reopened': '重新办理', 'reminder.sent': '催办提醒', 'reminder.superseded': '提醒补记', 'routing.corrected': '改派单位',
  'reporter.unmasked': '查看举报人信息', 'deadline.recomputed': '期限重算',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}
