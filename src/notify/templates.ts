// What people read: the subject, plain text and simple HTML of every notice, in Chinese (zh-CN).
// Pure functions of plain data (no database, no clock): the caller passes the lead's id and
// title, the agency's name, deadlines as ISO instants and the working days it counted.
//
// Every render returns { subject, text, html, brief }: `brief` is a few lines of plain text for
// the group robots (企业微信, 钉钉, 飞书). Every notice about a lead names its id in the subject and
// links to `${publicUrl}/leads/${leadId}` in every part. All data is escaped in the HTML.
//
// Deadline wording: '2026年3月12日 23:59（北京时间）' in the configured zone (XIANSUO_TZ).

import {
  DEFAULT_TIME_ZONE, WORKING_DAYS_BETWEEN_ESCALATIONS, localDate, toEpochMs,
  type DeadlineKind, type Instant, type IsoDate, type ReminderStage, type WorkingCalendar,
} from '../domain/calendar/index.ts';
import type { Agency } from '../domain/directory.ts';
import { sealNoticeInput } from '../domain/notices.ts';
import type { Priority } from '../domain/types.ts';

export interface TemplateContext {
  /** XIANSUO_PUBLIC_URL, e.g. 'https://xiansuo.example.gov.cn' (a trailing slash is fine). */
  publicUrl: string;
  /** XIANSUO_TZ; Asia/Shanghai by default. */
  timeZone?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** Short plain text for group robots: subject, key facts, link. */
  brief: string;
}

// ---------------------------------------------------------------------------------------------
// Shared wording

export const KIND_LABEL: Record<DeadlineKind, string> = { acknowledge: '签收', feedback: '整改反馈' };

export function leadUrl(publicUrl: string, leadId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/leads/${encodeURIComponent(leadId)}`;
}

function homeUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/`;
}

interface LocalParts { year: number; month: number; day: number; hour: number; minute: number }

