import { describe, expect, it } from 'vitest';
import { chineseWorkingCalendar } from '../calendar/index.ts';
import {
  LIFECYCLE_ACTIONS, TransitionError, acknowledge, assign, checkLeadState, close, decideExtension, feedback,
  followUp, followUpTasks, inputSchemas, merge, reject, requestExtension, review, transfer, unmerge,
  type LeadState, type TransitionContext, type TransitionErrorCode, type TransitionResult,
} from './index.ts';
import { LEAD_ID, OTHER_LEAD_ID, actors, deepFreeze, reports, testContext, triageLead } from './testkit.ts';

const T0 = '2026-02-13T10:00:00+08:00'; // Friday before Spring Festival 2026
const T_ACK = '2026-02-14T09:00:00+08:00'; // Saturday 14 Feb, a make-up working day
const T_FB = '2026-03-10T09:00:00+08:00';
const T_REVIEW = '2026-03-10T15:00:00+08:00';
const FB = { summary: '已约谈执法人员并退还财物', measures: '1. 约谈当事执法人员；2. 退还三轮车及蔬菜；3. 开展文明执法培训。', evidence: [{ url: 'https://files.example.cn/a.jpg', kind: 'photo' as const }] };

function expectError(fn: () => unknown, code: TransitionErrorCode, message?: string | RegExp): TransitionError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a TransitionError').toBeInstanceOf(TransitionError);
  const err = caught as TransitionError;
  expect(err.code).toBe(code);
  if (message !== undefined) expect(err.message).toMatch(message);
  return err;
}

/** A frozen state in: proves the transition never changes its argument; checks the result. */
function ok(r: TransitionResult): TransitionResult {
  expect(checkLeadState(r.state)).toEqual([]);
  for (const e of r.events) expect(LIFECYCLE_ACTIONS).toContain(e.action);
  return r;
}

function assigned(ctx: TransitionContext, state = triageLead()): LeadState {
  return ok(assign(deepFreeze(state), actors.bureau, T0, { agency: 'urban' }, ctx)).state;
}
function rectifying(ctx: TransitionContext): LeadState {
  return ok(acknowledge(deepFreeze(assigned(ctx)), actors.urban, T_ACK, {}, ctx)).state;
}
function inFeedback(ctx: TransitionContext): LeadState {
  return ok(feedback(deepFreeze(rectifying(ctx)), actors.urban, T_FB, FB, ctx)).state;
}
function closedLead(ctx: TransitionContext): LeadState {
  return ok(review(deepFreeze(inFeedback(ctx)), actors.bureau, T_REVIEW, { decision: 'approve' }, ctx)).state;
}
function rejected(ctx: TransitionContext): LeadState {
  return reject(triageLead(), actors.bureau, T0, { reason: '不属于行政执法监督范围' }, ctx).state;
}
function transferred(ctx: TransitionContext): LeadState {
  return transfer(triageLead(), actors.bureau, T0, { to: 'discipline', note: '涉嫌收受财物' }, ctx).state;
}
function merged(ctx: TransitionContext): LeadState {
  return merge(triageLead(), actors.bureau, T0, { into: OTHER_LEAD_ID }, ctx, { id: OTHER_LEAD_ID, status: 'assigned', mergedInto: null }).state;
}

