// A dry run of one sweep: the real sweep, inside one transaction that is rolled back (src/db/rehearse.ts), so that it
// decides exactly what a real pass would and writes nothing. It answers what the pass would
// record and which messages a delivery pass would then send (those it queued and those already
// due), rendered. Nothing is sent.
import { createCalendarHolder } from '../db/stores/calendar.ts';
import type { OutboxMessage } from '../db/stores/outbox.ts';
import type { JobDeps } from './jobDeps.ts';
import { render, type Template } from './outboxMessages.ts';
import { sweep, type SweepResult } from './sweep.ts';

export interface PreviewMessage {
  id: string;
  /** Queued by this pass (true) or already waiting in the outbox (false). */
  queuedNow: boolean;
  channel: 'mail' | 'robot';
  to: string[];
  cc: string[];
  subject: string;
  leadId: string | null;
}

export interface SweepPreview {
  result: SweepResult;
  /** The full-process record entries the pass would append (action counts). */
  events: Record<string, number>;
  messages: PreviewMessage[];
}

export async function previewSweep(deps: JobDeps, now: Date): Promise<SweepPreview> {
  if (!deps.rehearse) throw new Error('这里的数据库不能预演（--dry-run）');
  return deps.rehearse(async ({ db: tx, store }) => {
    const before = await tx.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
    const head = await tx.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirst();
    const result = await sweep({ ...deps, db: tx, reader: tx, store, calendar: createCalendarHolder(tx) }, now);
    const at = now.toISOString();
    const due = await tx.selectFrom('outbox').selectAll().where('status', '=', 'pending')
      .where('next_attempt_at', '<=', at).orderBy('next_attempt_at').orderBy('id').execute();
    const old = new Set(before.map((r) => r.id));
    const messages = due.map((row): PreviewMessage => {
      const m = JSON.parse(row.message) as OutboxMessage;
      const mail = render(m.template as Template, { publicUrl: deps.config.publicUrl, timeZone: deps.config.tz });
      return {
        id: row.id, queuedNow: !old.has(row.id), channel: m.kind, leadId: row.lead_id,
        to: m.kind === 'mail' ? m.to : [`${m.robot.kind} 群机器人`], cc: m.kind === 'mail' ? m.cc : [], subject: mail.subject,
      };
    });
    const events: Record<string, number> = {};
    const added = await tx.selectFrom('events').select('action').where('seq', '>', Number(head?.seq ?? 0)).execute();
    for (const e of added) events[e.action] = (events[e.action] ?? 0) + 1;
    return { result, events, messages };
  });
}
