// One lead: its reports from every channel side by side, duplicates (合并) and merged leads (拆分),
// the routing explanation, deadlines with working days left, the actions the viewer may take, and
// the full-process timeline.
import type { FC } from 'hono/jsx';
import type { Directory } from '../../domain/directory.ts';
import type { leadPage } from './data.ts';
import { AgencyOptions, agencyName, Due, type Clockwork } from './components.tsx';
import { actionLabel, assignmentStatusLabel, channelLabel, statusLabel, transferLabel, when } from './format.ts';
import { Csrf, ErrorText, type Viewer } from './layout.tsx';

export type LeadData = NonNullable<Awaited<ReturnType<typeof leadPage>>>;

/** A refused action: which form, what was typed, and why (in Chinese). */
export interface FormState { action: string; values: Record<string, string>; error: string }

export const DONE: Record<string, string> = {
  assign: '已交办，承办单位将收到交办通知。', reject: '已不予受理。', transfer: '已移送。', review: '审核意见已保存。',
  'extension-decision': '延期申请已处理。', merge: '已合并。', unmerge: '已拆分。', acknowledge: '已签收，请按期整改并反馈。',
  feedback: '整改反馈已提交，等待司法局审核。', extension: '延期申请已提交，等待司法局审批。',
};

interface Props { d: LeadData; v: Viewer; k: Clockwork; dir: Directory; form?: FormState | undefined; done?: string | undefined }

const val = (form: FormState | undefined, action: string, name: string, fallback = '') =>
  form?.action === action ? form.values[name] ?? fallback : fallback;
const err = (form: FormState | undefined, action: string) => (form?.action === action ? form.error : undefined);

const ActionForm: FC<{ v: Viewer; id: string; action: string; children?: unknown; label: string }> = ({ v, id, action, children, label }) => (
  <form method="post" action={`/leads/${id}/${action}`} aria-label={label}>
    <Csrf v={v} />
    {children as never}
  </form>
);

