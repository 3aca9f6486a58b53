import { describe, expect, it } from 'vitest';
import { chineseWorkingCalendar } from '../domain/calendar/index.ts';
import { BUILTIN_DIRECTORY, findAgency } from '../domain/directory.ts';
import { startSmtpSink } from '../../test/helpers/smtpSink.ts';
import { mailIdentityHeaders } from './mail.ts';
import { smtpMailer } from './node/smtp.ts';
import {
  countWorkingDaysLeft, escapeHtml, formatDeadline, formatShortDeadline, leadUrl, parseStage,
  reminderRecipients, renderAssignmentNotice, renderDeadLetter, renderDigest, renderExtensionDecision,
  renderReminder, renderReviewApproved, renderReviewReturned, sealNoticeInput, noticeLeadIds, sortByUrgency,
  type RenderedMail, type TemplateContext,
} from './templates.ts';

const ctx: TemplateContext = { publicUrl: 'https://xiansuo.example.gov.cn/', timeZone: 'Asia/Shanghai' };
const LEAD = 'XS-2026-000123';
const LINK = 'https://xiansuo.example.gov.cn/leads/XS-2026-000123';
// 23:59:59 Beijing time on Thursday 12 March 2026.
const DUE = '2026-03-12T15:59:59.000Z';
const ref = { leadId: LEAD, title: '梅湾街道夜市占道经营', agencyName: '区城市管理和综合执法局' };

const EVIL_TITLE = '<script>alert("x")</script> & \'引号\' 占道';
const EVIL_AGENCY = '区<b>城管</b>局';
const EVIL_NOTE = '<img src=x onerror=alert(1)>';
const evil = { leadId: LEAD, title: EVIL_TITLE, agencyName: EVIL_AGENCY };

function expectSafe(m: RenderedMail) {
  expect(m.html).not.toContain('<script');
  expect(m.html).not.toContain('<b>城管');
  expect(m.html).not.toContain('<img');
  expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;引号&#39;');
  expect(m.html).toContain('区&lt;b&gt;城管&lt;/b&gt;局');
  // Plain parts carry the data as it is.
  expect(m.text).toContain(EVIL_AGENCY);
  expect(m.subject).not.toMatch(/[\r\n]/);
}

function expectLinked(m: RenderedMail, url = LINK) {
  expect(m.text).toContain(url);
  expect(m.html).toContain(`href="${escapeHtml(url)}"`);
  expect(m.brief).toContain(url);
}

const everyTemplate: [string, () => RenderedMail][] = [
  ['warning', () => renderReminder({ ...evil, kind: 'feedback', stage: 'warning', dueAt: DUE, workingDaysLeft: 2 }, ctx)],
  ['overdue', () => renderReminder({ ...evil, kind: 'acknowledge', stage: 'overdue', dueAt: DUE, workingDaysLeft: -1 }, ctx)],
  ['escalation', () => renderReminder({ ...evil, kind: 'feedback', stage: 'escalation-2', dueAt: DUE, workingDaysLeft: -7 }, ctx)],
  ['assignment', () => renderAssignmentNotice({ ...evil, ackDueAt: DUE, dueAt: DUE, summary: EVIL_NOTE, note: EVIL_NOTE }, ctx)],
  ['dead letter', () => renderDeadLetter({
    outboxId: 'ob-9', channel: 'email', recipients: ['x@example.gov.cn'], subject: EVIL_TITLE, attempts: 80,
    firstAttemptAt: '2026-03-09T00:00:00Z', lastAttemptAt: '2026-03-12T00:10:00Z', lastError: EVIL_NOTE,
    reason: 'expired', leadId: LEAD, agencyName: EVIL_AGENCY,
  }, ctx)],
  ['returned', () => renderReviewReturned({ ...evil, comment: EVIL_NOTE, dueAt: DUE, workingDaysLeft: 3 }, ctx)],
  ['approved', () => renderReviewApproved({ ...evil, comment: EVIL_NOTE, closedAt: '2026-03-12T02:00:00Z' }, ctx)],
  ['extension', () => renderExtensionDecision({ ...evil, approved: true, workingDays: 5, dueAt: DUE, comment: EVIL_NOTE }, ctx)],
];