const partFormatters = new Map<string, Intl.DateTimeFormat>();
function localParts(at: Instant, tz: string): LocalParts {
  let f = partFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    partFormatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(new Date(toEpochMs(at)))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return { year: p.year ?? 0, month: p.month ?? 0, day: p.day ?? 0, hour: (p.hour ?? 0) % 24, minute: p.minute ?? 0 };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** '2026年3月12日 23:59' in `tz`. */
export function formatDeadline(at: Instant, tz: string = DEFAULT_TIME_ZONE): string {
  const p = localParts(at, tz);
  return `${p.year}年${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

/** '3月12日', or '3月12日 16:30' when the deadline is not the end of a day (hours deadlines). */
export function formatShortDeadline(at: Instant, tz: string = DEFAULT_TIME_ZONE): string {
  const p = localParts(at, tz);
  const endOfDay = p.hour === 23 && p.minute === 59;
  return endOfDay ? `${p.month}月${p.day}日` : `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

/** '2026年3月12日' for a calendar date. */
export function formatDate(date: IsoDate): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

function zoneLabel(tz: string): string {
  return tz === 'Asia/Shanghai' ? '北京时间' : tz;
}

function deadlineWithZone(at: Instant, tz: string): string {
  return `${formatDeadline(at, tz)}（${zoneLabel(tz)}）`;
}

/**
 * Working days from today (local day of `now`) to the deadline's local day: 2 two working days
 * ahead, 0 on the day itself, −1 on the first working day after it (overdue). The number the
 * templates call `workingDaysLeft`.
 */
export function countWorkingDaysLeft(
  dueAt: Instant, now: Instant, calendar: WorkingCalendar, tz: string = DEFAULT_TIME_ZONE,
): number {
  return calendar.workingDaysBetween(localDate(now, tz), localDate(dueAt, tz));
}

/** '还剩 2 个工作日' / '今日到期' / '已超期 3 个工作日' / '已超期'. */
export function daysWording(workingDaysLeft: number, overdue = workingDaysLeft < 0): string {
  if (overdue) return workingDaysLeft < 0 ? `已超期 ${-workingDaysLeft} 个工作日` : '已超期';
  return workingDaysLeft > 0 ? `还剩 ${workingDaysLeft} 个工作日` : '今日到期';
}

/** One line, at most `max` characters (code points), '…' when cut. */
function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

const subjectTitle = (title: string) => oneLine(title, 30);

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Multi-line plain text into escaped HTML with <br>. */
function htmlLines(s: string): string {
  return escapeHtml(s).replace(/\r?\n/g, '<br>');
}

// ---------------------------------------------------------------------------------------------
// Personal data: mails and robot messages go to agencies, so they never carry a reporter's
// personal data, whoever receives them (API.md §3).

export { noticeLeadIds, sealNoticeInput } from '../domain/notices.ts';

// ---------------------------------------------------------------------------------------------
// Layout

const COLORS = {
  warning: '#b45309',
  overdue: '#b91c1c',
  escalation: '#7f1d1d',
  assign: '#1d4ed8',
  digest: '#334155',
  failure: '#b91c1c',
  returned: '#b45309',
  closed: '#15803d',
  extension: '#1d4ed8',
} as const;

interface Section {
  /** A table rendered after the paragraphs (digest). */
  html: string;
  text: string;
}

interface Layout {
  badge: string;
  color: string;
  heading: string;
  greeting: string;
  paragraphs: string[];
  rows: [string, string][];
  /** What to do, emphasised. */
  action?: string;
  section?: Section;
  notes?: string[];
  link: { url: string; label: string };
}

const FOOTER = '本邮件由区司法局问题线索督办平台自动发送，请勿直接回复。如有疑问，请联系区司法局执法监督科。';

function renderLayout(subject: string, l: Layout, briefLines: string[]): RenderedMail {
  const text = [
    l.greeting,
    '',
    ...l.paragraphs.flatMap((p) => [p, '']),
    ...(l.rows.length > 0 ? [...l.rows.map(([k, v]) => `${k}：${v}`), ''] : []),
    ...(l.section ? [l.section.text, ''] : []),
    ...(l.action ? [l.action, ''] : []),
    ...(l.notes ?? []).flatMap((n) => [n, '']),
    `${l.link.label}：${l.link.url}`,
    '',
    '——',
    FOOTER,
    '',
  ].join('\n');

  const cell = 'padding:6px 10px;border:1px solid #e2e8f0;vertical-align:top;';
  const rows = l.rows.map(([k, v]) =>
    `<tr><th style="${cell}background:#f8fafc;text-align:left;white-space:nowrap;font-weight:normal;color:#475569;">${escapeHtml(k)}</th>`
    + `<td style="${cell}">${htmlLines(v)}</td></tr>`).join('');
  const url = escapeHtml(l.link.url);
  const html = [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:16px;background:#f1f5f9;font-family:\'PingFang SC\',\'Microsoft YaHei\',\'Noto Sans CJK SC\',sans-serif;font-size:14px;line-height:1.7;color:#1e293b;">',
    '<div style="max-width:680px;margin:0 auto;background:#ffffff;border:1px solid #e2e8f0;padding:20px 24px;">',
    `<div><span style="display:inline-block;padding:2px 10px;background:${l.color};color:#ffffff;font-size:13px;">${escapeHtml(l.badge)}</span></div>`,
    `<h1 style="font-size:18px;margin:12px 0;color:#0f172a;">${escapeHtml(l.heading)}</h1>`,
    `<p style="margin:8px 0;">${escapeHtml(l.greeting)}</p>`,
    ...l.paragraphs.map((p) => `<p style="margin:8px 0;text-indent:2em;">${htmlLines(p)}</p>`),
    rows ? `<table style="border-collapse:collapse;margin:12px 0;width:100%;">${rows}</table>` : '',
    l.section ? l.section.html : '',
    l.action ? `<p style="margin:12px 0;padding:8px 12px;background:#fef9c3;border-left:4px solid ${l.color};">${htmlLines(l.action)}</p>` : '',
    ...(l.notes ?? []).map((n) => `<p style="margin:8px 0;color:#475569;font-size:13px;">${htmlLines(n)}</p>`),
    `<p style="margin:16px 0;"><a href="${url}" style="display:inline-block;padding:8px 18px;background:${l.color};color:#ffffff;text-decoration:none;">${escapeHtml(l.link.label)}</a></p>`,
    `<p style="margin:8px 0;font-size:12px;color:#64748b;">链接无法打开时，请复制到浏览器：<br><a href="${url}" style="color:#1d4ed8;">${url}</a></p>`,
    `<hr style="border:none;border-top:1px solid #e2e8f0;margin:16px 0;">`,
    `<p style="margin:0;font-size:12px;color:#94a3b8;">${escapeHtml(FOOTER)}</p>`,
    '</div></body></html>',
    '',
  ].join('\n');

  const brief = [subject, ...briefLines, l.link.url].join('\n');
  return { subject, text, html, brief };
}

// ---------------------------------------------------------------------------------------------
// (a) Reminders: 预警 / 超期 / 督办

export interface LeadRef {
  /** 'XS-2026-000123' */
  leadId: string;
  title: string;
  /** The 承办单位's name, '区城市管理和综合执法局'. */
  agencyName: string;
}

export interface ReminderInput extends LeadRef {
  kind: DeadlineKind;
  /** 'warning' | 'overdue' | 'escalation-N' (domain/calendar/reminders.ts). */
  stage: ReminderStage;
  /** The deadline, ISO instant. */
  dueAt: string;
  /** countWorkingDaysLeft(dueAt, now): ≥ 0 before the deadline, < 0 overdue. */
  workingDaysLeft: number;
}

type ParsedStage = { type: 'warning' } | { type: 'overdue' } | { type: 'escalation'; n: number };

export function parseStage(stage: ReminderStage): ParsedStage {
  if (stage === 'warning' || stage === 'overdue') return { type: stage };
  const m = /^escalation-(\d+)$/.exec(stage);
  if (!m || Number(m[1]) < 1) throw new RangeError(`unknown reminder stage: ${JSON.stringify(stage)}`);
  return { type: 'escalation', n: Number(m[1]) };
}

const ACTION_BEFORE: Record<DeadlineKind, string> = {
  acknowledge: '请尽快登录平台签收该问题线索，并组织核查整改。',
  feedback: '请按期完成整改，并通过平台提交整改反馈（整改情况、整改措施及佐证材料）；确因客观原因无法按期完成的，请在期限届满前通过平台申请延期。',
};
const ACTION_AFTER: Record<DeadlineKind, string> = {
  acknowledge: '请立即登录平台签收该问题线索，并组织核查整改。',
  feedback: '请立即完成整改并通过平台提交整改反馈；确因客观原因无法完成的，请通过平台说明理由、申请延期。',
};

export function renderReminder(input: ReminderInput, ctx: TemplateContext): RenderedMail {
  input = sealNoticeInput(input);
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const stage = parseStage(input.stage);
  const kind = KIND_LABEL[input.kind];
  const id = input.leadId;
  const title = subjectTitle(input.title);
  const url = leadUrl(ctx.publicUrl, id);
  const overdue = stage.type !== 'warning';
  const days = daysWording(input.workingDaysLeft, overdue);
  const overdueDays = Math.max(0, -input.workingDaysLeft);
  const ref = `问题线索「${oneLine(input.title, 200)}」（编号 ${id}）`;

  let subject: string;
  let badge: string;
  let color: string;
  let greeting = `${input.agencyName}：`;
  let paragraphs: string[];
  let notes: string[] = [];
  if (stage.type === 'warning') {
    badge = '预警';
    color = COLORS.warning;
    subject = `【预警】${id} ${title} ${kind}将于 ${formatShortDeadline(input.dueAt, tz)}到期`;
    paragraphs = [`你单位承办的${ref}${kind}期限即将届满（${days}），请及时办理。`];
  } else if (stage.type === 'overdue') {
    badge = '超期';
    color = COLORS.overdue;
    subject = `【超期】${id} ${title} ${kind}${overdueDays > 0 ? `已超期 ${overdueDays} 个工作日` : '已超期'}`;
    paragraphs = [`你单位承办的${ref}${kind}已超过办理期限，尚未办理。`];
    notes = [`仍未办理的，平台将每 ${WORKING_DAYS_BETWEEN_ESCALATIONS} 个工作日向你单位负责同志和区司法局发出督办通知。`];
  } else {
    badge = `督办（第 ${stage.n} 次）`;
    color = COLORS.escalation;
    greeting = `${input.agencyName}负责同志：`;
    subject = `【督办】${id} ${title} ${kind}${overdueDays > 0 ? `已超期 ${overdueDays} 个工作日` : '已超期'}（第 ${stage.n} 次督办）`;
    paragraphs = [
      `你单位承办的${ref}${kind}${overdueDays > 0 ? `已超过办理期限 ${overdueDays} 个工作日` : '已超过办理期限'}，经提醒仍未办理。`,
      `现予第 ${stage.n} 次督办，请督促承办人员立即办理。`,
    ];
    notes = [`本督办通知同时抄送区司法局，并记入该问题线索的全过程记录；仍未办理的，每 ${WORKING_DAYS_BETWEEN_ESCALATIONS} 个工作日再次督办。`];
  }

  const rows: [string, string][] = [
    ['线索编号', id],
    ['线索标题', oneLine(input.title, 200)],
    ['承办单位', input.agencyName],
    ['办理事项', kind],
    ['办理期限', deadlineWithZone(input.dueAt, tz)],
    [overdue ? '超期情况' : '剩余时间', days],
  ];
  return renderLayout(subject, {
    badge, color, heading: `${badge}：${kind} ${id}`, greeting, paragraphs, rows,
    action: overdue ? ACTION_AFTER[input.kind] : ACTION_BEFORE[input.kind],
    notes,
    link: { url, label: '查看与办理' },
  }, [`承办单位：${input.agencyName}`, `${kind}期限：${formatDeadline(input.dueAt, tz)}（${days}）`]);
}

/**
 * Who gets a reminder: the agency's contact for a warning or an overdue notice; the agency's
 * head, with the bureau (监督科) and the contact in copy, for an escalation (督办).
 */
export function reminderRecipients(
  stage: ReminderStage,
  agency: Pick<Agency, 'email' | 'headEmail'>,
  bureauEmail: string,
): { to: string[]; cc: string[] } {
  if (parseStage(stage).type !== 'escalation') return { to: [agency.email], cc: [] };
  const to = [agency.headEmail];
  const cc = [bureauEmail, agency.email].filter((a, i, all) => a && !to.includes(a) && all.indexOf(a) === i);
  return { to, cc };
}

// ---------------------------------------------------------------------------------------------
// (b) 交办通知

export interface AssignmentNoticeInput extends LeadRef {
  /** 主办 (primary, the default) or 协办 (assist). */
  role?: 'primary' | 'assist';
  priority?: Priority;
  /** 签收 deadline, ISO instant. */
  ackDueAt: string | null;
  /** 整改反馈 deadline, ISO instant. */
  dueAt: string | null;
  /** What the lead is about, already masked for the agency (no reporter's personal data). */
  summary?: string;
  /** The bureau's instructions (交办意见). */
  note?: string;
  /** A deadline counted in a year whose holidays are not yet published. */
  calendarProvisional?: boolean;
}

export function renderAssignmentNotice(input: AssignmentNoticeInput, ctx: TemplateContext): RenderedMail {
  input = sealNoticeInput(input);
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const id = input.leadId;
  const url = leadUrl(ctx.publicUrl, id);
  const urgent = input.priority === 'urgent';
  const role = input.role === 'assist' ? '协办' : '主办';
  const when = input.ackDueAt ? `，请于 ${formatShortDeadline(input.ackDueAt, tz)}前签收` : '';
  const subject = `【交办${urgent ? '·紧急' : ''}】${id} ${subjectTitle(input.title)}${when}`;
  const rows: [string, string][] = [
    ['线索编号', id],
    ['线索标题', oneLine(input.title, 200)],
    ['承办单位', `${input.agencyName}（${role}）`],
    ['紧急程度', urgent ? '紧急' : '一般'],
  ];
  if (input.ackDueAt) rows.push(['签收期限', deadlineWithZone(input.ackDueAt, tz)]);
  if (input.dueAt) rows.push(['整改反馈期限', deadlineWithZone(input.dueAt, tz)]);
  if (input.summary) rows.push(['问题概要', input.summary.trim().slice(0, 1000)]);
  if (input.note) rows.push(['交办意见', input.note.trim().slice(0, 1000)]);
  const notes: string[] = [];
  if (input.calendarProvisional) {
    notes.push('注：期限所在年度的节假日安排尚未公布，上述期限暂按周一至周五计算，公布后可能调整。');
  }
  return renderLayout(subject, {
    badge: urgent ? '交办·紧急' : '交办',
    color: COLORS.assign,
    heading: `交办通知：${id}`,
    greeting: `${input.agencyName}：`,
    paragraphs: [`区司法局现将问题线索「${oneLine(input.title, 200)}」（编号 ${id}）交由你单位${role}，请按期办理。`],
    rows,
    action: input.role === 'assist'
      ? '请及时签收，配合主办单位核查整改，并将协办情况通过平台反馈。'
      : '请及时签收，组织核查整改，并在期限内通过平台提交整改反馈；确需延期的，请在期限届满前申请延期。',
    notes,
    link: { url, label: '查看与签收' },
  }, [
    `承办单位：${input.agencyName}（${role}）`,
    ...(input.ackDueAt ? [`签收期限：${formatDeadline(input.ackDueAt, tz)}`] : []),
    ...(input.dueAt ? [`整改反馈期限：${formatDeadline(input.dueAt, tz)}`] : []),
  ]);
}

// ---------------------------------------------------------------------------------------------
// (c) 每日待办汇总

export interface DigestItem {
  leadId: string;
  title: string;
  /** What the agency owes: 签收 or 整改反馈. */
  kind: DeadlineKind;
  dueAt: string;
  workingDaysLeft: number;
}

export interface DigestInput {
  agencyName: string;
  /** The working day the digest is for (local), 'YYYY-MM-DD'. */
  date: IsoDate;
  /** When it is made; decides what is overdue. */
  now: Instant;
  items: DigestItem[];
}

/** Most urgent first: overdue (longest overdue first), then by deadline, soonest first. */
export function sortByUrgency<T extends { dueAt: string; leadId: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => toEpochMs(a.dueAt) - toEpochMs(b.dueAt) || a.leadId.localeCompare(b.leadId));
}

export function renderDigest(input: DigestInput, ctx: TemplateContext): RenderedMail {
  input = sealNoticeInput(input);
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const now = toEpochMs(input.now);
  const items = sortByUrgency(input.items);
  const isOverdue = (i: DigestItem) => toEpochMs(i.dueAt) < now;
  const overdue = items.filter(isOverdue).length;
  const soon = items.filter((i) => !isOverdue(i) && i.workingDaysLeft <= 2).length;
  const day = formatDate(input.date);
  const subject = `【每日待办汇总】${input.agencyName} ${day}：待办 ${items.length} 件${overdue ? `，其中超期 ${overdue} 件` : ''}`;

  const status = (i: DigestItem) => daysWording(i.workingDaysLeft, isOverdue(i));
  const textLines = items.length === 0
    ? ['今日无待办问题线索。']
    : items.map((i, n) => [
      `${n + 1}. [${status(i)}] ${i.leadId} ${oneLine(i.title, 60)}`,
      `   ${KIND_LABEL[i.kind]}期限：${formatDeadline(i.dueAt, tz)}`,
      `   ${leadUrl(ctx.publicUrl, i.leadId)}`,
    ].join('\n'));
  const cell = 'padding:6px 8px;border:1px solid #e2e8f0;vertical-align:top;';
  const head = ['序号', '线索编号', '标题', '待办事项', '期限', '状态']
    .map((h) => `<th style="${cell}background:#f8fafc;text-align:left;font-weight:normal;color:#475569;white-space:nowrap;">${h}</th>`).join('');
  const body = items.map((i, n) => {
    const late = isOverdue(i);
    const statusColor = late ? COLORS.overdue : i.workingDaysLeft <= 2 ? COLORS.warning : '#1e293b';
    const url = escapeHtml(leadUrl(ctx.publicUrl, i.leadId));
    return `<tr><td style="${cell}">${n + 1}</td>`
      + `<td style="${cell}white-space:nowrap;"><a href="${url}" style="color:#1d4ed8;">${escapeHtml(i.leadId)}</a></td>`
      + `<td style="${cell}">${escapeHtml(oneLine(i.title, 60))}</td>`
      + `<td style="${cell}white-space:nowrap;">${KIND_LABEL[i.kind]}</td>`
      + `<td style="${cell}white-space:nowrap;">${escapeHtml(formatDeadline(i.dueAt, tz))}</td>`
      + `<td style="${cell}white-space:nowrap;color:${statusColor};">${escapeHtml(status(i))}</td></tr>`;
  }).join('');
  const tableHtml = items.length === 0
    ? '<p style="margin:8px 0;">今日无待办问题线索。</p>'
    : `<table style="border-collapse:collapse;margin:12px 0;width:100%;font-size:13px;"><tr>${head}</tr>${body}</table>`;

  return renderLayout(subject, {
    badge: '每日待办汇总',
    color: COLORS.digest,
    heading: `${input.agencyName} 待办问题线索（${day}）`,
    greeting: `${input.agencyName}：`,
    paragraphs: [
      items.length === 0
        ? '截至今日，你单位没有待签收或待整改反馈的问题线索。'
        : `截至今日，你单位共有待办问题线索 ${items.length} 件，其中已超期 ${overdue} 件、2 个工作日内到期 ${soon} 件，按紧急程度排列如下（期限均为${zoneLabel(tz)}）。`,
    ],
    rows: [],
    section: { text: textLines.join('\n'), html: tableHtml },
    ...(items.length > 0 ? { action: '请优先办理已超期和即将到期的问题线索；确需延期的，请在期限届满前申请延期。' } : {}),
    link: { url: homeUrl(ctx.publicUrl), label: '进入平台' },
  }, items.slice(0, 10).map((i) => `${i.leadId} ${oneLine(i.title, 20)}（${KIND_LABEL[i.kind]}，${status(i)}）`)
    .concat(items.length > 10 ? [`…… 另有 ${items.length - 10} 件`] : []));
}

// ---------------------------------------------------------------------------------------------
// (d) 投递失败 (a dead outbox message), to the bureau

export interface DeadLetterInput {
  outboxId: string;
  /** How it was to go: 'email', or a robot kind. */
  channel: 'email' | 'wecom' | 'dingtalk' | 'feishu';
  recipients: string[];
  /** The subject (or first line) of the message that was not delivered. */
  subject: string;
  attempts: number;
  firstAttemptAt: string;
  lastAttemptAt: string;
  lastError: string;
  /** Why it was given up: a permanent refusal, or 72 hours of failures. */
  reason: 'permanent' | 'expired';
  leadId?: string;
  agencyName?: string;
}

const CHANNEL_LABEL: Record<DeadLetterInput['channel'], string> = {
  email: '电子邮件', wecom: '企业微信群机器人', dingtalk: '钉钉群机器人', feishu: '飞书群机器人',
};

export function renderDeadLetter(input: DeadLetterInput, ctx: TemplateContext): RenderedMail {
  input = sealNoticeInput(input);
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const url = input.leadId ? leadUrl(ctx.publicUrl, input.leadId) : homeUrl(ctx.publicUrl);
  const hours = Math.max(0, Math.round((toEpochMs(input.lastAttemptAt) - toEpochMs(input.firstAttemptAt)) / 3_600_000));
  const subject = `【投递失败】${input.leadId ? `${input.leadId} ` : ''}通知未能送达：${oneLine(input.subject, 40)}`;
  const why = input.reason === 'permanent'
    ? '收件方服务器明确拒收（如邮箱地址不存在），平台已停止重试。'
    : `自首次发送起连续重试 ${hours} 小时仍未成功，平台已停止重试。`;
  const rows: [string, string][] = [
    ...(input.leadId ? [['线索编号', input.leadId] as [string, string]] : []),
    ...(input.agencyName ? [['承办单位', input.agencyName] as [string, string]] : []),
    ['发送渠道', CHANNEL_LABEL[input.channel]],
    ['收件人', input.recipients.join('、') || '（无）'],
    ['原通知主题', oneLine(input.subject, 200)],
    ['尝试次数', `${input.attempts} 次`],
    ['首次尝试', deadlineWithZone(input.firstAttemptAt, tz)],
    ['最后尝试', deadlineWithZone(input.lastAttemptAt, tz)],
    ['最后错误', oneLine(input.lastError, 500)],
    ['发件箱编号', input.outboxId],
  ];
  return renderLayout(subject, {
    badge: '投递失败',
    color: COLORS.failure,
    heading: `通知未能送达${input.leadId ? `：${input.leadId}` : ''}`,
    greeting: '区司法局执法监督科：',
    paragraphs: [`下列通知未能通过${CHANNEL_LABEL[input.channel]}送达。${why}`],
    rows,
    action: '请核实收件地址或邮件服务器、机器人配置，必要时电话通知承办单位，以免耽误办理期限。',
    link: { url, label: input.leadId ? '查看问题线索' : '进入平台' },
  }, [`收件人：${input.recipients.join('、')}`, `最后错误：${oneLine(input.lastError, 100)}`]);
}

// ---------------------------------------------------------------------------------------------
// (e) 审核结果 and 延期 decisions, to the agency

export interface ReviewReturnedInput extends LeadRef {
  /** The bureau's reasons for returning the feedback. */
  comment: string;
  /** The new 整改反馈 deadline. */
  dueAt: string;
  workingDaysLeft: number;
}

export function renderReviewReturned(input: ReviewReturnedInput, ctx: TemplateContext): RenderedMail {
  input = sealNoticeInput(input);
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const id = input.leadId;
  const subject = `【退回整改】${id} ${subjectTitle(input.title)} 请于 ${formatShortDeadline(input.dueAt, tz)}前重新提交整改反馈`;
  return renderLayout(subject, {
    badge: '退回整改',
    color: COLORS.returned,
    heading: `整改反馈退回：${id}`,
    greeting: `${input.agencyName}：`,
    paragraphs: [`你单位就问题线索「${oneLine(input.title, 200)}」（编号 ${id}）提交的整改反馈，经区司法局审核未予通过，现退回继续整改。`],
    rows: [
      ['线索编号', id],
      ['线索标题', oneLine(input.title, 200)],
      ['承办单位', input.agencyName],
      ['退回意见', input.comment.trim().slice(0, 2000) || '（无）'],
      ['整改反馈期限', deadlineWithZone(input.dueAt, tz)],
      ['剩余时间', daysWording(input.workingDaysLeft, false)],
    ],
    action: '请根据退回意见继续整改，并在期限内重新提交整改反馈。',
    link: { url: leadUrl(ctx.publicUrl, id), label: '查看与办理' },
  }, [`承办单位：${input.agencyName}`, `整改反馈期限：${formatDeadline(input.dueAt, tz)}`]);
}

export interface ReviewApprovedInput extends LeadRef {
  comment?: string;
  closedAt: string;
}

export function renderReviewApproved(input: ReviewApprovedInput, ctx: TemplateContext): RenderedMail {
  input = sealNoticeInput(input);
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const id = input.leadId;
  const subject = `【审核通过】${id} ${subjectTitle(input.title)} 已办结`;
  const rows: [string, string][] = [
    ['线索编号', id],
    ['线索标题', oneLine(input.title, 200)],
    ['承办单位', input.agencyName],
    ['办结时间', deadlineWithZone(input.closedAt, tz)],
  ];
  if (input.comment?.trim()) rows.push(['审核意见', input.comment.trim().slice(0, 2000)]);
  return renderLayout(subject, {
    badge: '审核通过',
    color: COLORS.closed,
    heading: `整改反馈审核通过：${id}`,
    greeting: `${input.agencyName}：`,
    paragraphs: [`你单位就问题线索「${oneLine(input.title, 200)}」（编号 ${id}）提交的整改反馈，经区司法局审核通过，该线索已办结。`],
    rows,
    link: { url: leadUrl(ctx.publicUrl, id), label: '查看问题线索' },
  }, [`承办单位：${input.agencyName}`]);
}

export interface ExtensionDecisionInput extends LeadRef {
  kind?: DeadlineKind;
  approved: boolean;
  /** Working days asked for. */
  workingDays: number;
  /** The deadline in force after the decision (the new one when approved, the old one otherwise). */
  dueAt: string;
  comment?: string;
}

export function renderExtensionDecision(input: ExtensionDecisionInput, ctx: TemplateContext): RenderedMail {
  input = sealNoticeInput(input);
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const id = input.leadId;
  const kind = KIND_LABEL[input.kind ?? 'feedback'];
  const short = formatShortDeadline(input.dueAt, tz);
  const subject = input.approved
    ? `【延期】${id} ${subjectTitle(input.title)} 延期申请已批准，${kind}期限延至 ${short}`
    : `【延期】${id} ${subjectTitle(input.title)} 延期申请未获批准，${kind}期限仍为 ${short}`;
  const rows: [string, string][] = [
    ['线索编号', id],
    ['线索标题', oneLine(input.title, 200)],
    ['承办单位', input.agencyName],
    ['申请延期', `${input.workingDays} 个工作日`],
    ['审批结果', input.approved ? '批准' : '不予批准'],
    [input.approved ? `延期后${kind}期限` : `${kind}期限`, deadlineWithZone(input.dueAt, tz)],
  ];
  if (input.comment?.trim()) rows.push(['审批意见', input.comment.trim().slice(0, 2000)]);
  return renderLayout(subject, {
    badge: input.approved ? '延期批准' : '延期未批准',
    color: input.approved ? COLORS.extension : COLORS.returned,
    heading: `延期申请${input.approved ? '已批准' : '未获批准'}：${id}`,
    greeting: `${input.agencyName}：`,
    paragraphs: [`你单位就问题线索「${oneLine(input.title, 200)}」（编号 ${id}）提出的延期申请，区司法局${input.approved ? '已批准' : '未予批准'}。`],
    rows,
    action: `请在 ${formatDeadline(input.dueAt, tz)} 前完成${kind}。`,
    link: { url: leadUrl(ctx.publicUrl, id), label: '查看与办理' },
  }, [`${kind}期限：${formatDeadline(input.dueAt, tz)}`]);
}

// ---------------------------------------------------------------------------------------------
// (f) 期限暂按工作日计算：a deadline counted in a year whose holiday arrangement is not published

export interface ProvisionalCalendarInput extends LeadRef {
  /** The year the published calendar does not cover yet. */
  year: number;
  dueAt: string;
}

export function renderProvisionalCalendar(input: ProvisionalCalendarInput, ctx: TemplateContext): RenderedMail {
  input = sealNoticeInput(input);
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const id = input.leadId;
  const subject = `【日历提示】${input.year}年节假日安排尚未录入，${id} 等线索的期限暂按周一至周五计算`;
  return renderLayout(subject, {
    badge: '日历提示',
    color: COLORS.warning,
    heading: `${input.year}年工作日安排尚未录入`,
    greeting: '区司法局监督科：',
    paragraphs: [
      `问题线索「${oneLine(input.title, 200)}」（编号 ${id}，承办单位 ${input.agencyName}）的期限落在 ${input.year} 年，`
      + `而系统中还没有该年的国务院节假日安排，期限暂按周一至周五计算，并标记为“暂定”。`,
      `国务院办公厅公布 ${input.year} 年安排后，请在“工作日历”中录入（PUT /api/calendar/${input.year}，"published": true），`
      + '所有暂定期限将自动重新计算并记入全过程记录。本年度只提示这一次。',
    ],
    rows: [['线索编号', id], ['暂定期限', deadlineWithZone(input.dueAt, tz)]],
    link: { url: leadUrl(ctx.publicUrl, id), label: '查看问题线索' },
  }, [`暂定期限：${deadlineWithZone(input.dueAt, tz)}`]);
}

// ---------------------------------------------------------------------------------------------
// (h) 全过程记录链头: the chain head, published to the bureau once a day with the digests

export interface AuditHeadInput {
  /** The working day it is published for (local), 'YYYY-MM-DD'. */
  date: IsoDate;
  /** When the head was read. */
  at: Instant;
  seq: number;
  hash: string;
  /** Whether the chain is keyed with XIANSUO_AUDIT_KEY. */
  keyed: boolean;
}

export function renderAuditHead(input: AuditHeadInput, ctx: TemplateContext): RenderedMail {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const anchor = `${input.seq}:${input.hash}`;
  const subject = `【全过程记录链头】${formatDate(input.date)}：第 ${input.seq} 条`;
  return renderLayout(subject, {
    badge: '全过程记录链头',
    color: COLORS.digest,
    heading: `执法全过程记录链头（${formatDate(input.date)}）`,
    greeting: '区司法局执法监督科：',
    paragraphs: [
      '以下是平台全过程记录截至发信时的链头（最后一条记录的序号和哈希）。请保存本邮件：'
      + '日后任何人改动或删除这一条及其之前的记录，用它校验都会发现。',
    ],
    rows: [
      ['记录序号', String(input.seq)],
      ['哈希', input.hash],
      ['读取时间', deadlineWithZone(input.at, tz)],
      ['签名方式', input.keyed ? 'HMAC-SHA-256（XIANSUO_AUDIT_KEY 密钥签名）' : 'SHA-256（未设置 XIANSUO_AUDIT_KEY，建议设置）'],
    ],
    action: `校验命令：npx xiansuo audit verify --anchor ${anchor}`,
    link: { url: homeUrl(ctx.publicUrl), label: '进入平台' },
  }, [`链头 ${anchor}`]);
}

// ---------------------------------------------------------------------------------------------
// (i) 热点提示: to the bureau, with the day's digests, when leads about one agency, field or
// township clearly exceed their usual rate (domain/hotspots.ts decides; this only words it)

export interface HotspotsInput {
  /** The working day it is for (local), 'YYYY-MM-DD'. */
  date: IsoDate;
  /** The rule in one sentence (ruleSentence). */
  rule: string;
  hotspots: {
    /** '单位：区交通运输局' */
    label: string;
    /** '近 7 天 21 件，按往常应为约 7.0 件，…' */
    figures: string;
    recent: number;
    /** Paths on the platform: the queue filtered to its leads, the campaign form prefilled. */
    queuePath: string;
    campaignPath: string;
  }[];
  /** The listed leads, each with the index of its hotspot (one lead may be listed under several). */
  items: { leadId: string; title: string; hotspot: number }[];
}

function platformUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}