function BureauActions({ d, v, k, dir, form }: Props) {
  const l = d.view;
  const pending = d.detail.lifecycle.pendingExtension;
  return (
    <>
      {l.status === 'triage' ? (
        <section class="card o-act" aria-labelledby="triage-h">
          <h2 id="triage-h">研判</h2>
          <h3>交办</h3>
          <ErrorText error={err(form, 'assign')} />
          <ActionForm v={v} id={l.id} action="assign" label="交办">
            <label for="assign-agency">承办单位{l.routing.agency ? '（已按分办建议预选）' : ''}</label>
            <select id="assign-agency" name="agency" required>
              <AgencyOptions dir={dir} selected={val(form, 'assign', 'agency', l.routing.agency ?? '')} any="请选择承办单位" />
            </select>
            <label for="assign-days">整改期限（工作日，可不填，按默认期限）</label>
            <input id="assign-days" name="workingDays" type="number" min="1" max="90" inputmode="numeric" value={val(form, 'assign', 'workingDays')} />
            <div class="actions"><button type="submit">交办</button></div>
          </ActionForm>
          <details open={form?.action === 'reject'}>
            <summary>不予受理</summary>
            <ErrorText error={err(form, 'reject')} />
            <ActionForm v={v} id={l.id} action="reject" label="不予受理">
              <label for="reject-reason">不予受理理由</label>
              <textarea id="reject-reason" name="reason" required>{val(form, 'reject', 'reason')}</textarea>
              <div class="actions"><button type="submit" class="danger">不予受理</button></div>
            </ActionForm>
          </details>
          <details open={form?.action === 'transfer' || Boolean(l.routing.transfer)}>
            <summary>移送{l.routing.transfer ? `（建议移送${transferLabel(l.routing.transfer)}）` : ''}</summary>
            <ErrorText error={err(form, 'transfer')} />
            <ActionForm v={v} id={l.id} action="transfer" label="移送">
              <label for="transfer-to">移送至</label>
              <select id="transfer-to" name="to">
                <option value="discipline" selected={val(form, 'transfer', 'to', l.routing.transfer ?? '') === 'discipline'}>纪委监委（公职人员违纪违法）</option>
                <option value="judicial" selected={val(form, 'transfer', 'to', l.routing.transfer ?? '') === 'judicial'}>司法机关（两法衔接，涉嫌犯罪）</option>
              </select>
              <label for="transfer-note">移送说明</label>
              <textarea id="transfer-note" name="note" required>{val(form, 'transfer', 'note')}</textarea>
              <div class="actions"><button type="submit" class="secondary">移送</button></div>
            </ActionForm>
          </details>
        </section>
      ) : null}
      {l.status === 'feedback' ? (
        <section class="card o-act" aria-labelledby="review-h">
          <h2 id="review-h">审核整改反馈</h2>
          <ErrorText error={err(form, 'review')} />
          <ActionForm v={v} id={l.id} action="review" label="审核">
            <label for="review-comment">审核意见（退回时必填）</label>
            <textarea id="review-comment" name="comment">{val(form, 'review', 'comment')}</textarea>
            <label for="review-days">退回后重新整改期限（工作日，可不填）</label>
            <input id="review-days" name="workingDays" type="number" min="1" max="90" inputmode="numeric" value={val(form, 'review', 'workingDays')} />
            <div class="actions">
              <button type="submit" name="decision" value="approve">通过</button>
              <button type="submit" name="decision" value="return" class="danger">退回</button>
            </div>
          </ActionForm>
        </section>
      ) : null}
      {pending ? (
        <section class="card o-act" aria-labelledby="ext-h">
          <h2 id="ext-h">延期申请</h2>
          <p>{agencyName(dir, pending.agency)} 申请延期 {pending.workingDays} 个工作日（{when(pending.requestedAt, k.tz, k.now)}）：{pending.reason}</p>
          <ErrorText error={err(form, 'extension-decision')} />
          <ActionForm v={v} id={l.id} action="extension-decision" label="延期审批">
            <label for="ext-comment">意见（可不填）</label>
            <textarea id="ext-comment" name="comment">{val(form, 'extension-decision', 'comment')}</textarea>
            <div class="actions">
              <button type="submit" name="approve" value="true">批准延期</button>
              <button type="submit" name="approve" value="false" class="danger">驳回</button>
            </div>
          </ActionForm>
        </section>
      ) : null}
    </>
  );
}

function AgencyActions({ d, v, form }: Props) {
  const l = d.view;
  const mine = l.assignments.filter((a) => a.agency === v.principal.agency && a.status !== 'closed');
  if (!mine.length) return null;
  const a = mine[0]!;
  const ext = d.detail.assignments.get(a.id)?.extension;
  return (
    <section class="card o-act" aria-labelledby="agency-h">
      <h2 id="agency-h">办理</h2>
      {a.status === 'assigned' ? (
        <>
          <p>请核实情况后签收，签收后按期整改并反馈。</p>
          <ErrorText error={err(form, 'acknowledge')} />
          <ActionForm v={v} id={l.id} action="acknowledge" label="签收"><div class="actions"><button type="submit">签收</button></div></ActionForm>
        </>
      ) : null}
      {a.status === 'acknowledged' ? (
        <>
          <h3>整改反馈</h3>
          <ErrorText error={err(form, 'feedback')} />
          <ActionForm v={v} id={l.id} action="feedback" label="整改反馈">
            <label for="fb-summary">整改情况摘要</label>
            <input id="fb-summary" name="summary" type="text" maxlength={500} required value={val(form, 'feedback', 'summary')} />
            <label for="fb-measures">整改措施</label>
            <textarea id="fb-measures" name="measures" required>{val(form, 'feedback', 'measures')}</textarea>
            <label for="fb-evidence">证据链接（每行一个，可不填）</label>
            <textarea id="fb-evidence" name="evidence" aria-describedby="fb-evidence-hint">{val(form, 'feedback', 'evidence')}</textarea>
            <p id="fb-evidence-hint" class="hint">以 http:// 或 https:// 开头的照片、视频或文件地址。</p>
            <div class="actions"><button type="submit">提交整改反馈</button></div>
          </ActionForm>
        </>
      ) : null}
      {a.status !== 'feedback' && ext?.status !== 'pending' ? (
        <details open={form?.action === 'extension'}>
          <summary>申请延期</summary>
          <ErrorText error={err(form, 'extension')} />
          <ActionForm v={v} id={l.id} action="extension" label="申请延期">
            <label for="ext-days">延期工作日数（1–30）</label>
            <input id="ext-days" name="workingDays" type="number" min="1" max="30" inputmode="numeric" required value={val(form, 'extension', 'workingDays')} />
            <label for="ext-reason">延期理由</label>
            <textarea id="ext-reason" name="reason" required>{val(form, 'extension', 'reason')}</textarea>
            <div class="actions"><button type="submit" class="secondary">申请延期</button></div>
          </ActionForm>
        </details>
      ) : ext?.status === 'pending' ? <p class="hint">延期申请（{ext.workingDays} 个工作日）等待司法局审批。</p> : null}
    </section>
  );
}

