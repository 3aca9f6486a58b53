import { describe, expect, it } from 'vitest';
import { chain, GENESIS_HASH, verifyChain } from './audit.ts';

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
