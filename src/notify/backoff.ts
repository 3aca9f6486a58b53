// Retry timing for the outbox (mail and group robots): exponential back-off with full jitter.
//
//   ceiling(n) = min(MAX_WAIT_MS, FIRST_WAIT_MS · 2^(n−1))    n = attempts made so far (≥ 1)
//   wait       = max(MIN_WAIT_MS, rand() · ceiling(n))          "full jitter"
//
// So the waits after the 1st, 2nd, 3rd … failure are drawn from [0, 1 min], [0, 2 min], [0, 4 min]
// … up to [0, 60 min] from the 7th failure on. Full jitter spreads the retries of many messages
// that failed together (the SMTP server was down) instead of hammering it in waves when it
// returns. A message is given up (marked dead, the bureau told) only after an attempt made at
// least GIVE_UP_AFTER_MS after the first one has failed too, so every message is tried for at
// least 72 hours; a permanent refusal (5xx: no such mailbox) is dead at once.
//
// Pure: the time and the random source are passed in.

import { toEpochMs, type Instant } from '../domain/calendar/index.ts';

export const FIRST_WAIT_MS = 60_000;
export const MAX_WAIT_MS = 60 * 60_000;
/** A floor so that rand() ≈ 0 never turns into a busy loop. */
export const MIN_WAIT_MS = 1_000;
export const GIVE_UP_AFTER_MS = 72 * 60 * 60_000;

/** The upper bound of the wait after the `attempts`-th failed attempt. */
export function backoffCeilingMs(attempts: number): number {
  const n = Number.isFinite(attempts) ? Math.max(1, Math.floor(attempts)) : 1;
  // 2^30 minutes is far past the cap; keeps the arithmetic finite for absurd inputs.
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(n - 1, 30));
}

/**
 * When to try again after the `attempts`-th attempt (1 = the first) failed at `now`.
 * `rand` returns a number in [0, 1) (Math.random by default; tests pass a constant).
 */
export function nextAttemptAt(attempts: number, now: Instant, rand: () => number = Math.random): Date {
  const r = rand();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  const wait = Math.max(MIN_WAIT_MS, Math.floor(unit * backoffCeilingMs(attempts)));
  return new Date(toEpochMs(now) + wait);
}

/** True once `now` is GIVE_UP_AFTER_MS or more after the first attempt. */
export function pastGiveUp(firstAttemptAt: Instant, now: Instant): boolean {
  return toEpochMs(now) - toEpochMs(firstAttemptAt) >= GIVE_UP_AFTER_MS;
}

export type RetryPlan =
  | { action: 'retry'; at: Date }
  | { action: 'dead'; reason: 'permanent' | 'expired' };

/**
 * What the outbox does with a message whose attempt at `now` just failed: try again later, or
 * give it up (the caller marks it dead and tells the bureau).
 */
export function planRetry(input: {
  /** Attempts made so far, the one that just failed included. */
  attempts: number;
  firstAttemptAt: Instant;
  now: Instant;
  /** The failure is permanent (isPermanentMailError / RobotSendError.permanent). */
  permanent: boolean;
  rand?: () => number;
}): RetryPlan {
  if (input.permanent) return { action: 'dead', reason: 'permanent' };
  if (pastGiveUp(input.firstAttemptAt, input.now)) return { action: 'dead', reason: 'expired' };
  return { action: 'retry', at: nextAttemptAt(input.attempts, input.now, input.rand) };
}
