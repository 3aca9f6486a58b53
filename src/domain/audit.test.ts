import { describe, expect, it } from 'vitest';
import { auditKey, chain, GENESIS_HASH, keyMarker, parseAnchor, verifyChain } from './audit.ts';
import { sha256Hex } from './crypto.ts';

const drafts = [1, 2, 3].map((i) => ({ leadId: `XS-2026-00000${i}`, actor: 'test', action: 'lead.created', at: `2026-03-0${i}T00:00:00.000Z`, data: { i, b: [1, { z: 1, a: 2 }] } }));

describe('hash chain', () => {
  it('chains from the genesis hash and verifies', async () => {
    const events = chain({ seq: 0, hash: GENESIS_HASH }, drafts);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(await verifyChain(events, { seq: 3, hash: events[2]!.hash })).toEqual({ ok: true, checked: 3, keyedFrom: null });
  });

  it('stores data canonically: key order does not change the hash', async () => {
    const [a] = chain({ seq: 0, hash: GENESIS_HASH }, [{ ...drafts[0]!, data: { x: 1, y: 2 } }]);
    const [b] = chain({ seq: 0, hash: GENESIS_HASH }, [{ ...drafts[0]!, data: { y: 2, x: 1 } }]);
    expect(a!.hash).toBe(b!.hash);
  });

  it('finds an altered, a re-hashed, a missing and a truncated entry', async () => {
    const events = chain({ seq: 0, hash: GENESIS_HASH }, drafts);
    const head = { seq: 3, hash: events[2]!.hash };
    const altered = events.map((e) => (e.seq === 2 ? { ...e, actor: 'mallory' } : e));
    expect(await verifyChain(altered, head)).toMatchObject({ ok: false, seq: 2 });
    const rehashed = chain({ seq: 1, hash: events[0]!.hash }, [{ ...drafts[1]!, actor: 'mallory' }]);
    expect(await verifyChain([events[0]!, rehashed[0]!, events[2]!], head)).toMatchObject({ ok: false, seq: 3 });
    expect(await verifyChain([events[0]!, events[2]!], head)).toMatchObject({ ok: false, seq: 2 });
    expect(await verifyChain(events.slice(0, 2), head)).toMatchObject({ ok: false, seq: 3 });
  });
});

describe('keyed chain', () => {
  const key = auditKey('a-key-of-thirty-two-characters-or-more');
  const other = auditKey('another-key-of-thirty-two-characters-or-more');

  it('hashes an entry without a recorded state exactly as before the state existed', () => {
    const [e] = chain({ seq: 0, hash: GENESIS_HASH }, [drafts[0]!]);
    const old = sha256Hex([1, 'XS-2026-000001', '', 'test', 'lead.created', '2026-03-01T00:00:00.000Z', e!.data, GENESIS_HASH].join('\u001f'));
    expect(e!.state).toBeNull();
    expect(e!.hash).toBe(old);
  });

  it('hashes the recorded state when there is one', () => {
    const [a] = chain({ seq: 0, hash: GENESIS_HASH }, [{ ...drafts[0]!, state: '{"status":"triage"}' }]);
    const [b] = chain({ seq: 0, hash: GENESIS_HASH }, [{ ...drafts[0]!, state: '{"status":"closed"}' }]);
    expect(a!.hash).not.toBe(b!.hash);
  });

  it('keys entries from the marker on; earlier plain entries still verify; a plain re-hash is found', async () => {
    const plain = chain({ seq: 0, hash: GENESIS_HASH }, drafts.slice(0, 2));
    const keyed = chain({ seq: 2, hash: plain[1]!.hash }, drafts.slice(2), { key, from: 3 });
    const events = [...plain, ...keyed];
    const head = { seq: 3, hash: keyed[0]!.hash };
    const marker = keyMarker(key, 3);
    expect(await verifyChain(events, head, { key, marker })).toEqual({ ok: true, checked: 3, keyedFrom: 3 });
    // Someone without the key rewrites entry 3 and computes its plain hash.
    const forged = chain({ seq: 2, hash: plain[1]!.hash }, [{ ...drafts[2]!, actor: 'mallory' }]);
    expect(await verifyChain([...plain, ...forged], { seq: 3, hash: forged[0]!.hash }, { key, marker })).toMatchObject({ ok: false, seq: 3 });
    // … or rewrites entry 1 and the plain part after it: the first keyed entry no longer follows.
    const forged1 = chain({ seq: 0, hash: GENESIS_HASH }, [{ ...drafts[0]!, actor: 'mallory' }, drafts[1]!]);
    expect(await verifyChain([...forged1, ...keyed], head, { key, marker })).toMatchObject({ ok: false, seq: 3 });
    // The marker cannot be moved, dropped, or checked with another key.
    expect(await verifyChain(events, head, { key, marker: { ...marker, keyedFrom: 4 } })).toMatchObject({ ok: false });
    expect(await verifyChain(events, head, { key, marker: null })).toMatchObject({ ok: false });
    expect(await verifyChain(events, head, { key: other, marker })).toMatchObject({ ok: false, reason: expect.stringContaining('密钥不符') });
    // Without the key, the keyed part cannot be vouched for.
    expect(await verifyChain(events, head, { marker })).toMatchObject({ ok: false, seq: 3, reason: expect.stringContaining('XIANSUO_AUDIT_KEY') });
  });

  it('checks a published head', async () => {
    const events = chain({ seq: 0, hash: GENESIS_HASH }, drafts);
    const head = { seq: 3, hash: events[2]!.hash };
    expect(await verifyChain(events, head, { anchor: { seq: 2, hash: events[1]!.hash } })).toMatchObject({ ok: true });
    expect(await verifyChain(events, head, { anchor: { seq: 2, hash: events[0]!.hash } })).toMatchObject({ ok: false, seq: 2 });
    expect(await verifyChain(events, head, { anchor: { seq: 9, hash: events[0]!.hash } })).toMatchObject({ ok: false, seq: 9 });
  });

  it('parses SEQ:HASH', () => {
    const h = 'ab'.repeat(32);
    expect(parseAnchor(`12:${h}`)).toEqual({ seq: 12, hash: h });
    expect(parseAnchor(`12:${h.toUpperCase()}`)).toEqual({ seq: 12, hash: h });
    for (const bad of ['', '12', `0:${h}`, `x:${h}`, `12:${h.slice(1)}`, `12:${h}0`, `-1:${h}`]) expect(parseAnchor(bad), bad).toBeUndefined();
  });
});
