// What every command shares: the one-line error, the database it opens (and says which), times
// read and printed in the bureau's zone.
import { isIsoDate } from '../domain/calendar/index.ts';
import { zonedInstant } from '../domain/calendar/timeZone.ts';
import type { Config } from '../runtime/config.ts';
import { connect, type Database } from '../runtime/database.ts';
import { describeSettings } from '../runtime/describe.ts';

/** A usage or input error: one line on standard error, exit 2. */
export class CliError extends Error {}

/** Where a command writes: results on standard output, notes (which settings) on standard error. */
export interface Io {
  out(line: string): void;
  note(line: string): void;
}

export const stdio: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  note: (s) => process.stderr.write(s + '\n'),
};

/** Opens the configured database for one command, saying on standard error which one (and which mail transport). */
export async function withDatabase<T>(config: Config, fn: (d: Database) => Promise<T>, io: Io = stdio): Promise<T> {
  io.note(`xiansuo: ${describeSettings(config)}`);
  const database = connect(config.databaseUrl);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** An ISO 8601 time; without an offset it is read in the bureau's zone (XIANSUO_TZ). */
export function parseInstant(value: string, tz: string, flag: string): Date {
  const m = INSTANT.exec(value.trim());
  const bad = () => new CliError(`${flag} 应为时间，如 2026-03-05T09:00（按 ${tz} 理解）或 2026-03-05T09:00:00+08:00，收到 “${value}”`);
  if (!m || !isIsoDate(m[1]!)) throw bad();
  const [, date, hh, mm, ss, frac, offset] = m as unknown as [string, string, string, string, string?, string?, string?];
  const at = offset
    ? new Date(value.trim().replace(' ', 'T'))
    : new Date(zonedInstant(date, { hour: Number(hh), minute: Number(mm), second: Number(ss ?? 0) }, tz) + Math.round(Number(frac ?? 0) * 1000));
  if (Number.isNaN(at.getTime()) || Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59) throw bad();
  return at;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** '2026-03-05 09:00:00' in the bureau's zone. */
export function formatLocal(at: Date | string, tz: string): string {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(tz, f);
  }
  return f.format(typeof at === 'string' ? new Date(at) : at);
}

/** 'YYYY-MM-DD HH:mm' in the bureau's zone. */
export function localTime(at: string, tz: string): string {
  return formatLocal(at, tz).slice(0, 16);
}
