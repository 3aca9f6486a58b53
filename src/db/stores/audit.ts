// `audit verify`: reads the whole full-process record in seq order, in pages, and checks its hash
// chain (keyed with XIANSUO_AUDIT_KEY where it is, against a published head when one is given);
// then compares every lead's latest recorded state with its rows. All in one read transaction
// (repeatable read on PostgreSQL), so writes going on meanwhile are not mistaken for damage.
import type { Kysely } from 'kysely';
import {
  verifyChain, type AuditKey, type ChainedEvent, type KeyMarker,
} from '../../domain/audit.ts';
import type { AuditReport, StateCheck } from '../../domain/auditReport.ts';
import { stateDifferences, type RecordedState } from '../../domain/auditState.ts';
import { readStates } from '../commit.ts';
import { PlanConflict, planAndCommit } from '../../domain/plan.ts';
import { commitPlan, useAuditKey } from '../commit.ts';
import type { DB } from '../schema/index.ts';

async function* allEvents(db: Kysely<DB>, pageSize = 1000): AsyncGenerator<ChainedEvent> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('events').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) {
      yield {
        seq: Number(r.seq), leadId: r.lead_id, reportId: r.report_id, actor: r.actor, action: r.action,
        at: r.at, data: r.data, state: r.state ?? null, prevHash: r.prev_hash, hash: r.hash,
      };
    }
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export type { AuditReport, StateCheck } from '../../domain/auditReport.ts';

export async function readHead(db: Kysely<DB>): Promise<{ seq: number; hash: string; marker: KeyMarker | null }> {
  const h = await db.selectFrom('audit_head').select(['seq', 'hash', 'keyed_from', 'key_id', 'key_mac']).where('id', '=', 1).executeTakeFirstOrThrow();
  const marker = h.keyed_from === null ? null : { keyedFrom: Number(h.keyed_from), keyId: h.key_id ?? '', mac: h.key_mac ?? '' };
  return { seq: Number(h.seq), hash: h.hash, marker };
}

async function checkStates(db: Kysely<DB>, limit: number, pageSize = 500): Promise<StateCheck> {
  const out: StateCheck = { checked: 0, unrecorded: 0, differences: [], total: 0 };
  const note = (s: string) => {
    out.total++;
    if (out.differences.length < limit) out.differences.push(s);
  };
  let after = '';
  for (;;) {
    const ids = (await db.selectFrom('leads').select('id').where('id', '>', after).orderBy('id').limit(pageSize).execute()).map((r) => r.id);
    if (ids.length === 0) break;
    const actual = await readStates(db, ids);
    const events = await db.selectFrom('events').select(['lead_id', 'seq', 'state']).where('lead_id', 'in', ids).orderBy('seq').execute();
    const seen = new Set<string>();
    const latest = new Map<string, { seq: number; state: string }>();
    for (const e of events) {
      seen.add(e.lead_id!);
      if (e.state !== null) latest.set(e.lead_id!, { seq: Number(e.seq), state: e.state });
    }
    for (const id of ids) {
      const rec = latest.get(id);
      if (!rec) {
        if (seen.has(id)) out.unrecorded++;
        else note(`线索 ${id} 在全过程记录中没有任何记载：不是经由本服务写入的`);
        continue;
      }
      out.checked++;
      for (const d of stateDifferences(id, rec.seq, JSON.parse(rec.state) as RecordedState, actual.get(id)!)) note(d);
    }
    after = ids[ids.length - 1]!;
    if (ids.length < pageSize) break;
  }
  return out;
}

export async function verifyAudit(
  db: Kysely<DB>, opts: { key?: AuditKey; anchor?: { seq: number; hash: string }; limit?: number } = {},
): Promise<AuditReport> {
  return db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
    const head = await readHead(tx);
    const chain = await verifyChain(allEvents(tx), head, { key: opts.key, marker: head.marker, anchor: opts.anchor });
    const report: AuditReport = { ok: chain.ok, chain, head: { seq: head.seq, hash: head.hash } };
    if (chain.ok) {
      report.states = await checkStates(tx, opts.limit ?? 20);
      report.ok = report.states.total === 0;
    }
    return report;
  });
}

