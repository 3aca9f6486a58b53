// The README works as written: every JSON example in it is valid (configuration files through the
// service's own loader, rules through the rule schema, payloads through the source's schema), the
// settings examples load, and the curl journey of the Quick start runs, start to stop, against
// the real service (the port and the temporary paths replaced, nothing else).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rule } from '../src/domain/routing/rules.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { effectiveConfig } from '../src/runtime/configFile.ts';
import { parseEnvFile } from '../src/runtime/settings.ts';
import { verifyAudit } from '../src/db/stores/audit.ts';
import { connect } from '../src/runtime/database.ts';
import { dialects, freshDatabase } from './helpers/dialects.ts';
import { freePort } from './helpers/server.ts';

const readme = readFileSync('README.md', 'utf8');

/** Fenced blocks of a language, with the heading they are under. */
function blocks(lang: string): { heading: string; code: string }[] {
  const out: { heading: string; code: string }[] = [];
  let heading = '';
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^#{2,4} /.test(lines[i]!)) heading = lines[i]!.replace(/^#+ /, '');
    if (lines[i] === '```' + lang) {
      const start = i + 1;
      while (lines[++i] !== '```') if (i >= lines.length) throw new Error('unclosed block');
      out.push({ heading, code: lines.slice(start, i).join('\n') });
    }
  }
  return out;
}

describe('README examples', () => {
  const json = blocks('json');

  it('has JSON examples, and every one parses', () => {
    expect(json.length).toBeGreaterThanOrEqual(2);
    for (const b of json) expect(() => JSON.parse(b.code), `${b.heading}:\n${b.code}`).not.toThrow();
  });

  it('every configuration example is a valid XIANSUO_CONFIG, and every rule example a valid rule', () => {
    let configs = 0;
    let rules = 0;
    for (const b of json) {
      const value = JSON.parse(b.code) as Record<string, unknown>;
      if (['directory', 'routing', 'deadlines', 'dedupe'].some((k) => k in value)) {
        expect(() => effectiveConfig(value, b.heading), `${b.heading}:\n${b.code}`).not.toThrow();
        configs++;
      } else if ('match' in value && 'id' in value) {
        expect(Rule.safeParse(value).success, b.code).toBe(true);
        rules++;
      } else if ('thresholds' in value || 'windowDays' in value) {
        expect(() => effectiveConfig({ dedupe: value }, b.heading), b.code).not.toThrow();
        configs++;
      } else {
        throw new Error(`a README JSON example this test does not know how to check (under “${b.heading}”):\n${b.code}`);
      }
    }
    expect(configs).toBeGreaterThanOrEqual(1);
    expect(rules).toBeGreaterThanOrEqual(1);
  });

  it('every settings-file example loads', () => {
    const envBlocks = blocks('ini');
    expect(envBlocks.length).toBeGreaterThanOrEqual(1);
    // XIANSUO_CONFIG names the README's own configuration example.
    const example = json.find((b) => b.code.includes('"directory"'))!;
    const file = join(mkdtempSync(join(tmpdir(), 'xiansuo-readme-')), 'config.json');
    writeFileSync(file, example.code);
    for (const b of envBlocks) {
      const values = parseEnvFile(b.code, b.heading);
      if (values.XIANSUO_CONFIG) values.XIANSUO_CONFIG = file;
      const config = loadConfig(values);
      expect(config.directory.agencies.find((a) => a.code === 'urban')!.email).toBe('cgj@lst.gov.cn');
    }
  });
});

describe.each(await dialects())('the README curl journey on %s', (dialect) => {
  it('runs as written: every call answers 2xx, the lead is closed, the record verifies, the service stops', async () => {
    const journey = blocks('bash').find((b) => b.heading === 'The whole journey with curl');
    expect(journey).toBeTruthy();
    const database = await freshDatabase(dialect);
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-readme-'));
    const port = await freePort();
    const script = journey!.code.replaceAll('localhost:3000', `localhost:${port}`).replaceAll('/tmp/xiansuo-first.txt', join(dir, 'first.txt'));
    const env: Record<string, string> = {
      ...Object.fromEntries(Object.entries(process.env as Record<string, string>).filter(([k]) => !/^(XIANSUO|WEBHOOK|SMTP|MAIL)_|^(DATABASE_URL|HOST)$/.test(k))),
      PORT: String(port), DATABASE_URL: database.url, XIANSUO_MAIL_DIR: join(dir, 'mail'),
      ...(database.pgSchema ? { PGOPTIONS: `-c search_path=${database.pgSchema}` } : {}),
    };
    const bash = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: process.cwd(), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    bash.stdout!.on('data', (d) => { out += d; });
    bash.stderr!.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { try { process.kill(-bash.pid!, 'SIGKILL'); } catch { /* gone */ } }, 170_000);
    // 'close': bash has exited and so has every process that held its output (the service it started).
    const code = await new Promise<number | null>((r) => bash.once('close', (c) => r(c)));
    clearTimeout(timer);
    // Whatever happened, nothing of this journey keeps running.
    try { process.kill(-bash.pid!, 'SIGTERM'); } catch { /* all gone */ }
    try {
      expect(code, `${out}\n${err}`).toBe(0);
      expect(out).toMatch(/"duplicate":false\}\s*HTTP 202/);
      expect(out).toMatch(/"status":"triage"/);
      expect(out).toMatch(/"status":"closed"/);
      expect(out).not.toMatch(/"status":4\d\d/);
      expect(out).toMatch(/主题：【办结|主题：【审核通过】/);
      expect(out).toContain('预演（未写入任何数据，未发送任何消息');
      expect(out).toMatch(/全过程记录完整：已校验 \d+ 条/);
      expect(out).toContain('xiansuo 已停止');
      expect(err).toMatch(/xiansuo: 数据库 /);
      const db = connect(database.url, { pgSchema: database.pgSchema });
      try {
        expect((await verifyAudit(db.db)).ok).toBe(true);
        expect(await db.db.selectFrom('leads').select('status').execute()).toEqual([{ status: 'closed' }]);
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
    }
  }, 180_000);
});
