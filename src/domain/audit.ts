// The full-process record (执法全过程记录): every change is an event, chained by hash so that
// any altered, inserted or missing entry is found by verifyChain.
//
// Plain chain: hash = SHA-256(fields, prev_hash). Anyone who can write to the database can
// rewrite an entry and compute the chain again, so with XIANSUO_AUDIT_KEY set the chain is keyed:
// from seq `keyedFrom` on, hash = HMAC-SHA-256(key, fields, prev_hash). Entries before it keep
// their plain hashes and stay protected, because the first keyed entry holds the last plain hash.
// Where the keyed part starts is stored with the chain head together with the key's id and a MAC
// of both under the key (KeyMarker), so it cannot be moved or dropped without the key.
import { canonicalJson, hmacSha256Hex, sha256Hex } from './crypto.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface EventDraft {
  leadId: string | null;
  reportId?: string | null;
  actor: string;
  action: string;
  at: string;
  data: Record<string, unknown>;
  /** Set by the write itself (never by callers): the lead's recorded state after the write, canonical JSON. */
  state?: string | null;
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
  /** Canonical JSON text or null (older entries, and all but a lead's last entry of a write). */
  state: string | null;
  prevHash: string;
  hash: string;
}

/** XIANSUO_AUDIT_KEY, ready to use. */
export interface AuditKey {
  bytes: Uint8Array;
  /** Names the key without revealing it: the first 16 hex digits of an HMAC of a fixed text. */
  id: string;
}

/** Where the keyed part of the chain starts, as stored beside the chain head. */
export interface KeyMarker {
  keyedFrom: number;
  keyId: string;
  mac: string;
}

function hmacHex(key: AuditKey, text: string): string {
  return hmacSha256Hex(key.bytes, text);
}

export function auditKey(secret: string): AuditKey {
  const bytes = new TextEncoder().encode(secret);
  return { bytes, id: hmacSha256Hex(bytes, 'xiansuo audit key id').slice(0, 16) };
}

export function keyMarker(key: AuditKey, keyedFrom: number): KeyMarker {
  return { keyedFrom, keyId: key.id, mac: hmacHex(key, `xiansuo audit keyed from ${keyedFrom} with ${key.id}`) };
}

/** The entry's hash: keyed when a key is given. The state is hashed only when present, so older entries hash as they did. */
export function eventHash(e: Omit<ChainedEvent, 'hash'>, key?: AuditKey): string {
  const fields = [e.seq, e.leadId ?? '', e.reportId ?? '', e.actor, e.action, e.at, e.data, e.prevHash];
  if (e.state !== null && e.state !== undefined) fields.push(e.state);
  const text = fields.join('\u001f');
  return key ? hmacHex(key, text) : sha256Hex(text);
}

/** Chains drafts after the head (seq, hash); entries from `keyedFrom` on are hashed with the key. */
export function chain(
  head: { seq: number; hash: string }, drafts: EventDraft[], keyed?: { key: AuditKey; from: number },
): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let { seq, hash } = head;
  for (const d of drafts) {
    const e = {
      seq: seq + 1, leadId: d.leadId, reportId: d.reportId ?? null, actor: d.actor,
      action: d.action, at: d.at, data: canonicalJson(d.data), state: d.state ?? null, prevHash: hash,
    };
    const h = eventHash(e, keyed && e.seq >= keyed.from ? keyed.key : undefined);
    out.push({ ...e, hash: h });
    seq = e.seq;
    hash = h;
  }
  return out;
}

export type VerifyResult =
  | { ok: true; checked: number; keyedFrom: number | null }
  /** `seq`: the entry named, when one is to blame. */
  | { ok: false; checked: number; seq?: number; reason: string };

export interface VerifyOptions {
  /** XIANSUO_AUDIT_KEY, when the verifier has it. */
  key?: AuditKey;
  /** The stored marker of the keyed part, if any. */
  marker?: KeyMarker | null;
  /** A published chain head (seq and hash): the entry at seq must have that hash. */
  anchor?: { seq: number; hash: string };
}

