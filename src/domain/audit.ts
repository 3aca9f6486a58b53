// The full-process record (执法全过程记录): every change is an event, chained by hash so that
// any altered, inserted or missing entry is found by verifyChain.
import { canonicalJson, sha256Hex } from './crypto.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface EventDraft {
  leadId: string | null;
  reportId?: string | null;
  actor: string;
  action: string;
  at: string;
  data: Record<string, unknown>;
}

export interface ChainedEvent {
  seq: number;
  leadId: string | null;
  reportId: string | null;
  actor: string;
  action: string;
  at: string;
  /** Canonical JSON text, exactly as stored. */
  data: string;
  prevHash: string;
  hash: string;
}

export function eventHash(e: Omit<ChainedEvent, 'hash'>): string {
  return sha256Hex([e.seq, e.leadId ?? '', e.reportId ?? '', e.actor, e.action, e.at, e.data, e.prevHash].join('\u001f'));
}

/** Chains drafts after the head (seq, hash). */
export function chain(head: { seq: number; hash: string }, drafts: EventDraft[]): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let { seq, hash } = head;
  for (const d of drafts) {
    const e = {
      seq: seq + 1, leadId: d.leadId, reportId: d.reportId ?? null, actor: d.actor,
      action: d.action, at: d.at, data: canonicalJson(d.data), prevHash: hash,
    };
    const h = eventHash(e);
    out.push({ ...e, hash: h });
    seq = e.seq;
    hash = h;
  }
  return out;
}

export type VerifyResult =
  | { ok: true; checked: number }
  | { ok: false; checked: number; seq: number; reason: string };

/**
 * Walks the record in seq order. The first entry whose seq skips, whose prev_hash does not
 * match its predecessor or whose own hash does not match its content is reported; so is a
 * head (the last seq and hash the database says it wrote) that the record does not reach.
 */
export async function verifyChain(
  events: AsyncIterable<ChainedEvent> | Iterable<ChainedEvent>,
  head: { seq: number; hash: string },
): Promise<VerifyResult> {
  let prev = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for await (const e of events) {
    if (e.seq !== prev.seq + 1) {
      return { ok: false, checked, seq: prev.seq + 1, reason: `记录缺失：第 ${prev.seq + 1} 条不存在（下一条为第 ${e.seq} 条）` };
    }
    if (e.prevHash !== prev.hash) {
      return { ok: false, checked, seq: e.seq, reason: `第 ${e.seq} 条的前序哈希与第 ${prev.seq} 条不符` };
    }
    const { hash, ...rest } = e;
    if (eventHash(rest) !== hash) {
      return { ok: false, checked, seq: e.seq, reason: `第 ${e.seq} 条的内容已被改动（哈希不符）` };
    }
    checked++;
    prev = { seq: e.seq, hash };
  }
  if (prev.seq !== head.seq || prev.hash !== head.hash) {
    return { ok: false, checked, seq: prev.seq + 1, reason: `记录在第 ${prev.seq} 条之后缺失（应有 ${head.seq} 条）` };
  }
  return { ok: true, checked };
}
