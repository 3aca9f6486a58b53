import { describe, expect, it } from 'vitest';
import type { StatsTable } from '../../domain/statsTables.ts';
import { statsCsv } from './csv.ts';

const table: StatsTable = {
  key: 'x', title: '测试',
  columns: [{ header: '名称', kind: 'text' }, { header: '数', kind: 'count' }, { header: '率', kind: 'rate' }],
  rows: [['甲,乙 "丙"', 3, 0.4286], ['=HYPERLINK("x")', 0, null]],
};

describe('statsCsv', () => {
  it('starts with a BOM, quotes what needs it, prints rates as percentages and never a formula', () => {
    expect(statsCsv([table], { from: '2026-01-01', to: '2026-12-31' })).toBe(
      '\uFEFF统计期间,2026-01-01 至 2026-12-31\r\n\r\n【测试】\r\n名称,数,率\r\n"甲,乙 ""丙""",3,42.9%\r\n"\'=HYPERLINK(""x"")",0,\r\n',
    );
  });
  it('gives one table alone', () => {
    expect(statsCsv([table], { from: 'a', to: 'b' }, 'x')).toBe('\uFEFF名称,数,率\r\n"甲,乙 ""丙""",3,42.9%\r\n"\'=HYPERLINK(""x"")",0,\r\n');
    expect(() => statsCsv([table], { from: 'a', to: 'b' }, 'y')).toThrow();
  });
});
