import type { Clock } from '../domain/types.ts';

export const systemClock: Clock = { now: () => new Date() };

/** XIANSUO_CLOCK: starts at `start` and runs on in real time from there. */
export function shiftedClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
