// A dry run of one sweep: the real sweep, inside one transaction that is rolled back, so that it
// decides exactly what a real pass would and writes nothing. It answers what the pass would
// record and which messages a delivery pass would then send (those it queued and those already
// due), rendered. Nothing is sent.
import type { Kysely } from 'kysely';
import { createCalendarHolder } from '../db/stores/calendar.ts';
import type { OutboxMessage } from '../db/stores/outbox.ts';
import type { DB } from '../db/schema/index.ts';
import type { Tx } from '../db/tx.ts';
import type { JobDeps } from './context.ts';
import { render, type Template } from './messages.ts';
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

class RolledBack extends Error {}

/** `tx` seen as a database whose transactions are the one transaction already open. */
function insideOf(tx: Tx): Kysely<DB> {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'transaction') return () => ({ execute: <T>(fn: (t: Tx) => Promise<T>) => fn(target) });
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Kysely<DB>;
}

export async function previewSweep(deps: JobDeps, now: Date): Promise<SweepPreview> {
  let preview: SweepPreview | undefined;
  try {
    await deps.db.transaction().execute(async (tx) => {
      const before = await tx.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
      const head = await tx.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirst();
      const db = insideOf(tx);
      const result = await sweep({ ...deps, db, reader: db, calendar: createCalendarHolder(db) }, now);
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
      preview = { result, events, messages };
      throw new RolledBack();
    });
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err;
  }
  return preview!;
}
