// Small pieces the pages share: agency names and pickers, deadline badges, lead list items, paging.
import type { FC } from 'hono/jsx';
import { findAgency, type Directory } from '../../domain/directory.ts';
import type { WorkingCalendar } from '../../domain/calendar/index.ts';
import { channelLabel, daysLeft, statusLabel, transferLabel, when } from './format.ts';

export function agencyName(dir: Directory, code: string | null | undefined): string {
  if (!code) return '—';
  return findAgency(dir, code)?.name ?? code;
}

/** Agencies a lead can be assigned to: departments first, then the townships' enforcement bodies. */
export const AgencyOptions: FC<{ dir: Directory; selected?: string | null | undefined; any?: string }> = ({ dir, selected, any }) => (
  <>
    {any ? <option value="">{any}</option> : null}
    <optgroup label="区直部门">
      {dir.agencies.filter((a) => a.kind === 'agency').map((a) => <option value={a.code} selected={a.code === selected}>{a.name}</option>)}
    </optgroup>
    <optgroup label="乡镇（街道）">
      {dir.agencies.filter((a) => a.kind === 'township').map((a) => <option value={a.code} selected={a.code === selected}>{a.name}</option>)}
    </optgroup>
  </>
);

export interface Clockwork { now: string; tz: string; calendar: WorkingCalendar }

/** A deadline as people read it: "12月4日 23:59 · 剩 3 个工作日", marked when soon or overdue. */
export const Due: FC<{ at: string | null | undefined; k: Clockwork; open?: boolean }> = ({ at, k, open = true }) => {
  if (!at) return <span>—</span>;
  if (!open) return <span>{when(at, k.tz, k.now)}</span>;
  const d = daysLeft(at, k.now, k.calendar, k.tz);
  return (
    <span>
      <time datetime={at}>{when(at, k.tz, k.now)}</time>{' '}
      <span class={`badge${d.overdue ? ' overdue' : d.soon ? ' soon' : ''}`}>{d.text}</span>
    </span>
  );
};

export interface ListAssignment { agency: string; status: string; ack_due_at: string | null; due_at: string | null }

/** The deadline that matters now for an open assignment: 签收 before acknowledging, then 整改反馈. */
export function currentDue(a: ListAssignment): { label: string; at: string | null } | undefined {
  if (a.status === 'assigned') return { label: '签收期限', at: a.ack_due_at };
  if (a.status === 'acknowledged') return { label: '反馈期限', at: a.due_at };
  return undefined;
}

export function isOverdue(a: ListAssignment, now: string): boolean {
  const d = currentDue(a);
  return Boolean(d?.at && d.at < now);
}

export const LeadItem: FC<{
  lead: { id: string; title: string; status: string; priority: string; township: string | null; channels: string; created_at: string; routing_transfer?: string | null };
  assignments: ListAssignment[]; dir: Directory; k: Clockwork;
}> = ({ lead, assignments, dir, k }) => {
  const late = assignments.some((a) => isOverdue(a, k.now));
  const channels = (JSON.parse(lead.channels) as string[]).map(channelLabel).join('、');
  return (
    <li class={late ? 'overdue' : ''}>
      <div class="title"><a href={`/leads/${lead.id}`}>{lead.title}</a></div>
      <div class="meta">
        <span class="leadno">{lead.id}</span>
        <span class="badge">{statusLabel(lead.status)}{lead.routing_transfer && lead.status === 'transferred' ? `（${transferLabel(lead.routing_transfer)}）` : ''}</span>
        {lead.priority === 'urgent' ? <span class="badge urgent">紧急</span> : null}
        {late ? <span class="badge overdue">已超期</span> : null}
        <span>{channels}</span>
        {lead.township ? <span>{lead.township}</span> : null}
        <span>收到 {when(lead.created_at, k.tz, k.now)}</span>
      </div>
      {assignments.length ? (
        <div class="meta">
          {assignments.map((a) => {
            const d = currentDue(a);
            return <span>{a.agency ? `${agencyName(dir, a.agency)}${d ? '：' : ''}` : ''}{d ? <>{d.label} <Due at={d.at} k={k} /></> : null}</span>;
          })}
        </div>
      ) : null}
    </li>
  );
};

export const Pager: FC<{ page: number; pageSize: number; total: number; capped?: boolean; hasNext: boolean; href: (page: number) => string }> = ({ page, pageSize, total, capped, hasNext, href }) => {
  if (page <= 1 && !hasNext) return null;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav class="pager" aria-label="分页">
      {page > 1 ? <a href={href(page - 1)} rel="prev">上一页</a> : <span aria-hidden="true">上一页</span>}
      <span>{capped ? `第 ${page} 页` : `第 ${page} / ${pages} 页`}</span>
      {hasNext ? <a href={href(page + 1)} rel="next">下一页</a> : <span aria-hidden="true">下一页</span>}
    </nav>
  );
};