describe('assign (交办)', () => {
  it('assigns the primary agency from triage with deadlines on the real calendar', () => {
    const ctx = testContext();
    const { state, events } = ok(assign(deepFreeze(triageLead()), actors.bureau, T0, { agency: 'urban' }, ctx));
    expect(state.status).toBe('assigned');
    expect(state.assignments).toEqual([{
      id: 'AS-1', agency: 'urban', role: 'primary', status: 'assigned', assignedAt: '2026-02-13T02:00:00.000Z',
      ackDueAt: '2026-02-14T15:59:59.000Z', dueAt: '2026-03-12T15:59:59.000Z',
      ackBasis: 'workingDays', dueBasis: 'workingDays', calendarProvisional: false, deadlineVersion: 1,
    }]);
    expect(events).toEqual([{
      leadId: LEAD_ID, actor: 'token:1', action: 'lead.assigned', at: '2026-02-13T02:00:00.000Z',
      data: {
        assignmentId: 'AS-1', agency: 'urban', role: 'primary', assignedAt: '2026-02-13T02:00:00.000Z',
        ackDueAt: '2026-02-14T15:59:59.000Z', dueAt: '2026-03-12T15:59:59.000Z', ackBasis: 'workingDays',
        dueBasis: 'workingDays', calendarProvisional: false, deadlineVersion: 1, workingDays: null,
        priority: 'normal', routedAgency: 'urban', from: 'triage', to: 'assigned',
      },
    }]);
  });

  it('takes the bureau’s workingDays and an urgent priority (2 hours to acknowledge)', () => {
    const ctx = testContext();
    const { state, events } = ok(assign(triageLead(), actors.admin, T0, { agency: 'market', workingDays: 5, priority: 'urgent' }, ctx));
    expect(state.priority).toBe('urgent');
    expect(state.assignments[0]).toMatchObject({ ackDueAt: '2026-02-13T04:00:00.000Z', ackBasis: 'hours', dueAt: '2026-02-27T15:59:59.000Z' });
    expect(events[0]!.data).toMatchObject({ priority: 'urgent', previousPriority: 'normal', workingDays: 5, routedAgency: 'urban' });
  });

  it('flags a deadline in a year the calendar does not cover', () => {
    const ctx = testContext();
    const { state } = ok(assign(triageLead(), actors.bureau, '2026-12-20T10:00:00+08:00', { agency: 'urban' }, ctx));
    expect(state.assignments[0]).toMatchObject({ dueAt: '2027-01-08T15:59:59.000Z', calendarProvisional: true });
  });

  it('lets a system actor assign a confident routing match', () => {
    const ctx = testContext();
    expect(ok(assign(triageLead(), actors.system, T0, { agency: 'urban' }, ctx)).state.status).toBe('assigned');
  });

  it('adds assisting agencies in assigned and rectifying (role defaults to assist), each with its own deadlines', () => {
    const ctx = testContext();
    const a = assigned(ctx);
    const r1 = ok(assign(deepFreeze(a), actors.bureau, '2026-02-24T10:00:00+08:00', { agency: 'market' }, ctx));
    expect(r1.state.status).toBe('assigned');
    expect(r1.state.assignments[1]).toMatchObject({ id: 'AS-2', agency: 'market', role: 'assist', ackDueAt: '2026-02-25T15:59:59.000Z' });
    expect(r1.events[0]!.data).not.toHaveProperty('from');
    const r = ok(acknowledge(r1.state, actors.urban, T_ACK, {}, ctx)).state;
    const r2 = ok(assign(r, actors.bureau, T_ACK, { agency: 'transport', role: 'assist', workingDays: 3 }, ctx));
    expect(r2.state.status).toBe('rectifying');
    expect(r2.state.assignments.map((x) => [x.agency, x.role])).toEqual([['urban', 'primary'], ['market', 'assist'], ['transport', 'assist']]);
  });

  it('refuses a second primary, an assist before the primary, the same agency twice, a late change of priority', () => {
    const ctx = testContext();
    const a = assigned(ctx);
    expectError(() => assign(a, actors.bureau, T0, { agency: 'market', role: 'primary' }, ctx), 'state', '线索已有主办单位（urban），不能再交办主办单位');
    expectError(() => assign(triageLead(), actors.bureau, T0, { agency: 'market', role: 'assist' }, ctx), 'state', '请先交办主办单位');
    expectError(() => assign(a, actors.bureau, T0, { agency: 'urban' }, ctx), 'state', 'urban 已在承办此线索，不能重复交办');
    expectError(() => assign(a, actors.bureau, T0, { agency: 'market', priority: 'urgent' }, ctx), 'state', '线索已交办，不能再更改优先级');
    const named = { ...ctx, agencyName: (c: string) => (c === 'urban' ? '区城市管理和综合执法局' : c) };
    expectError(() => assign(a, actors.bureau, T0, { agency: 'urban' }, named), 'state', '区城市管理和综合执法局 已在承办此线索');
  });

  it.each([
    ['feedback', inFeedback, '线索当前为‘已反馈待审核’，不能交办，请先审核整改反馈'],
    ['closed', closedLead, '线索当前为‘已办结’，不能交办'],
    ['rejected', rejected, '线索当前为‘不予受理’，不能交办'],
    ['transferred', transferred, '线索当前为‘已移送’，不能交办'],
    ['merged', merged, '线索当前为‘已归并’，不能交办'],
  ] as const)('answers 409 in %s', (_s, build, message) => {
    const ctx = testContext();
    expectError(() => assign(build(ctx), actors.bureau, T_REVIEW, { agency: 'transport', role: 'assist' }, ctx), 'state', message);
  });

  it('checks the role: agencies without an assignment get not-found, others forbidden', () => {
    const ctx = testContext();
    expectError(() => assign(triageLead(), actors.urban, T0, { agency: 'urban' }, ctx), 'not-found', '线索不存在');
    expectError(() => assign(assigned(ctx), actors.urban, T0, { agency: 'market' }, ctx), 'forbidden', '交办须由区司法局办理');
    for (const actor of [actors.supervisor, actors.viewer]) {
      expectError(() => assign(triageLead(), actor, T0, { agency: 'urban' }, ctx), 'forbidden');
    }
  });

  it('validates the input and the agency', () => {
    const ctx = testContext({ isAgency: (c) => c === 'urban' });
    expectError(() => assign(triageLead(), actors.bureau, T0, { agency: 'nowhere' }, ctx), 'invalid', '未知的承办单位：nowhere');
    const e = expectError(() => assign(triageLead(), actors.bureau, T0, { agency: 'urban', workingDays: 0 }, ctx), 'invalid');
    expect(e.errors).toEqual([{ path: '/workingDays', message: '工作日数不能少于 1' }]);
    const e2 = expectError(() => assign(triageLead(), actors.bureau, T0, { agency: 'urban', days: 3 } as never, ctx), 'invalid');
    expect(e2.errors[0]!.message).toBe('不认识的字段：days');
    expectError(() => assign(triageLead(), actors.bureau, '2026-02-13 10:00', { agency: 'urban' }, ctx), 'invalid', '时间无效');
  });
});

