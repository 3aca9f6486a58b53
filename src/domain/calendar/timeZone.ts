// Instants and local wall-clock time in an IANA time zone, with Intl only (runs on Node and on
// Cloudflare Workers alike; never the machine's own zone).

import { pad2, type IsoDate } from './civilDate.ts';

/** An instant: an ISO 8601 string with an explicit offset or 'Z', a Date, or epoch milliseconds. */
export type Instant = string | Date | number;

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

// A string without an offset would be read in the machine's zone, so it is refused.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Milliseconds since the epoch; throws a RangeError for an invalid or zone-less instant. */
export function toEpochMs(instant: Instant): number {
  if (typeof instant === 'number') {
    if (!Number.isFinite(instant)) throw new RangeError(`invalid epoch milliseconds: ${instant}`);
    return instant;
  }
  if (instant instanceof Date) {
    const ms = instant.getTime();
    if (Number.isNaN(ms)) throw new RangeError('invalid Date');
    return ms;
  }
  if (!ISO_INSTANT.test(instant)) {
    throw new RangeError(`not an ISO 8601 instant with an offset or 'Z': ${JSON.stringify(instant)}`);
  }
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant: ${JSON.stringify(instant)}`);
  return ms;
}

/** '2026-02-14T15:59:59.000Z' */
export function toIsoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23',
        year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      throw new RangeError(`unknown time zone: ${JSON.stringify(timeZone)}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The local wall-clock reading of an instant, as if it were UTC (whole seconds). Zones change their
 * offset only on quarter-hour boundaries, so the offset is cached per zone and quarter hour:
 * formatToParts is the slowest thing on the intake path otherwise.
 */
function wallClockMs(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const key = `${timeZone}|${Math.floor(whole / QUARTER_HOUR_MS)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = readWallClockMs(whole, timeZone) - whole;
    if (offsetCache.size >= 50_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return whole + offset;
}

const QUARTER_HOUR_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();

function readWallClockMs(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const hour = parts.hour === 24 ? 0 : (parts.hour ?? 0);
  return Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, hour, parts.minute ?? 0, parts.second ?? 0);
}

/** The zone's offset from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function offsetMs(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallClockMs(whole, timeZone) - whole;
}

/** The local calendar date of an instant in a time zone. */
export function localDate(instant: Instant, timeZone: string): IsoDate {
  const wall = new Date(wallClockMs(toEpochMs(instant), timeZone));
  return `${wall.getUTCFullYear()}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`;
}

/**
 * The instant (epoch ms) at which the local clock of `timeZone` reads `time` on `date`.
 * Like Temporal's 'compatible' disambiguation: a reading that occurs twice (clocks set back)
 * gives the earlier instant; a reading that never occurs (clocks set forward) gives the instant
 * the clock jumps past it, shifted by the gap.
 */
export function zonedInstant(date: IsoDate, time: { hour: number; minute?: number; second?: number }, timeZone: string): number {
  const wall = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)),
    time.hour, time.minute ?? 0, time.second ?? 0);
  const before = offsetMs(wall - 86_400_000, timeZone);
  const after = offsetMs(wall + 86_400_000, timeZone);
  const valid = [...new Set([before, after])]
    .map((o) => wall - o)
    .filter((t) => wallClockMs(t, timeZone) === wall)
    .sort((a, b) => a - b);
  const first = valid[0];
  if (first !== undefined) return first;
  return wall - Math.min(before, after); // in a gap: the offset before the jump
}

/** 00:00:00 local on `date`. */
export function startOfLocalDay(date: IsoDate, timeZone: string): number {
  return zonedInstant(date, { hour: 0 }, timeZone);
}

/** 23:59:59 local on `date` (the end of a "within N working days" deadline). */
export function endOfLocalDay(date: IsoDate, timeZone: string): number {
  return zonedInstant(date, { hour: 23, minute: 59, second: 59 }, timeZone);
}
