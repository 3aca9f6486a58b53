// Calendar dates without a time or a time zone ('YYYY-MM-DD', proleptic Gregorian),
// computed on a day number (days since 1970-01-01) so no local clock or zone is involved.

/** A calendar date written 'YYYY-MM-DD'. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True when `value` is a real calendar date written 'YYYY-MM-DD' (so '2026-02-30' is false). */
export function isIsoDate(value: string): boolean {
  if (typeof value === 'string' && validDates.has(value)) return true;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = new Date(Date.UTC(y, mo - 1, d));
  const ok = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
  if (ok) {
    if (validDates.size >= 100_000) validDates.clear();
    validDates.add(value);
  }
  return ok;
}

/** Dates already checked: the calendar walks the same few hundred days over and over. */
const validDates = new Set<string>();

/** Throws a RangeError naming the value unless it is a real 'YYYY-MM-DD' date. */
export function assertIsoDate(value: string): IsoDate {
  if (!isIsoDate(value)) throw new RangeError(`not a calendar date 'YYYY-MM-DD': ${JSON.stringify(value)}`);
  return value;
}

/** Days since 1970-01-01. */
export function toDayNumber(date: IsoDate): number {
  assertIsoDate(date);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

export function fromDayNumber(day: number): IsoDate {
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear();
  if (y < 1000 || y > 9999) throw new RangeError(`date out of range: day ${day}`);
  return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return (((toDayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function isWeekend(date: IsoDate): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