describe('acknowledge (签收)', () => {
  it('moves the lead to rectifying when the primary acknowledges', () => {
    const ctx = testContext();
    const { state, events } = ok(acknowledge(deepFreeze(assigned(ctx)), actors.urban, T_ACK, {}, ctx));
    expect(state.status).toBe('rectifying');
    expect(state.assignments[0]).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2026-02-14T01:00:00.000Z' });
    expect(events).toEqual([{
      leadId: LEAD_ID, actor: 'token:10', action: 'assignment.acknowledged', at: '2026-02-14T01:00:00.000Z',
      data: { assignmentId: 'AS-1', agency: 'urban', role: 'primary', ackDueAt: '2026-02-14T15:59:59.000Z', late: false, from: 'assigned', to: 'rectifying' },
    }]);
    const late = acknowledge(assigned(testContext()), actors.urban, '2026-02-24T09:00:00+08:00', {}, ctx);
    expect(late.events[0]!.data.late).toBe(true);
  });

  it('an assisting agency’s acknowledgement leaves the lead’s status', () => {
    const ctx = testContext();
    const a = assign(assigned(ctx), actors.bureau, T0, { agency: 'market' }, ctx).state;
    const r = ok(acknowledge(a, actors.market, T_ACK, {}, ctx));
    expect(r.state.status).toBe('assigned');
    expect(r.state.assignments[1]!.status).toBe('acknowledged');
    expect(r.events[0]!.data).not.toHaveProperty('to');
  });

  it('refuses twice, on a closed lead, by another agency or by the bureau', () => {
    const ctx = testContext();
    expectError(() => acknowledge(rectifying(ctx), actors.urban, T_ACK, {}, ctx), 'state', '本单位已签收此线索，不能重复签收');
    expectError(() => acknowledge(closedLead(ctx), actors.urban, T_ACK, {}, ctx), 'state', '线索当前为‘已办结’，不能签收');
    expectError(() => acknowledge(assigned(ctx), actors.market, T_ACK, {}, ctx), 'not-found', '线索不存在');
    expectError(() => acknowledge(assigned(ctx), actors.bureau, T_ACK, {}, ctx), 'forbidden', '签收须由承办单位办理');
    expectError(() => acknowledge(assigned(ctx), { id: 'token:99', role: 'agency' }, T_ACK, {}, ctx), 'not-found');
    expectError(() => acknowledge(triageLead(), actors.urban, T_ACK, {}, ctx), 'not-found');
    expectError(() => acknowledge(assigned(ctx), actors.urban, T_ACK, { note: 'x' } as never, ctx), 'invalid');
  });
});

describe('feedback (整改反馈)', () => {
  it('records the primary’s feedback and moves the lead to feedback', () => {
    const ctx = testContext();
    const { state, events } = ok(feedback(deepFreeze(rectifying(ctx)), actors.urban, T_FB, { ...FB, summary: '  已整改  ' }, ctx));
    expect(state.status).toBe('feedback');
    expect(state.assignments[0]).toMatchObject({
      status: 'feedback',
      feedback: { summary: '已整改', measures: FB.measures, evidence: FB.evidence, at: '2026-03-10T01:00:00.000Z' },
    });
    expect(events[0]).toMatchObject({
      action: 'assignment.feedback', actor: 'token:10',
      data: { assignmentId: 'AS-1', summary: '已整改', evidence: FB.evidence, dueAt: '2026-03-12T15:59:59.000Z', late: false, from: 'rectifying', to: 'feedback' },
    });
  });

  it('an assisting agency’s feedback leaves the lead in rectifying', () => {
    const ctx = testContext();
    let s = assign(rectifying(ctx), actors.bureau, T_ACK, { agency: 'market' }, ctx).state;
    s = acknowledge(s, actors.market, T_ACK, {}, ctx).state;
    const r = ok(feedback(s, actors.market, T_FB, { summary: '协助完成', measures: '联合检查' }, ctx));
    expect(r.state.status).toBe('rectifying');
    expect(r.state.assignments[1]).toMatchObject({ status: 'feedback', feedback: { evidence: [] } });
  });

  it('requires 签收 first, refuses a second feedback, another agency, the bureau and bad evidence', () => {
    const ctx = testContext();
    expectError(() => feedback(assigned(ctx), actors.urban, T_FB, FB, ctx), 'state', '本单位尚未签收此线索，请先签收，再提交整改反馈');
    expectError(() => feedback(inFeedback(ctx), actors.urban, T_FB, FB, ctx), 'state', '正在等待审核，不能重复提交');
    expectError(() => feedback(closedLead(ctx), actors.urban, T_FB, FB, ctx), 'state', '线索当前为‘已办结’，不能提交整改反馈');
    expectError(() => feedback(rectifying(ctx), actors.market, T_FB, FB, ctx), 'not-found');
    expectError(() => feedback(rectifying(ctx), actors.bureau, T_FB, FB, ctx), 'forbidden');
    const e = expectError(() => feedback(rectifying(ctx), actors.urban, T_FB, { ...FB, evidence: [{ url: 'javascript:alert(1)' }] }, ctx), 'invalid');
    expect(e.errors).toEqual([{ path: '/evidence/0/url', message: '证据链接须为 http 或 https 网址' }]);
    const e2 = expectError(() => feedback(rectifying(ctx), actors.urban, T_FB, { summary: ' ', measures: 'x' }, ctx), 'invalid');
    expect(e2.errors).toEqual([{ path: '/summary', message: '整改情况摘要不能为空' }]);
  });
});

