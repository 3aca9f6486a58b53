import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFile, readSettings } from './settings.ts';

describe('parseEnvFile', () => {
  it('reads NAME=value lines, comments, export, quotes and trailing comments', () => {
    expect(parseEnvFile([
      '# a comment', '', 'PORT=3001', 'export HOST = 127.0.0.1', 'MAIL_FROM="办公室 <a@b.cn>"  # quoted',
      "XIANSUO_TZ='Asia/Shanghai'", 'SMTP_URL=smtp://h:25 # trailing', 'EMPTY=',
    ].join('\n'), 'f')).toEqual({
      PORT: '3001', HOST: '127.0.0.1', MAIL_FROM: '办公室 <a@b.cn>', XIANSUO_TZ: 'Asia/Shanghai', SMTP_URL: 'smtp://h:25', EMPTY: '',
    });
  });

  it('names the line of each kind of bad line', () => {
    expect(() => parseEnvFile('PORT=1\nnot a setting', 'x.env')).toThrow(/x\.env 第 2 行/);
    expect(() => parseEnvFile('port=1', 'x.env')).toThrow(/第 1 行.*port/);
    expect(() => parseEnvFile('A="open', 'x.env')).toThrow(/第 1 行.*引号/);
    expect(() => parseEnvFile('A=1\nA=2', 'x.env')).toThrow(/第 2 行.*重复/);
  });
});

describe('readSettings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiansuo-settings-'));
  it('reads ./xiansuo.env, and the environment wins over it', () => {
    writeFileSync(join(dir, 'xiansuo.env'), 'PORT=4000\nHOST=127.0.0.1\n');
    const s = readSettings({ PORT: '5000' }, dir);
    expect(s.values).toMatchObject({ PORT: '5000', HOST: '127.0.0.1' });
    expect(s.file).toBe(join(dir, 'xiansuo.env'));
  });
  it('reads the file XIANSUO_ENV_FILE names, and refuses one that is missing', () => {
    writeFileSync(join(dir, 'other.env'), 'PORT=4001\n');
    expect(readSettings({ XIANSUO_ENV_FILE: 'other.env' }, dir).values.PORT).toBe('4001');
    expect(() => readSettings({ XIANSUO_ENV_FILE: 'missing.env' }, dir)).toThrow(/XIANSUO_ENV_FILE “missing\.env”：文件不存在/);
  });
  it('needs no file at all', () => {
    const empty = mkdtempSync(join(tmpdir(), 'xiansuo-settings-'));
    expect(readSettings({ PORT: '1' }, empty)).toEqual({ values: { PORT: '1' }, fromFile: {} });
  });
});
