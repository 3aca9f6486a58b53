// The hotspot rule's thresholds: built-in, then XIANSUO_CONFIG's `hotspots`, then XIANSUO_HOTSPOT_*.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTSPOT_RULE } from '../domain/hotspots.ts';
import { loadConfig } from './config.ts';
import { effectiveConfig } from './configFile.ts';

const file = (content: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'xiansuo-hotspots-')), 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('hotspot thresholds as configuration', () => {
  it('defaults to the built-in rule', () => {
    expect(loadConfig({}).hotspots).toEqual(DEFAULT_HOTSPOT_RULE);
    expect(DEFAULT_HOTSPOT_RULE).toEqual({ windowDays: 7, baselineDays: 90, minLeads: 5, maxProbability: 0.001 });
  });
  it('takes the file\'s values, and the environment\'s over them', () => {
    const path = file({ hotspots: { windowDays: 14, minLeads: 8 } });
    expect(loadConfig({ XIANSUO_CONFIG: path }).hotspots).toEqual({ ...DEFAULT_HOTSPOT_RULE, windowDays: 14, minLeads: 8 });
    expect(loadConfig({ XIANSUO_CONFIG: path, XIANSUO_HOTSPOT_MIN_LEADS: '3', XIANSUO_HOTSPOT_MAX_PROBABILITY: '0.01' }).hotspots)
      .toEqual({ windowDays: 14, baselineDays: 90, minLeads: 3, maxProbability: 0.01 });
  });
  it('refuses bad thresholds with one Chinese line naming the variable or the file\'s key', () => {
    expect(() => loadConfig({ XIANSUO_HOTSPOT_MAX_PROBABILITY: '0.9' })).toThrow(/^配置错误：XIANSUO_HOTSPOT_MAX_PROBABILITY：/);
    expect(() => loadConfig({ XIANSUO_HOTSPOT_WINDOW_DAYS: 'seven' })).toThrow(/XIANSUO_HOTSPOT_WINDOW_DAYS/);
    expect(() => effectiveConfig({ hotspots: { windowDays: 0 } }, 'x.json')).toThrow(/hotspots\.windowDays/);
    expect(() => effectiveConfig({ hotspots: { window: 7 } }, 'x.json')).toThrow(/未知的键 “window”/);
    expect(() => effectiveConfig({ hotspots: [] }, 'x.json')).toThrow(/hotspots 应为对象/);
  });
});