describe('review (审核)', () => {
  it('approve closes every assignment, the assisting ones too, and the lead', () => {
    const ctx = testContext();
    let s = assign(rectifying(ctx), actors.bureau, T_ACK, { agency: 'market' }, ctx).state;
    s = feedback(s, actors.urban, T_FB, FB, ctx).state;
    const { state, events } = ok(review(deepFreeze(s), actors.bureau, T_REVIEW, { decision: 'approve', comment: '整改到位' }, ctx));
    expect(state.status).toBe('closed');
    expect(state.assignments.map((a) => [a.status, a.closedAt])).toEqual([
      ['closed', '2026-03-10T07:00:00.000Z'], ['closed', '2026-03-10T07:00:00.000Z'],
    ]);
    expect(events).toEqual([{
      leadId: LEAD_ID, actor: 'token:1', action: 'lead.review.approved', at: '2026-03-10T07:00:00.000Z',
      data: {
        comment: '整改到位', assignmentId: 'AS-1', agency: 'urban',
        closedAssignments: [{ id: 'AS-1', agency: 'urban', role: 'primary', status: 'feedback' }, { id: 'AS-2', agency: 'market', role: 'assist', status: 'assigned' }],
        from: 'feedback', to: 'closed',
      },
    }]);
  });

  it('return sends the primary back to rectifying with a new deadline (policy default) and the reason', () => {
    const ctx = testContext();
    const { state, events } = ok(review(deepFreeze(inFeedback(ctx)), actors.bureau, T_REVIEW, { decision: 'return', comment: '未附退还财物的凭证' }, ctx));
    expect(state.status).toBe('rectifying');
    const a = state.assignments[0]!;
    expect(a).toMatchObject({
      status: 'acknowledged', dueAt: '2026-03-31T15:59:59.000Z', deadlineVersion: 2, calendarProvisional: false,
      returned: { comment: '未附退还财物的凭证', at: '2026-03-10T07:00:00.000Z', count: 1 },
    });
    expect(a.feedback).toBeUndefined();
    expect(events[0]).toMatchObject({
      action: 'lead.review.returned',
      data: {
        comment: '未附退还财物的凭证', assignmentId: 'AS-1', previousDueAt: '2026-03-12T15:59:59.000Z',
        dueAt: '2026-03-31T15:59:59.000Z', workingDays: 15, deadlineVersion: 2, returnedCount: 1, from: 'feedback', to: 'rectifying',
      },
    });
    // The agency reports again; a second return counts on.
    const again = feedback(state, actors.urban, '2026-03-20T09:00:00+08:00', FB, ctx).state;
    const r2 = ok(review(again, actors.bureau, '2026-03-20T10:00:00+08:00', { decision: 'return', comment: '仍不完整', workingDays: 5 }, ctx));
    expect(r2.state.assignments[0]).toMatchObject({ dueAt: '2026-03-27T15:59:59.000Z', deadlineVersion: 3, returned: { count: 2 } });
  });

  it('return with the bureau’s workingDays', () => {
    const ctx = testContext();
    const r = ok(review(inFeedback(ctx), actors.bureau, T_REVIEW, { decision: 'return', comment: '补充材料', workingDays: 5 }, ctx));
    expect(r.state.assignments[0]!.dueAt).toBe('2026-03-17T15:59:59.000Z');
  });

  it('refuses a wrong state, the agencies, a return without reason, approval while an extension is pending', () => {
    const ctx = testContext();
    expectError(() => review(rectifying(ctx), actors.bureau, T_REVIEW, { decision: 'approve' }, ctx), 'state', '线索当前为‘整改中’，不能审核');
    expectError(() => review(closedLead(ctx), actors.bureau, T_REVIEW, { decision: 'approve' }, ctx), 'state', '线索当前为‘已办结’，不能审核');
    expectError(() => review(triageLead(), actors.bureau, T_REVIEW, { decision: 'approve' }, ctx), 'state', '线索当前为‘待研判’，不能审核');
    expectError(() => review(inFeedback(ctx), actors.urban, T_REVIEW, { decision: 'approve' }, ctx), 'forbidden', '审核须由区司法局办理');
    expectError(() => review(inFeedback(ctx), actors.market, T_REVIEW, { decision: 'approve' }, ctx), 'not-found');
    const e = expectError(() => review(inFeedback(ctx), actors.bureau, T_REVIEW, { decision: 'return' } as never, ctx), 'invalid');
    expect(e.errors[0]!.path).toBe('/comment');
    expectError(() => review(inFeedback(ctx), actors.bureau, T_REVIEW, { decision: 'maybe' } as never, ctx), 'invalid', 'decision 须为 approve（通过）或 return（退回）');
    expectError(() => review(inFeedback(ctx), actors.bureau, T_REVIEW, { decision: 'approve', workingDays: 3 } as never, ctx), 'invalid');

    let s = assign(rectifying(ctx), actors.bureau, T_ACK, { agency: 'market' }, ctx).state;
    s = requestExtension(s, actors.market, T_ACK, { workingDays: 3, reason: '需联合检查' }, ctx).state;
    s = feedback(s, actors.urban, T_FB, FB, ctx).state;
    expectError(() => review(s, actors.bureau, T_REVIEW, { decision: 'approve' }, ctx), 'state', 'market 的延期申请尚待决定，请先决定再审核通过');
    const decided = decideExtension(s, actors.bureau, T_REVIEW, { approve: false }, ctx).state;
    expect(ok(review(decided, actors.bureau, T_REVIEW, { decision: 'approve' }, ctx)).state.status).toBe('closed');
  });
});