/**
 * At start: with a key, every later write through `db` is keyed, and a chain not keyed yet is keyed
 * from now on (an `audit.keyed` entry, the first one hashed with the key); a key that is not the
 * chain's stops the start. Without a key, a chain already keyed stops the start too: appending
 * unkeyed entries would break it. Answers the seq from which the chain is keyed, or null.
 */
export async function startAuditChain(db: Kysely<DB>, key: AuditKey | undefined, at: string): Promise<number | null> {
  useAuditKey(db, key);
  if (!key) {
    const { marker } = await readHead(db);
    if (marker) throw new Error(`全过程记录自第 ${marker.keyedFrom} 条起以密钥签名，但未设置 XIANSUO_AUDIT_KEY`);
    return null;
  }
  // The commit itself checks the key against the chain's and marks the start when there is none;
  // the plan is guarded by the chain not being keyed yet (else: read again, and answer its start).
  return planAndCommit<number>({ commit: (plan, done) => commitPlan(db, plan, done) }, async () => {
    const head = await db.selectFrom('audit_head').select(['seq', 'keyed_from', 'key_id']).where('id', '=', 1).executeTakeFirstOrThrow();
    if (head.keyed_from !== null) {
      if (head.key_id !== key.id) throw new Error(`XIANSUO_AUDIT_KEY 与全过程记录所用的密钥（编号 ${head.key_id}）不符，不能写入`);
      return { done: Number(head.keyed_from) };
    }
    const from = Number(head.seq) + 1;
    return {
      plan: {
        guards: [{ kind: 'exists', table: 'audit_head', where: { id: 1, keyed_from: null }, reason: '全过程记录已开始以密钥签名' }],
        writes: [], counters: [],
        events: [{ leadId: null, actor: 'system', action: 'audit.keyed', at, data: { from, keyId: key.id } }],
      },
      answer: () => from,
    };
  });
}

const BASELINE_DONE = 'audit-state-baseline';

/**
 * Once, at the first start after 007_token_lifecycle: records the state of every lead that has
 * none yet (an `audit.state-recorded` entry each, in writes of 500), so that `audit verify`
 * checks the leads written before the upgrade too. Later starts read one job_runs row.
 * Answers how many leads it recorded.
 */
export async function recordMissingStates(db: Kysely<DB>, at: string, batch = 500): Promise<number> {
  if (await db.selectFrom('job_runs').select('key').where('key', '=', BASELINE_DONE).executeTakeFirst()) return 0;
  let recorded = 0;
  let after = '';
  for (;;) {
    const ids = (await db.selectFrom('leads').select('id').where('id', '>', after)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('events').select('events.seq')
        .whereRef('events.lead_id', '=', 'leads.id').where('events.state', 'is not', null))))
      .orderBy('id').limit(batch).execute()).map((r) => r.id);
    const last = ids.length < batch;
    // One plan a page: the entries, and after the last page the mark that the baseline is done
    // (guarded: another instance that finished it first makes this one stop).
    try {
      await commitPlan(db, {
        guards: [{ kind: 'absent', table: 'job_runs', where: { key: BASELINE_DONE }, reason: '全过程记录的状态基线已由他处补记' }],
        writes: last ? [{ kind: 'insert', table: 'job_runs', row: { key: BASELINE_DONE, at } }] : [],
        events: ids.map((id) => ({ leadId: id, actor: 'system', action: 'audit.state-recorded', at, data: {} })),
        counters: [],
      });
    } catch (err) {
      if (err instanceof PlanConflict) return recorded;
      throw err;
    }
    recorded += ids.length;
    if (last) return recorded;
    after = ids[ids.length - 1]!;
  }
}