export function renderHotspots(input: HotspotsInput, ctx: TemplateContext): RenderedMail {
  input = sealNoticeInput(input);
  const day = formatDate(input.date);
  const n = input.hotspots.length;
  const subject = `【热点提示】${day}：${n} 处问题线索明显多于往常`;
  const cell = 'padding:6px 8px;border:1px solid #e2e8f0;vertical-align:top;';
  const text: string[] = [];
  const html: string[] = [];
  input.hotspots.forEach((h, i) => {
    const leads = input.items.filter((it) => it.hotspot === i);
    const queue = platformUrl(ctx.publicUrl, h.queuePath);
    const campaign = platformUrl(ctx.publicUrl, h.campaignPath);
    text.push(
      `${i + 1}. ${h.label}`,
      `   ${h.figures}`,
      ...leads.map((l) => `   - ${l.leadId} ${oneLine(l.title, 60)} ${leadUrl(ctx.publicUrl, l.leadId)}`),
      `   查看全部 ${h.recent} 条：${queue}`,
      `   开设专项整治：${campaign}`,
      '',
    );
    html.push(
      `<h2 style="font-size:15px;margin:16px 0 4px;color:#0f172a;">${i + 1}. ${escapeHtml(h.label)}</h2>`,
      `<p style="margin:4px 0;">${escapeHtml(h.figures)}</p>`,
      leads.length ? `<table style="border-collapse:collapse;margin:8px 0;width:100%;font-size:13px;">${leads.map((l) =>
        `<tr><td style="${cell}white-space:nowrap;"><a href="${escapeHtml(leadUrl(ctx.publicUrl, l.leadId))}" style="color:#1d4ed8;">${escapeHtml(l.leadId)}</a></td>`
        + `<td style="${cell}">${escapeHtml(oneLine(l.title, 60))}</td></tr>`).join('')}</table>` : '',
      `<p style="margin:4px 0;"><a href="${escapeHtml(queue)}" style="color:#1d4ed8;">查看全部 ${h.recent} 条线索</a>`
      + ` · <a href="${escapeHtml(campaign)}" style="color:#1d4ed8;">开设专项整治</a></p>`,
    );
  });
  return renderLayout(subject, {
    badge: '热点提示',
    color: COLORS.warning,
    heading: `问题线索热点提示（${day}）`,
    greeting: '区司法局执法监督科：',
    paragraphs: [`以下单位、执法领域或乡镇街道近期的问题线索明显多于往常，请研判是否需要开设专项整治。提示规则：${input.rule}`],
    rows: [],
    section: { text: text.join('\n').trimEnd(), html: html.join('\n') },
    link: { url: homeUrl(ctx.publicUrl), label: '进入平台' },
  }, input.hotspots.map((h) => `${h.label}：${h.figures}`));
}