describe('extension (延期)', () => {
  it('the agency asks; the bureau approves: dueAt moves by N working days from the current deadline', () => {
    const ctx = testContext();
    const req = ok(requestExtension(deepFreeze(rectifying(ctx)), actors.urban, '2026-03-09T09:00:00+08:00', { workingDays: 5, reason: '需等待检测报告' }, ctx));
    expect(req.state.status).toBe('rectifying');
    expect(req.state.pendingExtension).toEqual({ assignmentId: 'AS-1', agency: 'urban', workingDays: 5, reason: '需等待检测报告', requestedAt: '2026-03-09T01:00:00.000Z' });
    expect(req.state.assignments[0]).toMatchObject({ dueAt: '2026-03-12T15:59:59.000Z', deadlineVersion: 1, extension: { status: 'pending' } });
    expect(req.events).toEqual([{
      leadId: LEAD_ID, actor: 'token:10', action: 'extension.requested', at: '2026-03-09T01:00:00.000Z',
      data: { assignmentId: 'AS-1', agency: 'urban', workingDays: 5, reason: '需等待检测报告', dueAt: '2026-03-12T15:59:59.000Z', overdue: false },
    }]);

    const dec = ok(decideExtension(deepFreeze(req.state), actors.bureau, '2026-03-09T15:00:00+08:00', { approve: true, comment: '同意' }, ctx));
    expect(dec.state.status).toBe('rectifying');
    expect(dec.state.pendingExtension).toBeUndefined();
    expect(dec.state.assignments[0]).toMatchObject({
      dueAt: '2026-03-19T15:59:59.000Z', deadlineVersion: 2,
      extension: { status: 'approved', decidedAt: '2026-03-09T07:00:00.000Z', comment: '同意' },
    });
    expect(dec.events[0]).toMatchObject({
      action: 'extension.approved',
      data: { previousDueAt: '2026-03-12T15:59:59.000Z', dueAt: '2026-03-19T15:59:59.000Z', deadlineVersion: 2, workingDays: 5 },
    });
  });

  it('counts an extension across the Labour Day holiday and its make-up Saturday', () => {
    const ctx = testContext();
    let s = assign(triageLead(), actors.bureau, '2026-04-09T10:00:00+08:00', { agency: 'urban' }, ctx).state;
    expect(s.assignments[0]!.dueAt).toBe('2026-04-30T15:59:59.000Z');
    s = requestExtension(s, actors.urban, '2026-04-20T10:00:00+08:00', { workingDays: 5, reason: '节假日' }, ctx).state;
    s = decideExtension(s, actors.bureau, '2026-04-20T11:00:00+08:00', { approve: true }, ctx).state;
    expect(s.assignments[0]!.dueAt).toBe('2026-05-11T15:59:59.000Z'); // 6, 7, 8, 9 (Sat, make-up), 11 May
  });

  it('a refusal keeps the deadline and allows a new request', () => {
    const ctx = testContext();
    const s = requestExtension(assigned(ctx), actors.urban, T_ACK, { workingDays: 30, reason: '案情复杂' }, ctx).state;
    const r = ok(decideExtension(s, actors.admin, T_ACK, { approve: false, comment: '期限充足' }, ctx));
    expect(r.state.assignments[0]).toMatchObject({ dueAt: '2026-03-12T15:59:59.000Z', deadlineVersion: 1, extension: { status: 'refused', comment: '期限充足' } });
    expect(r.events[0]).toMatchObject({ action: 'extension.refused', data: { comment: '期限充足', workingDays: 30 } });
    expect(ok(requestExtension(r.state, actors.urban, T_ACK, { workingDays: 3, reason: '再申请' }, ctx)).state.pendingExtension?.workingDays).toBe(3);
  });

  it('marks a request made after the deadline', () => {
    const ctx = testContext();
    const r = requestExtension(rectifying(ctx), actors.urban, '2026-03-13T09:00:00+08:00', { workingDays: 2, reason: '逾期' }, ctx);
    expect(r.events[0]!.data.overdue).toBe(true);
  });

  it('refuses a second pending request, after feedback, on closed leads, wrong roles, bad days', () => {
    const ctx = testContext();
    let s = assign(rectifying(ctx), actors.bureau, T_ACK, { agency: 'market' }, ctx).state;
    s = requestExtension(s, actors.urban, T_ACK, { workingDays: 3, reason: '理由' }, ctx).state;
    expectError(() => requestExtension(s, actors.urban, T_ACK, { workingDays: 3, reason: '理由' }, ctx), 'state', '本单位已有延期申请待决定，不能重复申请');
    expectError(() => requestExtension(s, actors.market, T_ACK, { workingDays: 3, reason: '理由' }, ctx), 'state', '此线索已有一项延期申请待区司法局决定');
    expectError(() => requestExtension(inFeedback(ctx), actors.urban, T_ACK, { workingDays: 3, reason: '理由' }, ctx), 'state', '本单位已提交整改反馈，不能再申请延期');
    expectError(() => requestExtension(closedLead(ctx), actors.urban, T_ACK, { workingDays: 3, reason: '理由' }, ctx), 'state', '线索当前为‘已办结’，不能申请延期');
    expectError(() => requestExtension(rectifying(ctx), actors.transport, T_ACK, { workingDays: 3, reason: '理由' }, ctx), 'not-found');
    expectError(() => requestExtension(rectifying(ctx), actors.bureau, T_ACK, { workingDays: 3, reason: '理由' }, ctx), 'forbidden', '申请延期须由承办单位办理');
    const e = expectError(() => requestExtension(rectifying(ctx), actors.urban, T_ACK, { workingDays: 31, reason: '理由' }, ctx), 'invalid');
    expect(e.errors).toEqual([{ path: '/workingDays', message: '工作日数不能超过 30' }]);
    expectError(() => requestExtension(rectifying(ctx), actors.urban, T_ACK, { workingDays: 3, reason: '' }, ctx), 'invalid', '延期理由不能为空');

    expectError(() => decideExtension(rectifying(ctx), actors.bureau, T_ACK, { approve: true }, ctx), 'state', '此线索没有待决定的延期申请');
    expectError(() => decideExtension(s, actors.urban, T_ACK, { approve: true }, ctx), 'forbidden', '决定延期须由区司法局办理');
    expectError(() => decideExtension(s, actors.transport, T_ACK, { approve: true }, ctx), 'not-found');
    expectError(() => decideExtension(s, actors.bureau, T_ACK, { approve: 'yes' } as never, ctx), 'invalid', 'approve 须为 true 或 false');
  });
});

