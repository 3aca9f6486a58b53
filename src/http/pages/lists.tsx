// The list pages: the bureau's dashboard and queue, an agency's own leads, a supervisor's own leads.
import type { FC } from 'hono/jsx';
import { TOWNSHIPS, type Directory } from '../../domain/directory.ts';
import { LEAD_STATUSES } from '../../domain/types.ts';
import { COUNT_CAP, type AttentionCounts, type AssignmentRow, type QueueRow } from './data.ts';
import { AgencyOptions, LeadItem, Pager, type Clockwork } from './components.tsx';
import { CHANNEL_LABELS, statusLabel } from './format.ts';

export const Dashboard: FC<{ counts: AttentionCounts }> = ({ counts }) => {
  const items: [string, number, string, string][] = [
    ['待研判', counts.triage, '/leads?status=triage', ''],
    ['即将到期', counts.dueSoon, '/leads?due=soon', 'warn'],
    ['已超期', counts.overdue, '/leads?overdue=true', 'bad'],
    ['待审核', counts.feedback, '/leads?status=feedback', ''],
    ['延期申请', counts.extension, '/leads?extension=pending', 'warn'],
  ];
  return (
    <>
      <h1>需要处理的事项</h1>
      <ul class="counts">
        {items.map(([label, n, href, cls]) => (
          <li class={cls}><a href={href}><strong>{n > COUNT_CAP ? `${COUNT_CAP}+` : n}</strong>{label}</a></li>
        ))}
      </ul>
      <p><a href="/leads">查看全部线索</a></p>
    </>
  );
};

export interface QueueQuery {
  status?: string; agency?: string; channel?: string; township?: string; domain?: string; type?: string; overdue?: string;
  due?: string; extension?: string; from?: string; to?: string; q?: string;
}

export function queueHref(q: QueueQuery, page: number): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `/leads?${s}` : '/leads';
}

export const Queue: FC<{
  q: QueueQuery; page: number; pageSize: number; total: number; capped: boolean; hasNext: boolean; rows: QueueRow[]; assignments: AssignmentRow[];
  dir: Directory; k: Clockwork; problemTypes: string[]; domains: string[]; error?: string | undefined;
}> = (p) => {
  const { q } = p;
  return (
    <>
      <h1>线索列表</h1>
      <form method="get" action="/leads" class="card" role="search" aria-label="筛选线索">
        <div class="filters">
          <div class="wide"><label for="f-q">搜索（标题、内容或线索编号）</label>
            <input id="f-q" name="q" type="search" value={q.q ?? ''} /></div>
          <div><label for="f-status">状态</label>
            <select id="f-status" name="status"><option value="">全部</option>
              {LEAD_STATUSES.map((s) => <option value={s} selected={q.status === s}>{statusLabel(s)}</option>)}</select></div>
          <div><label for="f-agency">承办单位</label>
            <select id="f-agency" name="agency"><AgencyOptions dir={p.dir} selected={q.agency} any="全部" /></select></div>
          <div><label for="f-channel">来源渠道</label>
            <select id="f-channel" name="channel"><option value="">全部</option>
              {Object.entries(CHANNEL_LABELS).map(([c, label]) => <option value={c} selected={q.channel === c}>{label}</option>)}</select></div>
          <div><label for="f-township">乡镇街道</label>
            <select id="f-township" name="township"><option value="">全部</option>
              {TOWNSHIPS.map(([, name]) => <option value={name} selected={q.township === name}>{name}</option>)}</select></div>
          <div><label for="f-domain">执法领域</label>
            <select id="f-domain" name="domain"><option value="">全部</option>
              {p.domains.map((d) => <option value={d} selected={q.domain === d}>{d}</option>)}</select></div>
          <div><label for="f-type">问题类型</label>
            <select id="f-type" name="type"><option value="">全部</option>
              {p.problemTypes.map((t) => <option value={t} selected={q.type === t}>{t}</option>)}</select></div>
          <div><label for="f-overdue">期限</label>
            <select id="f-overdue" name="overdue"><option value="">不限</option>
              <option value="true" selected={q.overdue === 'true'}>已超期</option></select></div>
          <div><label for="f-from">收到日期从</label><input id="f-from" name="from" type="date" value={q.from ?? ''} /></div>
          <div><label for="f-to">收到日期至</label><input id="f-to" name="to" type="date" value={q.to ?? ''} /></div>
        </div>
        {q.due ? <input type="hidden" name="due" value={q.due} /> : null}
        {q.extension ? <input type="hidden" name="extension" value={q.extension} /> : null}
        <div class="actions"><button type="submit">筛选</button><a href="/leads">清除条件</a></div>
      </form>
      {p.error ? <p class="error" role="alert">{p.error}</p> : null}
      <p aria-live="polite">
        {q.due === 'soon' ? '即将到期的线索，' : ''}{q.extension === 'pending' ? '有延期申请待审批的线索，' : ''}{p.capped ? `超过 ${p.total} 条` : `共 ${p.total} 条`}
      </p>
      <ul class="list">
        {p.rows.map((r) => <LeadItem lead={r} assignments={p.assignments.filter((a) => a.lead_id === r.id)} dir={p.dir} k={p.k} />)}
      </ul>
      {p.rows.length === 0 ? <p class="hint">没有符合条件的线索。</p> : null}
      <Pager page={p.page} pageSize={p.pageSize} total={p.total} capped={p.capped} hasNext={p.hasNext} href={(n) => queueHref(q, n)} />
    </>
  );
};

export const AgencyHome: FC<{
  name: string; rows: (QueueRow & { a_status: string; ack_due_at: string | null; due_at: string | null })[];
  page: number; pageSize: number; total: number; dir: Directory; k: Clockwork;
}> = (p) => (
  <>
    <h1>{p.name} · 交办给本单位的线索</h1>
    <p class="hint">按期限先后排列，超期的标为红色。</p>
    <ul class="list">
      {p.rows.map((r) => <LeadItem lead={r} assignments={[{ agency: '', status: r.a_status, ack_due_at: r.ack_due_at, due_at: r.due_at }]} dir={p.dir} k={p.k} />)}
    </ul>
    {p.rows.length === 0 ? <p class="hint">目前没有交办给本单位的线索。</p> : null}
    <Pager page={p.page} pageSize={p.pageSize} total={p.total} hasNext={p.page * p.pageSize < p.total} href={(n) => `/?page=${n}`} />
  </>
);
