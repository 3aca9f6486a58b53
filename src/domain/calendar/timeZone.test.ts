import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  endOfLocalDay, isValidTimeZone, localDate, startOfLocalDay, toEpochMs, toIsoInstant, zonedInstant,
} from './timeZone.ts';

const iso = (ms: number) => toIsoInstant(ms);

describe('time zones through Intl', () => {
  it('gives the local day of an instant', () => {
    expect(localDate('2026-02-13T15:59:59Z', 'Asia/Shanghai')).toBe('2026-02-13');
    expect(localDate('2026-02-13T16:00:00Z', 'Asia/Shanghai')).toBe('2026-02-14');
    expect(localDate('2026-02-14T00:30:00+08:00', 'UTC')).toBe('2026-02-13');
  });

  it('gives the start and end of a local day', () => {
    expect(iso(startOfLocalDay('2026-02-14', 'Asia/Shanghai'))).toBe('2026-02-13T16:00:00.000Z');
    expect(iso(endOfLocalDay('2026-02-14', 'Asia/Shanghai'))).toBe('2026-02-14T15:59:59.000Z');
    expect(iso(endOfLocalDay('2026-02-14', 'Asia/Kolkata'))).toBe('2026-02-14T18:29:59.000Z');
  });

  it('resolves daylight-saving gaps forward and overlaps to the earlier instant', () => {
    // New York, 2026-03-08 02:00 → 03:00; 2026-11-01 02:00 → 01:00.
    expect(iso(zonedInstant('2026-03-08', { hour: 2, minute: 30 }, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedInstant('2026-11-01', { hour: 1, minute: 30 }, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(endOfLocalDay('2026-03-08', 'America/New_York'))).toBe('2026-03-09T03:59:59.000Z');
    // Santiago moves from 00:00 to 01:00 on 2026-09-06: the day starts at 01:00 -03.
    expect(iso(startOfLocalDay('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
  });

  it('refuses instants without a zone and unknown zones', () => {
    expect(() => toEpochMs('2026-02-13T10:00:00')).toThrow(RangeError);
    expect(() => toEpochMs('yesterday')).toThrow(RangeError);
    expect(() => toEpochMs(new Date(Number.NaN))).toThrow(RangeError);
    expect(toEpochMs('2026-02-13T10:00:00+0800')).toBe(Date.UTC(2026, 1, 13, 2));
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => localDate('2026-02-13T10:00:00Z', 'Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it('puts every instant within its local day', () => {
    const zones = ['Asia/Shanghai', 'UTC', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    fc.assert(fc.property(
      fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
      fc.constantFrom(...zones),
      (ms, tz) => {
        const day = localDate(ms, tz);
        expect(startOfLocalDay(day, tz)).toBeLessThanOrEqual(ms);
        expect(endOfLocalDay(day, tz) + 999).toBeGreaterThanOrEqual(ms);
        expect(localDate(startOfLocalDay(day, tz), tz)).toBe(day);
        expect(localDate(endOfLocalDay(day, tz), tz)).toBe(day);
      },
    ));
  });
});