describe('triage decisions: reject, transfer, merge, unmerge, close', () => {
  it('reject (不予受理) from triage', () => {
    const ctx = testContext();
    const { state, events } = ok(reject(deepFreeze(triageLead()), actors.bureau, T0, { reason: '不属于行政执法监督范围' }, ctx));
    expect(state.status).toBe('rejected');
    expect(events).toEqual([{ leadId: LEAD_ID, actor: 'token:1', action: 'lead.rejected', at: '2026-02-13T02:00:00.000Z', data: { reason: '不属于行政执法监督范围', from: 'triage', to: 'rejected' } }]);
    expectError(() => reject(assigned(ctx), actors.bureau, T0, { reason: 'x' }, ctx), 'state', '线索当前为‘已交办’，不能不予受理');
    expectError(() => reject(rejected(ctx), actors.bureau, T0, { reason: 'x' }, ctx), 'state', '线索当前为‘不予受理’，不能不予受理');
    expectError(() => reject(triageLead(), actors.viewer, T0, { reason: 'x' }, ctx), 'forbidden');
    expectError(() => reject(triageLead(), actors.urban, T0, { reason: 'x' }, ctx), 'not-found');
    expectError(() => reject(triageLead(), actors.system, T0, { reason: 'x' }, ctx), 'forbidden');
    expectError(() => reject(triageLead(), actors.bureau, T0, {} as never, ctx), 'invalid');
  });

  it('transfer (移送) from triage sets routing.transfer', () => {
    const ctx = testContext();
    const { state, events } = ok(transfer(deepFreeze(triageLead()), actors.bureau, T0, { to: 'judicial', note: '涉嫌犯罪，两法衔接' }, ctx));
    expect(state).toMatchObject({ status: 'transferred', routing: { agency: 'urban', transfer: 'judicial' } });
    expect(events[0]).toMatchObject({ action: 'lead.transferred', data: { transfer: 'judicial', transferLabel: '司法机关', note: '涉嫌犯罪，两法衔接', routedTransfer: null, from: 'triage', to: 'transferred' } });
    expectError(() => transfer(rectifying(ctx), actors.bureau, T0, { to: 'judicial', note: 'x' }, ctx), 'state', '线索当前为‘整改中’，不能移送');
    expectError(() => transfer(triageLead(), actors.bureau, T0, { to: 'police', note: 'x' } as never, ctx), 'invalid');
    expectError(() => transfer(triageLead(), actors.supervisor, T0, { to: 'judicial', note: 'x' }, ctx), 'forbidden');
  });

  it('merge (归并) from triage, two events; unmerge back to triage', () => {
    const ctx = testContext();
    const target = { id: OTHER_LEAD_ID, status: 'rectifying' as const, mergedInto: null };
    const m = ok(merge(deepFreeze(triageLead()), actors.bureau, T0, { into: OTHER_LEAD_ID }, ctx, target));
    expect(m.state).toMatchObject({ status: 'merged', mergedInto: OTHER_LEAD_ID });
    expect(m.events).toEqual([
      { leadId: LEAD_ID, actor: 'token:1', action: 'lead.merged', at: '2026-02-13T02:00:00.000Z', data: { into: OTHER_LEAD_ID, from: 'triage', to: 'merged' } },
      { leadId: OTHER_LEAD_ID, actor: 'token:1', action: 'lead.merge.received', at: '2026-02-13T02:00:00.000Z', data: { mergedLead: LEAD_ID } },
    ]);
    const u = ok(unmerge(deepFreeze(m.state), actors.bureau, T_ACK, {}, ctx));
    expect(u.state).toMatchObject({ status: 'triage', mergedInto: null });
    expect(u.events.map((e) => [e.leadId, e.action, e.data])).toEqual([
      [LEAD_ID, 'lead.unmerged', { into: OTHER_LEAD_ID, from: 'merged', to: 'triage' }],
      [OTHER_LEAD_ID, 'lead.merge.released', { mergedLead: LEAD_ID }],
    ]);
    expectError(() => unmerge(triageLead(), actors.bureau, T0, {}, ctx), 'state', '线索当前为‘待研判’，不能撤销归并');
    expectError(() => unmerge(m.state, actors.urban, T0, {}, ctx), 'not-found');
  });

  it('refuses merging into itself, a merged, closed or rejected lead, a mismatched target, a wrong state', () => {
    const ctx = testContext();
    const t = (status: LeadState['status'], mergedInto: string | null = null) => ({ id: OTHER_LEAD_ID, status, mergedInto });
    expectError(() => merge(triageLead(), actors.bureau, T0, { into: LEAD_ID }, ctx, { id: LEAD_ID, status: 'triage', mergedInto: null }), 'invalid', '不能把线索归并到它自己');
    expectError(() => merge(triageLead(), actors.bureau, T0, { into: OTHER_LEAD_ID }, ctx, { ...t('triage'), id: 'XS-2026-000009' }), 'invalid', '归并目标与 into 不符');
    expectError(() => merge(triageLead(), actors.bureau, T0, { into: OTHER_LEAD_ID }, ctx, t('merged', 'XS-2026-000003')), 'state', '本身已归并到 XS-2026-000003');
    expectError(() => merge(triageLead(), actors.bureau, T0, { into: OTHER_LEAD_ID }, ctx, t('closed')), 'state', '当前为‘已办结’，不能归并到该线索');
    expectError(() => merge(triageLead(), actors.bureau, T0, { into: OTHER_LEAD_ID }, ctx, t('rejected')), 'state');
    expectError(() => merge(assigned(ctx), actors.bureau, T0, { into: OTHER_LEAD_ID }, ctx, t('triage')), 'state', '线索当前为‘已交办’，不能归并');
    expectError(() => merge(triageLead(), actors.bureau, T0, { into: 'nope' }, ctx, t('triage')), 'invalid', 'into 须为线索编号');
    expectError(() => merge(triageLead(), actors.viewer, T0, { into: OTHER_LEAD_ID }, ctx, t('triage')), 'forbidden');
  });

  it('close (办结) directly from triage or transferred, never under rectification', () => {
    const ctx = testContext();
    const c1 = ok(close(deepFreeze(triageLead()), actors.bureau, T0, { reason: '已当场答复来电人' }, ctx));
    expect(c1.state.status).toBe('closed');
    expect(c1.events[0]).toMatchObject({ action: 'lead.closed', data: { reason: '已当场答复来电人', from: 'triage', to: 'closed' } });
    expect(ok(close(transferred(ctx), actors.bureau, T0, { reason: '纪委监委已反馈处理结果' }, ctx)).state.status).toBe('closed');
    expectError(() => close(rectifying(ctx), actors.bureau, T0, { reason: 'x' }, ctx), 'state', '线索当前为‘整改中’，不能直接办结，须待整改反馈审核通过后办结');
    expectError(() => close(closedLead(ctx), actors.bureau, T0, { reason: 'x' }, ctx), 'state', '线索当前为‘已办结’，不能办结');
    expectError(() => close(merged(ctx), actors.bureau, T0, { reason: 'x' }, ctx), 'state', '线索当前为‘已归并’，不能办结');
    expectError(() => close(rectifying(ctx), actors.urban, T0, { reason: 'x' }, ctx), 'forbidden', '办结须由区司法局办理');
  });
});