/** Parses `SEQ:HASH` as printed in the daily digest and the log; undefined when it is not one. */
export function parseAnchor(text: string): { seq: number; hash: string } | undefined {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/i.exec(text.trim());
  if (!m || Number(m[1]) < 1) return undefined;
  return { seq: Number(m[1]), hash: m[2]!.toLowerCase() };
}

/**
 * Walks the record in seq order. The first entry whose seq skips, whose prev_hash does not
 * match its predecessor or whose own hash does not match its content is reported; so is a
 * head (the last seq and hash the database says it wrote) that the record does not reach, a
 * published anchor the record does not hold, and a keyed part whose marker does not check.
 */
export async function verifyChain(
  events: AsyncIterable<ChainedEvent> | Iterable<ChainedEvent>,
  head: { seq: number; hash: string },
  opts: VerifyOptions = {},
): Promise<VerifyResult> {
  const { key, marker, anchor } = opts;
  if (key && !marker) {
    return { ok: false, checked: 0, reason: '已设置 XIANSUO_AUDIT_KEY，但全过程记录中没有启用密钥的标记（服务尚未以此密钥写入过，或标记已被删除）' };
  }
  if (key && marker) {
    if (marker.keyId !== key.id) {
      return { ok: false, checked: 0, reason: `XIANSUO_AUDIT_KEY 与全过程记录所用的密钥不符（记录所用密钥编号 ${marker.keyId}，此密钥编号 ${key.id}）` };
    }
    if (keyMarker(key, marker.keyedFrom).mac !== marker.mac) {
      return { ok: false, checked: 0, seq: marker.keyedFrom, reason: `启用密钥的标记（自第 ${marker.keyedFrom} 条起）已被改动` };
    }
  }
  const keyedFrom = marker ? marker.keyedFrom : null;
  let prev = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for await (const e of events) {
    if (e.seq !== prev.seq + 1) {
      return { ok: false, checked, seq: prev.seq + 1, reason: `记录缺失：第 ${prev.seq + 1} 条不存在（下一条为第 ${e.seq} 条）` };
    }
    if (e.prevHash !== prev.hash) {
      return { ok: false, checked, seq: e.seq, reason: `第 ${e.seq} 条的前序哈希与第 ${prev.seq} 条不符` };
    }
    const isKeyed = keyedFrom !== null && e.seq >= keyedFrom;
    if (isKeyed && !key) {
      return { ok: false, checked, seq: e.seq, reason: `第 ${e.seq} 条起的记录以密钥签名，校验需要设置 XIANSUO_AUDIT_KEY` };
    }
    const { hash, ...rest } = e;
    if (eventHash(rest, isKeyed ? key : undefined) !== hash) {
      return { ok: false, checked, seq: e.seq, reason: `第 ${e.seq} 条的内容已被改动（${isKeyed ? '密钥签名' : '哈希'}不符）` };
    }
    if (anchor && e.seq === anchor.seq && hash !== anchor.hash) {
      return { ok: false, checked, seq: e.seq, reason: `第 ${e.seq} 条与公布的链头不符（记录中为 ${hash}，公布的为 ${anchor.hash}）` };
    }
    checked++;
    prev = { seq: e.seq, hash };
  }
  if (prev.seq !== head.seq || prev.hash !== head.hash) {
    return { ok: false, checked, seq: prev.seq + 1, reason: `记录在第 ${prev.seq} 条之后缺失（应有 ${head.seq} 条）` };
  }
  if (anchor && anchor.seq > prev.seq) {
    return { ok: false, checked, seq: anchor.seq, reason: `公布的链头为第 ${anchor.seq} 条，但记录只到第 ${prev.seq} 条：其后的记录已被删除` };
  }
  if (keyedFrom !== null && keyedFrom > prev.seq + 1) {
    return { ok: false, checked, seq: keyedFrom, reason: `启用密钥的标记指向第 ${keyedFrom} 条，但记录只到第 ${prev.seq} 条` };
  }
  return { ok: true, checked, keyedFrom };
}
