import { describe, expect, it } from 'vitest';
import {
  FIRST_WAIT_MS, GIVE_UP_AFTER_MS, MAX_WAIT_MS, MIN_WAIT_MS,
  backoffCeilingMs, nextAttemptAt, pastGiveUp, planRetry,
} from './backoff.ts';

const NOW = new Date('2026-03-12T00:30:00.000Z');
const wait = (attempts: number, r: number) => nextAttemptAt(attempts, NOW, () => r).getTime() - NOW.getTime();

describe('nextAttemptAt', () => {
  it('doubles the ceiling from one minute and caps it at one hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(backoffCeilingMs)).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
    expect(backoffCeilingMs(1)).toBe(FIRST_WAIT_MS);
    expect(backoffCeilingMs(1e9)).toBe(MAX_WAIT_MS);
  });

  it('draws the wait uniformly below the ceiling (full jitter)', () => {
    expect(wait(1, 0.5)).toBe(30_000);
    expect(wait(3, 0.5)).toBe(120_000);
    expect(wait(3, 0.999)).toBe(Math.floor(0.999 * 240_000));
    expect(wait(20, 0.25)).toBe(15 * 60_000);
  });

  it('never waits less than a second nor more than an hour, whatever rand returns', () => {
    expect(wait(1, 0)).toBe(MIN_WAIT_MS);
    expect(wait(1, -3)).toBe(MIN_WAIT_MS);
    expect(wait(1, Number.NaN)).toBe(MIN_WAIT_MS);
    expect(wait(30, 7)).toBe(MAX_WAIT_MS);
    expect(wait(0, 0.5)).toBe(30_000); // attempts < 1 read as the first
  });

  it('accepts ISO instants and epoch milliseconds', () => {
    expect(nextAttemptAt(2, '2026-03-12T08:30:00+08:00', () => 0.5).toISOString()).toBe('2026-03-12T00:31:00.000Z');
    expect(nextAttemptAt(2, NOW.getTime(), () => 0.5).toISOString()).toBe('2026-03-12T00:31:00.000Z');
  });

  it('with the longest waits, a message is still tried for 72 hours: about 72 attempts at least', () => {
    // Worst case for the number of attempts is rand → 1 (longest waits).
    let t = NOW.getTime();
    let attempts = 1;
    while (!pastGiveUp(NOW, t)) {
      t = nextAttemptAt(attempts, t, () => 0.999999).getTime();
      attempts++;
    }
    expect(attempts).toBeGreaterThanOrEqual(72);
    expect(attempts).toBeLessThan(90);
  });
});

describe('planRetry', () => {
  const first = '2026-03-09T00:00:00.000Z';
  it('retries a transient failure until 72 hours after the first attempt, then gives up', () => {
    const before = new Date(Date.parse(first) + GIVE_UP_AFTER_MS - 1);
    const at = new Date(Date.parse(first) + GIVE_UP_AFTER_MS);
    expect(planRetry({ attempts: 70, firstAttemptAt: first, now: before, permanent: false, rand: () => 0.5 }))
      .toEqual({ action: 'retry', at: new Date(before.getTime() + 30 * 60_000) });
    expect(planRetry({ attempts: 71, firstAttemptAt: first, now: at, permanent: false }))
      .toEqual({ action: 'dead', reason: 'expired' });
  });

  it('gives up a permanent failure at once', () => {
    expect(planRetry({ attempts: 1, firstAttemptAt: first, now: first, permanent: true }))
      .toEqual({ action: 'dead', reason: 'permanent' });
  });
});