describe('follow-up (回访)', () => {
  it('satisfied: one event, once per report', () => {
    const ctx = testContext();
    const c = closedLead(ctx);
    const r = ok(followUp(deepFreeze(c), actors.bureau, '2026-03-12T10:00:00+08:00', { reportId: 'RP-2026-000001', satisfied: true, comment: '满意' }, ctx, reports));
    expect(r.state.status).toBe('closed');
    expect(r.state.followUps).toEqual([{ reportId: 'RP-2026-000001', satisfied: true, at: '2026-03-12T02:00:00.000Z' }]);
    expect(r.events).toEqual([{
      leadId: LEAD_ID, reportId: 'RP-2026-000001', actor: 'token:1', action: 'followup.recorded', at: '2026-03-12T02:00:00.000Z',
      data: { reportId: 'RP-2026-000001', satisfied: true, comment: '满意' },
    }]);
    expectError(() => followUp(r.state, actors.bureau, T_REVIEW, { reportId: 'RP-2026-000001', satisfied: true }, ctx, reports), 'state', '该报送已回访，不能重复记录');
    expect(followUpTasks(r.state, reports).map((t) => t.reportId)).toEqual(['RP-2026-000004']);
  });

  it('not satisfied reopens the lead in triage for the bureau (不满意重办), who may assign again', () => {
    const ctx = testContext();
    const r = ok(followUp(closedLead(ctx), actors.bureau, '2026-03-12T10:00:00+08:00', { reportId: 'RP-2026-000001', satisfied: false, comment: '三轮车未归还' }, ctx, reports));
    expect(r.state).toMatchObject({ status: 'triage', reopened: true, reopenedCount: 1 });
    expect(r.events.map((e) => e.action)).toEqual(['followup.recorded', 'lead.reopened']);
    expect(r.events[1]).toMatchObject({ data: { reportId: 'RP-2026-000001', comment: '三轮车未归还', reopenedCount: 1, from: 'closed', to: 'triage' } });
    // The former agency still sees the lead, but cannot act on it.
    expectError(() => acknowledge(r.state, actors.urban, T_REVIEW, {}, ctx), 'state', '线索当前为‘待研判’，不能签收');
    // A new primary (the same agency again) despite the closed one.
    const again = ok(assign(r.state, actors.bureau, '2026-03-12T11:00:00+08:00', { agency: 'urban' }, ctx));
    expect(again.state.reopened).toBeUndefined();
    expect(again.state.reopenedCount).toBe(1);
    expect(again.state.assignments.map((a) => [a.agency, a.role, a.status])).toEqual([['urban', 'primary', 'closed'], ['urban', 'primary', 'assigned']]);
    // And it acknowledges the new assignment.
    expect(ok(acknowledge(again.state, actors.urban, '2026-03-12T12:00:00+08:00', {}, ctx)).state.status).toBe('rectifying');
  });

  it('or the bureau closes the reopened lead with a reason', () => {
    const ctx = testContext();
    const reopened = followUp(closedLead(ctx), actors.bureau, T_REVIEW, { reportId: 'RP-2026-000001', satisfied: false }, ctx, reports).state;
    const c = ok(close(reopened, actors.bureau, T_REVIEW, { reason: '经核实已整改到位，诉求超出职权' }, ctx));
    expect(c.state.reopened).toBeUndefined();
    expect(c.state.status).toBe('closed');
  });

  it('only closed leads, eligible reporters of this lead, bureau or the supervisor themself', () => {
    const ctx = testContext();
    const c = closedLead(ctx);
    expectError(() => followUp(rectifying(ctx), actors.bureau, T_REVIEW, { reportId: 'RP-2026-000001', satisfied: true }, ctx, reports), 'state', '线索当前为‘整改中’，不能回访');
    expectError(() => followUp(c, actors.bureau, T_REVIEW, { reportId: 'RP-2026-000002', satisfied: true }, ctx, reports), 'state', '该举报人要求保密，不予回访');
    expectError(() => followUp(c, actors.bureau, T_REVIEW, { reportId: 'RP-2026-000003', satisfied: true }, ctx, reports), 'state', '该举报人未留联系方式，无法回访');
    expectError(() => followUp(c, actors.bureau, T_REVIEW, { reportId: 'RP-2026-000099', satisfied: true }, ctx, reports), 'invalid', '不属于此线索');
    expectError(() => followUp(c, actors.urban, T_REVIEW, { reportId: 'RP-2026-000001', satisfied: true }, ctx, reports), 'forbidden', '回访须由区司法局办理');
    expectError(() => followUp(c, actors.market, T_REVIEW, { reportId: 'RP-2026-000001', satisfied: true }, ctx, reports), 'not-found');
    expectError(() => followUp(c, actors.otherSupervisor, T_REVIEW, { reportId: 'RP-2026-000004', satisfied: true }, ctx, reports), 'not-found');
    expectError(() => followUp(c, actors.supervisor, T_REVIEW, { reportId: 'RP-2026-000001', satisfied: true }, ctx, reports), 'forbidden', '监督员只能记录本人报送的回访');
    expect(ok(followUp(c, actors.supervisor, T_REVIEW, { reportId: 'RP-2026-000004', satisfied: true }, ctx, reports)).events).toHaveLength(1);
    // The same person confidential on one report is confidential on all.
    const samePerson = [...reports, { id: 'RP-2026-000006', reporter: { phone: '13912345678', confidential: false } }];
    expectError(() => followUp(c, actors.bureau, T_REVIEW, { reportId: 'RP-2026-000006', satisfied: true }, ctx, samePerson), 'state', '该举报人要求保密');
  });

  it('followUpTasks: reporters with contact details, not confidential, one per person, only when closed', () => {
    const ctx = testContext();
    const c = closedLead(ctx);
    expect(followUpTasks(c, reports)).toEqual([
      { leadId: LEAD_ID, reportId: 'RP-2026-000001', via: 'phone' },
      { leadId: LEAD_ID, reportId: 'RP-2026-000004', via: 'supervisor' },
    ]);
    expect(followUpTasks(rectifying(ctx), reports)).toEqual([]);
    const extra = [...reports, { id: 'RP-2026-000007', reporter: { phone: '13912345678', confidential: false } }];
    expect(followUpTasks(c, extra).map((t) => t.reportId)).toEqual(['RP-2026-000001', 'RP-2026-000004']);
  });
});