describe('every template about a lead', () => {
  it.each(everyTemplate)('%s: escapes HTML, names the lead in the subject, links it in every part', (_name, render) => {
    const m = render();
    expectSafe(m);
    expect(m.html).not.toContain(EVIL_NOTE);
    expect(m.subject).toContain(LEAD);
    expectLinked(m);
    expect(m.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(m.text).toContain('请勿直接回复');
  });
});

describe('reminders', () => {
  it('warning: subject, deadline in Beijing time, working days left, what to do', () => {
    const m = renderReminder({ ...ref, kind: 'feedback', stage: 'warning', dueAt: DUE, workingDaysLeft: 2 }, ctx);
    expect(m.subject).toBe('【预警】XS-2026-000123 梅湾街道夜市占道经营 整改反馈将于 3月12日到期');
    expect(m.text).toContain('区城市管理和综合执法局：');
    expect(m.text).toContain('办理期限：2026年3月12日 23:59（北京时间）');
    expect(m.text).toContain('剩余时间：还剩 2 个工作日');
    expect(m.text).toContain('提交整改反馈');
    expect(m.text).toContain('申请延期');
    expect(m.html).toContain('2026年3月12日 23:59（北京时间）');
  });

  it('warning of an hours deadline (urgent acknowledgement) shows the time', () => {
    const m = renderReminder({ ...ref, kind: 'acknowledge', stage: 'warning', dueAt: '2026-03-12T08:30:00.000Z', workingDaysLeft: 0 }, ctx);
    expect(m.subject).toBe('【预警】XS-2026-000123 梅湾街道夜市占道经营 签收将于 3月12日 16:30到期');
    expect(m.text).toContain('今日到期');
    expect(m.text).toContain('签收该问题线索');
  });

  it('overdue: how many working days, and that escalation follows', () => {
    const m = renderReminder({ ...ref, kind: 'acknowledge', stage: 'overdue', dueAt: DUE, workingDaysLeft: -1 }, ctx);
    expect(m.subject).toBe('【超期】XS-2026-000123 梅湾街道夜市占道经营 签收已超期 1 个工作日');
    expect(m.text).toContain('超期情况：已超期 1 个工作日');
    expect(m.text).toContain('每 3 个工作日');
  });

  it('overdue counted on a rest day (0 working days late) still says overdue', () => {
    const m = renderReminder({ ...ref, kind: 'feedback', stage: 'overdue', dueAt: DUE, workingDaysLeft: 0 }, ctx);
    expect(m.subject).toBe('【超期】XS-2026-000123 梅湾街道夜市占道经营 整改反馈已超期');
    expect(m.text).toContain('超期情况：已超期');
  });

  it('escalation: to the head, numbered, working days overdue', () => {
    const m = renderReminder({ ...ref, kind: 'feedback', stage: 'escalation-2', dueAt: DUE, workingDaysLeft: -7 }, ctx);
    expect(m.subject).toBe('【督办】XS-2026-000123 梅湾街道夜市占道经营 整改反馈已超期 7 个工作日（第 2 次督办）');
    expect(m.text.startsWith('区城市管理和综合执法局负责同志：')).toBe(true);
    expect(m.text).toContain('已超过办理期限 7 个工作日');
    expect(m.text).toContain('第 2 次督办');
    expect(m.html).toContain('督办（第 2 次）');
  });

  it('cuts a long title in the subject but keeps it whole in the body', () => {
    const title = '关于某某小区门口长期占道经营、夜间噪音扰民、油烟直排以及执法人员多次到场后仍然没有处理结果的反映';
    const m = renderReminder({ ...ref, title, kind: 'feedback', stage: 'warning', dueAt: DUE, workingDaysLeft: 2 }, ctx);
    expect(m.subject).toContain('…');
    expect(Array.from(m.subject).length).toBeLessThan(70);
    expect(m.text).toContain(title);
  });

  it('formats deadlines in the configured zone', () => {
    expect(formatDeadline(DUE, 'Asia/Shanghai')).toBe('2026年3月12日 23:59');
    expect(formatDeadline(DUE, 'UTC')).toBe('2026年3月12日 15:59');
    expect(formatShortDeadline(DUE)).toBe('3月12日');
    expect(formatDeadline('2026-01-01T00:05:00+08:00')).toBe('2026年1月1日 00:05');
    const m = renderReminder({ ...ref, kind: 'feedback', stage: 'warning', dueAt: DUE, workingDaysLeft: 2 }, { ...ctx, timeZone: 'UTC' });
    expect(m.text).toContain('2026年3月12日 15:59（UTC）');
  });

  it('counts working days left on the published calendar', () => {
    const cal = chineseWorkingCalendar();
    expect(countWorkingDaysLeft(DUE, '2026-03-10T00:00:00+08:00', cal)).toBe(2); // Tue → Thu
    expect(countWorkingDaysLeft(DUE, '2026-03-12T09:00:00+08:00', cal)).toBe(0);
    expect(countWorkingDaysLeft(DUE, '2026-03-13T00:00:00+08:00', cal)).toBe(-1); // Fri
    expect(countWorkingDaysLeft(DUE, '2026-03-15T10:00:00+08:00', cal)).toBe(-1); // Sun
    expect(countWorkingDaysLeft(DUE, '2026-03-18T00:00:00+08:00', cal)).toBe(-4); // Wed
  });

  it('sends the agency contact warnings, the head (with bureau and contact in copy) escalations', () => {
    const urban = findAgency(BUILTIN_DIRECTORY, 'urban')!;
    expect(reminderRecipients('warning', urban, BUILTIN_DIRECTORY.bureauEmail))
      .toEqual({ to: ['urban@example.gov.cn'], cc: [] });
    expect(reminderRecipients('overdue', urban, BUILTIN_DIRECTORY.bureauEmail))
      .toEqual({ to: ['urban@example.gov.cn'], cc: [] });
    expect(reminderRecipients('escalation-3', urban, BUILTIN_DIRECTORY.bureauEmail))
      .toEqual({ to: ['urban-head@example.gov.cn'], cc: ['jiandu@example.gov.cn', 'urban@example.gov.cn'] });
  });

  it('refuses an unknown stage', () => {
    expect(parseStage('escalation-4')).toEqual({ type: 'escalation', n: 4 });
    expect(() => parseStage('escalation-0')).toThrow(RangeError);
    expect(() => parseStage('later' as 'warning')).toThrow(RangeError);
  });
});

describe('assignment notice', () => {
  it('gives both deadlines, the role, the summary and what to do', () => {
    const m = renderAssignmentNotice({
      ...ref, role: 'primary', priority: 'urgent', ackDueAt: '2026-03-10T04:00:00.000Z', dueAt: DUE,
      summary: '群众反映夜市摊贩占用人行道。', note: '请重点核查执法记录。', calendarProvisional: true,
    }, ctx);
    expect(m.subject).toBe('【交办·紧急】XS-2026-000123 梅湾街道夜市占道经营，请于 3月10日 12:00前签收');
    expect(m.text).toContain('承办单位：区城市管理和综合执法局（主办）');
    expect(m.text).toContain('签收期限：2026年3月10日 12:00（北京时间）');
    expect(m.text).toContain('整改反馈期限：2026年3月12日 23:59（北京时间）');
    expect(m.text).toContain('问题概要：群众反映夜市摊贩占用人行道。');
    expect(m.text).toContain('交办意见：请重点核查执法记录。');
    expect(m.text).toContain('节假日安排尚未公布');
    expect(m.brief).toContain('签收期限：2026年3月10日 12:00');
  });

  it('tells an assisting agency to assist', () => {
    const m = renderAssignmentNotice({ ...ref, role: 'assist', ackDueAt: null, dueAt: DUE }, ctx);
    expect(m.subject).toBe('【交办】XS-2026-000123 梅湾街道夜市占道经营');
    expect(m.text).toContain('（协办）');
    expect(m.text).toContain('配合主办单位');
  });
});

describe('daily digest', () => {
  const now = '2026-03-12T00:30:00.000Z'; // 08:30 Beijing time
  const items = [
    { leadId: 'XS-2026-000200', title: '后到期', kind: 'feedback' as const, dueAt: '2026-03-20T15:59:59.000Z', workingDaysLeft: 6 },
    { leadId: 'XS-2026-000100', title: '超期一天', kind: 'acknowledge' as const, dueAt: '2026-03-11T15:59:59.000Z', workingDaysLeft: -1 },
    { leadId: 'XS-2026-000150', title: '今日到期', kind: 'feedback' as const, dueAt: DUE, workingDaysLeft: 0 },
    { leadId: 'XS-2026-000050', title: '超期最久<i>', kind: 'feedback' as const, dueAt: '2026-03-02T15:59:59.000Z', workingDaysLeft: -8 },
  ];

  it('lists open leads by urgency: overdue first, then due soonest', () => {
    const m = renderDigest({ agencyName: '区城市管理和综合执法局', date: '2026-03-12', now, items }, ctx);
    expect(m.subject).toBe('【每日待办汇总】区城市管理和综合执法局 2026年3月12日：待办 4 件，其中超期 2 件');
    const order = ['XS-2026-000050', 'XS-2026-000100', 'XS-2026-000150', 'XS-2026-000200'];
    for (const part of [m.text, m.html, m.brief]) {
      const at = order.map((id) => part.indexOf(id));
      expect(at.every((x) => x >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
    expect(m.text).toContain('1. [已超期 8 个工作日] XS-2026-000050');
    expect(m.text).toContain('[今日到期] XS-2026-000150');
    expect(m.text).toContain('[还剩 6 个工作日] XS-2026-000200');
    expect(m.text).toContain('其中已超期 2 件、2 个工作日内到期 1 件');
    for (const id of order) {
      expect(m.text).toContain(leadUrl(ctx.publicUrl, id));
      expect(m.html).toContain(`href="${leadUrl(ctx.publicUrl, id)}"`);
    }
    expect(m.text).toContain('https://xiansuo.example.gov.cn/');
    expect(m.html).toContain('超期最久&lt;i&gt;');
    expect(m.html).not.toContain('超期最久<i>');
  });

  it('says so when there is nothing to do', () => {
    const m = renderDigest({ agencyName: '区水利局', date: '2026-03-12', now, items: [] }, ctx);
    expect(m.subject).toBe('【每日待办汇总】区水利局 2026年3月12日：待办 0 件');
    expect(m.text).toContain('今日无待办问题线索');
  });

  it('sorts without touching its input', () => {
    const copy = [...items];
    expect(sortByUrgency(items).map((i) => i.leadId)).toEqual(['XS-2026-000050', 'XS-2026-000100', 'XS-2026-000150', 'XS-2026-000200']);
    expect(items).toEqual(copy);
  });
});

describe('dead letter, review and extension notices', () => {
  it('dead letter: why, how long, the last error; dashboard link without a lead', () => {
    const m = renderDeadLetter({
      outboxId: 'ob-1', channel: 'dingtalk', recipients: ['钉钉群'], subject: '【预警】…', attempts: 75,
      firstAttemptAt: '2026-03-09T00:00:00Z', lastAttemptAt: '2026-03-12T00:00:00Z', lastError: 'HTTP 503', reason: 'expired',
    }, ctx);
    expect(m.subject).toBe('【投递失败】通知未能送达：【预警】…');
    expect(m.text).toContain('连续重试 72 小时');
    expect(m.text).toContain('钉钉群机器人');
    expect(m.text).toContain('最后错误：HTTP 503');
    expectLinked(m, 'https://xiansuo.example.gov.cn/');
    const p = renderDeadLetter({
      outboxId: 'ob-2', channel: 'email', recipients: ['gone@example.gov.cn'], subject: 's', attempts: 1,
      firstAttemptAt: '2026-03-09T00:00:00Z', lastAttemptAt: '2026-03-09T00:00:00Z', lastError: '550 Mailbox unavailable',
      reason: 'permanent', leadId: LEAD,
    }, ctx);
    expect(p.subject).toBe('【投递失败】XS-2026-000123 通知未能送达：s');
    expect(p.text).toContain('明确拒收');
  });

  it('returned for rework and approved', () => {
    const r = renderReviewReturned({ ...ref, comment: '佐证材料不足', dueAt: DUE, workingDaysLeft: 3 }, ctx);
    expect(r.subject).toBe('【退回整改】XS-2026-000123 梅湾街道夜市占道经营 请于 3月12日前重新提交整改反馈');
    expect(r.text).toContain('退回意见：佐证材料不足');
    const a = renderReviewApproved({ ...ref, closedAt: '2026-03-12T02:00:00Z' }, ctx);
    expect(a.subject).toBe('【审核通过】XS-2026-000123 梅湾街道夜市占道经营 已办结');
    expect(a.text).toContain('办结时间：2026年3月12日 10:00（北京时间）');
  });

  it('extension approved or not', () => {
    const yes = renderExtensionDecision({ ...ref, approved: true, workingDays: 5, dueAt: '2026-03-19T15:59:59.000Z' }, ctx);
    expect(yes.subject).toBe('【延期】XS-2026-000123 梅湾街道夜市占道经营 延期申请已批准，整改反馈期限延至 3月19日');
    const no = renderExtensionDecision({ ...ref, approved: false, workingDays: 5, dueAt: DUE, comment: '理由不充分' }, ctx);
    expect(no.subject).toBe('【延期】XS-2026-000123 梅湾街道夜市占道经营 延期申请未获批准，整改反馈期限仍为 3月12日');
    expect(no.text).toContain('审批意见：理由不充分');
  });
});

describe('a rendered reminder through real SMTP', () => {
  it('arrives with subject, text and html intact', async () => {
    const sink = await startSmtpSink();
    try {
      const m = renderReminder({ ...evil, kind: 'feedback', stage: 'escalation-1', dueAt: DUE, workingDaysLeft: -4 }, ctx);
      const urban = findAgency(BUILTIN_DIRECTORY, 'urban')!;
      const { to, cc } = reminderRecipients('escalation-1', urban, BUILTIN_DIRECTORY.bureauEmail);
      await smtpMailer(sink.url, 'xiansuo@example.gov.cn').send({
        to, cc, subject: m.subject, text: m.text, html: m.html,
        headers: mailIdentityHeaders('ob-3', 'asg-1:feedback:escalation-1', 'xiansuo@example.gov.cn'),
      });
      const [got] = await sink.waitFor(1);
      expect(got!.to.sort()).toEqual(['jiandu@example.gov.cn', 'urban-head@example.gov.cn', 'urban@example.gov.cn']);
      expect(got!.parsed.subject).toBe(m.subject);
      expect(got!.parsed.text?.trim()).toBe(m.text.trim());
      expect(got!.parsed.html).toContain('&lt;script&gt;');
      expect(got!.parsed.html).toContain(LINK);
    } finally {
      await sink.stop();
    }
  });
});

describe('personal data in notices', () => {
  it('renders titles, summaries and comments without phones, ID numbers or e-mails', () => {
    const mail = renderAssignmentNotice({
      ...ref, title: '占道经营，电话13800000000', ackDueAt: DUE, dueAt: DUE,
      summary: '身份证43110219900101123X，邮箱zhang@qq.com',
    }, ctx);
    for (const part of [mail.subject, mail.text, mail.html, mail.brief]) {
      expect(part).not.toMatch(/13800000000|43110219900101123X|zhang@qq\.com/);
    }
    expect(mail.subject).toContain('138****0000');
    const returned = renderReviewReturned({ ...ref, comment: '请联系0746-1234567核实', dueAt: DUE, workingDaysLeft: 3 }, ctx);
    expect(returned.text).toContain('074****4567');
  });

  it('masks each lead\'s text with that lead\'s reporters, digest items included', () => {
    const maskFor = (leadId: string | null) => (s: string) => s.replaceAll(leadId === 'XS-1' ? '王建国' : '李四', '保密');
    const input = { agencyName: 'x', date: '2026-03-02', now: DUE, items: [
      { leadId: 'XS-1', title: '王建国反映李四', kind: 'feedback', dueAt: DUE, workingDaysLeft: 1 },
      { leadId: 'XS-2', title: '王建国反映李四', kind: 'feedback', dueAt: DUE, workingDaysLeft: 1 },
    ] };
    expect(noticeLeadIds(input)).toEqual(['XS-1', 'XS-2']);
    expect(sealNoticeInput(input, maskFor).items.map((i) => i.title)).toEqual(['保密反映李四', '王建国反映保密']);
  });
});