/** The forms this page shows to this viewer: a refusal of any other action is shown at the top. */
function formsShown(d: LeadData, v: Viewer): Set<string> {
  const l = d.view;
  const role = v.principal.role;
  const shown = new Set<string>();
  if (role === 'bureau' || role === 'admin') {
    if (l.status === 'triage') ['assign', 'reject', 'transfer'].forEach((x) => shown.add(x));
    if (l.status === 'feedback') shown.add('review');
    if (d.detail.lifecycle.pendingExtension) shown.add('extension-decision');
    if (d.candidates.length || d.children.length) ['merge', 'unmerge'].forEach((x) => shown.add(x));
  }
  if (role === 'agency') {
    const a = l.assignments.find((x) => x.agency === v.principal.agency && x.status !== 'closed');
    if (a?.status === 'assigned') shown.add('acknowledge');
    if (a?.status === 'acknowledged') shown.add('feedback');
    if (a && a.status !== 'feedback' && d.detail.assignments.get(a.id)?.extension?.status !== 'pending') shown.add('extension');
  }
  return shown;
}

export function LeadBody(props: Props) {
  const { d, v, k, dir, form, done } = props;
  const l = d.view;
  const role = v.principal.role;
  const bureau = role === 'bureau' || role === 'admin';
  const orphanError = form && !formsShown(d, v).has(form.action) ? form.error : undefined;
  const reports = role === 'supervisor' ? l.reports.filter((r) => r.reporter?.supervisorId === v.principal.supervisorId) : l.reports;
  return (
    <>
      {done && DONE[done] ? (
        <p class="notice" role="status">
          {done === 'review' ? (l.status === 'closed' ? '审核通过，线索已办结。' : '已退回，承办单位将收到退回通知并重新整改。') : DONE[done]}
        </p>
      ) : null}
      <p class="meta"><span class="leadno">{l.id}</span><span class="badge">{statusLabel(l.status)}</span>
        {l.priority === 'urgent' ? <span class="badge urgent">紧急</span> : null}
        <span>收到 {when(l.createdAt, k.tz, k.now)}</span></p>
      <h1>{l.title}</h1>
      <ErrorText error={orphanError} />
      {l.mergedInto ? <p class="notice">本线索已合并到 <a href={`/leads/${l.mergedInto}`}>{l.mergedInto}</a>。</p> : null}
      <div class="grid two">
        <div>
          <section class="card o-content" aria-labelledby="content-h">
            <h2 id="content-h">线索内容</h2>
            {role === 'supervisor' ? null : <p class="content">{l.content}</p>}
            <dl class="facts">
              <dt>来源渠道</dt><dd>{l.channels.map(channelLabel).join('、')}（共 {l.reportCount} 件来件）</dd>
              {l.township ? <><dt>乡镇街道</dt><dd>{l.township}</dd></> : null}
              {l.address ? <><dt>地点</dt><dd>{l.address}</dd></> : null}
              {l.subject ? <><dt>被反映单位</dt><dd>{l.subject}</dd></> : null}
              {l.problemTypes.length ? <><dt>问题类型</dt><dd>{l.problemTypes.join('、')}</dd></> : null}
              {l.domain ? <><dt>执法领域</dt><dd>{l.domain}</dd></> : null}
            </dl>
          </section>
          <section class="card o-reports" aria-labelledby="reports-h">
            <h2 id="reports-h">来件（{reports.length}）</h2>
            <div class="reports">
              {reports.map((r) => (
                <article class="report" aria-label={`${channelLabel(r.source)}来件 ${r.id}`}>
                  <div class="meta"><span class="badge">{channelLabel(r.source)}</span><span>{when(r.reportedAt, k.tz, k.now)}</span>
                    {r.duplicate ? <span class="badge">重复来件</span> : null}</div>
                  <div class="title">{r.title}</div>
                  {d.texts.get(r.id) ? <p class="content">{d.texts.get(r.id)}</p> : null}
                  <div class="meta">
                    <span>编号 {r.externalId}</span>
                    {r.reporter?.outlet ? <span>{r.reporter.outlet}</span> : null}
                    {r.reporter?.confidential ? <span>反映人要求保密</span> : r.reporter?.name ? <span>反映人 {r.reporter.name}</span> : null}
                    {r.reporter?.phone && !r.reporter.confidential ? <span>电话 {r.reporter.phone}</span> : null}
                    {r.reporter?.supervisorId ? <span>监督员 {r.reporter.supervisorId}</span> : null}
                  </div>
                  {r.url ? <p><a href={r.url} rel="noreferrer noopener">原文链接</a></p> : null}
                  {r.evidence.length ? <p>证据：{r.evidence.map((e, i) => <><a href={e.url} rel="noreferrer noopener">{`证据 ${i + 1}`}</a>{' '}</>)}</p> : null}
                </article>
              ))}
            </div>
          </section>
          {role === 'supervisor' ? (
            // A supervisor sees the progress and, once closed, the approved rectification's summary (API.md §3).
            l.status === 'closed' ? l.assignments.map((a) => {
              const summary = d.detail.assignments.get(a.id)?.feedback?.summary;
              return summary ? <section class="card o-feedback"><h2>整改结果 · {agencyName(dir, a.agency)}</h2><p>{summary}</p></section> : null;
            }) : null
          ) : l.assignments.map((a) => {
            const x = d.detail.assignments.get(a.id);
            if (!x?.feedback && !x?.returned) return null;
            return (
              <section class="card o-feedback" aria-label={`${agencyName(dir, a.agency)}的整改反馈`}>
                <h2>整改反馈 · {agencyName(dir, a.agency)}</h2>
                {x.feedback ? (
                  <dl class="facts">
                    <dt>反馈时间</dt><dd>{when(x.feedback.at, k.tz, k.now)}</dd>
                    <dt>整改情况</dt><dd>{x.feedback.summary}</dd>
                    <dt>整改措施</dt><dd class="content">{x.feedback.measures}</dd>
                    {x.feedback.evidence.length ? <><dt>证据</dt><dd>{x.feedback.evidence.map((e, i) => <><a href={e.url} rel="noreferrer noopener">{`证据 ${i + 1}`}</a>{' '}</>)}</dd></> : null}
                  </dl>
                ) : null}
                {x.returned ? <p class="error">第 {x.returned.count} 次退回（{when(x.returned.at, k.tz, k.now)}）：{x.returned.comment}</p> : null}
              </section>
            );
          })}
        </div>
        <div>
          <section class="card o-due" aria-labelledby="due-h">
            <h2 id="due-h">承办与期限</h2>
            {l.assignments.length === 0 ? <p class="hint">尚未交办。</p> : (
              <ul class="list">
                {l.assignments.map((a) => {
                  const open = a.status === 'assigned' || a.status === 'acknowledged';
                  return (
                    <li>
                      <div class="title">{agencyName(dir, a.agency)}{a.role === 'assist' ? '（协办）' : ''}</div>
                      <div class="meta"><span class="badge">{assignmentStatusLabel(a.status)}</span><span>交办于 {when(a.assignedAt, k.tz, k.now)}</span></div>
                      <dl class="facts">
                        <dt>签收期限</dt><dd><Due at={a.ackDueAt} k={k} open={a.status === 'assigned'} /></dd>
                        <dt>反馈期限</dt><dd><Due at={a.dueAt} k={k} open={open} /></dd>
                      </dl>
                      {a.calendarProvisional ? <p class="hint">期限按暂定日历计算，节假日安排公布后会重新计算。</p> : null}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          {bureau ? <BureauActions {...props} /> : null}
          {role === 'agency' ? <AgencyActions {...props} /> : null}
          {role === 'supervisor' ? null : (
            <section class="card o-routing" aria-labelledby="routing-h">
              <h2 id="routing-h">分办建议</h2>
              <dl class="facts">
                <dt>建议承办</dt><dd>{l.routing.transfer ? `移送${transferLabel(l.routing.transfer)}` : agencyName(dir, l.routing.agency)}</dd>
                <dt>理由</dt><dd>{l.routing.reason ?? '没有足够把握的规则，需人工研判。'}</dd>
              </dl>
            </section>
          )}
          {bureau && (d.candidates.length || d.children.length) ? (
            <section class="card o-dup" aria-labelledby="dup-h">
              <h2 id="dup-h">重复线索</h2>
              <ErrorText error={err(form, 'merge') ?? err(form, 'unmerge')} />
              {d.candidates.length ? <h3>疑似重复</h3> : null}
              <ul class="list">
                {l.duplicateCandidates.map((c) => {
                  const head = d.candidates.find((x) => x.id === c.leadId);
                  return (
                    <li>
                      <div class="title"><a href={`/leads/${c.leadId}`}>{head?.title ?? c.leadId}</a></div>
                      <div class="meta"><span class="leadno">{c.leadId}</span><span>相似度 {Math.round(c.score * 100)}%</span>{head ? <span>{statusLabel(head.status)}</span> : null}</div>
                      <ActionForm v={v} id={l.id} action="merge" label={`合并到 ${c.leadId}`}>
                        <input type="hidden" name="into" value={c.leadId} />
                        <button type="submit" class="secondary">合并到此线索</button>
                      </ActionForm>
                    </li>
                  );
                })}
              </ul>
              {d.children.length ? <h3>已合并的线索</h3> : null}
              <ul class="list">
                {d.children.map((c) => (
                  <li>
                    <div class="title"><a href={`/leads/${c.id}`}>{c.title}</a></div>
                    <div class="meta"><span class="leadno">{c.id}</span></div>
                    <ActionForm v={v} id={c.id} action="unmerge" label={`拆分 ${c.id}`}>
                      <input type="hidden" name="back" value={l.id} />
                      <button type="submit" class="secondary">拆分</button>
                    </ActionForm>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      </div>
      {role === 'supervisor' ? null : (
        <section class="card" aria-labelledby="timeline-h">
          <h2 id="timeline-h">全过程记录</h2>
          <ol class="timeline">
            {d.events.filter((e) => e.action !== 'reporter.unmasked').map((e) => (
              <li><time datetime={e.at}>{when(e.at, k.tz, k.now)}</time><strong>{actionLabel(e.action)}</strong>
                {eventNote(e.data, dir) ? <span class="hint">　{eventNote(e.data, dir)}</span> : null}</li>
            ))}
          </ol>
          {bureau && d.events.some((e) => e.action === 'reporter.unmasked')
            ? <p class="hint">另有 {d.events.filter((e) => e.action === 'reporter.unmasked').length} 次查看举报人信息的记录（按规定留痕，未列出）。</p> : null}
        </section>
      )}
    </>
  );
}

/** A few words from an event's data that say what happened (agency, reason, comment). */
function eventNote(data: Record<string, unknown>, dir: Directory): string {
  const s = (k: string) => (typeof data[k] === 'string' ? data[k] as string : undefined);
  const parts: string[] = [];
  if (s('agency')) parts.push(agencyName(dir, s('agency')));
  for (const k of ['reason', 'comment', 'summary', 'note']) if (s(k)) parts.push(s(k)!);
  if (s('into')) parts.push(`→ ${s('into')}`);
  if (s('to') && (s('to') === 'discipline' || s('to') === 'judicial')) parts.push(transferLabel(s('to')!));
  return parts.join('；').slice(0, 200);
}