describe('schemas and consistency', () => {
  it('exports a schema for every workflow body', () => {
    expect(Object.keys(inputSchemas).sort()).toEqual([
      'acknowledge', 'assign', 'close', 'decideExtension', 'feedback', 'followUp', 'merge', 'reject',
      'requestExtension', 'review', 'transfer', 'unmerge',
    ]);
    expect(inputSchemas.assign.safeParse({ agency: 'urban', role: 'assist', workingDays: 10 }).success).toBe(true);
  });

  it('checkLeadState names what is inconsistent', () => {
    const ctx = testContext();
    const s = rectifying(ctx);
    expect(checkLeadState({ ...s, status: 'closed' })).toContain('status closed with open assignments');
    expect(checkLeadState({ ...s, status: 'feedback' })).toContain('status feedback but the primary assignment is acknowledged');
    const two = assign(s, actors.bureau, T_ACK, { agency: 'market' }, ctx).state;
    expect(checkLeadState({ ...two, assignments: two.assignments.map((a) => ({ ...a, role: 'primary' as const })) })).toContain('more than one open primary assignment');
    expect(checkLeadState({ ...triageLead(), mergedInto: OTHER_LEAD_ID })).toContain('mergedInto must be set exactly when merged');
  });

  it('uses the calendar it is given (bureau overrides)', () => {
    const ctx = testContext({ calendar: chineseWorkingCalendar([{ year: 2026, published: true, days: { '2026-02-14': 'rest' } }]) });
    const s = assign(triageLead(), actors.bureau, T0, { agency: 'urban' }, ctx).state;
    expect(s.assignments[0]!.ackDueAt).toBe('2026-02-24T15:59:59.000Z');
  });
});
