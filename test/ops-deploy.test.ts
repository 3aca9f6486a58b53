// The deployment files, checked with what this machine has: the Dockerfile's stages, user, health
// check and volume (and its health check run against a real server), compose.yaml parsed by a
// YAML parser, the systemd unit by systemd-analyze, the settings example by our own loader.
// A tool that is missing is named in a printed SKIPPED line.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config.ts';
import { parseEnvFile } from '../src/runtime/settings.ts';
import { startServer, type ServerProcess } from './helpers/server.ts';

const exec = promisify(execFile);

function tool(cmd: string, args: string[]): string | null {
  try {
    execFileSync(cmd, args, { stdio: 'pipe', timeout: 20_000 });
    return null;
  } catch (err) {
    return (err as { code?: string }).code === 'ENOENT' ? `${cmd} is not installed` : String((err as { stderr?: Buffer }).stderr ?? err).trim().split('\n')[0]!;
  }
}

interface Instruction { op: string; args: string; stage: number }

function dockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [op, ...rest] = t.split(/\s+/);
    if (op!.toUpperCase() === 'FROM') stage++;
    out.push({ op: op!.toUpperCase(), args: rest.join(' '), stage });
  }
  return out;
}

describe('Dockerfile', () => {
  const ins = dockerfile(readFileSync('Dockerfile', 'utf8'));
  const last = Math.max(...ins.map((i) => i.stage));
  const final = ins.filter((i) => i.stage === last);

  it('is multi-stage, and the final stage copies from the build stage', () => {
    const froms = ins.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const buildName = /\bAS\s+(\S+)/i.exec(froms[0]!.args)?.[1];
    expect(buildName).toBeTruthy();
    expect(final.some((i) => i.op === 'COPY' && i.args.includes(`--from=${buildName}`))).toBe(true);
    expect(final.some((i) => i.op === 'RUN' && /apt-get install|npm ci/.test(i.args))).toBe(false); // no compilers in the image that runs
  });

  it('runs as a user that is not root, with a health check and a data volume holding the database and the mail', () => {
    const user = final.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeTruthy();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(final.find((i) => i.op === 'HEALTHCHECK')?.args).toMatch(/CMD .*\/healthz/);
    const volume = final.find((i) => i.op === 'VOLUME')?.args ?? '';
    expect(volume).toContain('/data');
    const env = final.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/DATABASE_URL=\/data\//);
    expect(env).toMatch(/XIANSUO_MAIL_DIR=\/data\//);
  });

  it('copies only files that exist, and .dockerignore keeps node_modules, data and secrets out', () => {
    for (const i of ins.filter((x) => x.op === 'COPY' && !x.args.includes('--from'))) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) expect(existsSync(src), src).toBe(true);
    }
    const ignore = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['node_modules', 'data', 'xiansuo.env']) expect(ignore).toContain(p);
    const entry = JSON.parse(final.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
    expect(existsSync(entry[1]!)).toBe(true);
  });

  describe('its health check, run against a real server', () => {
    let server: ServerProcess;
    const check = () => {
      const cmd = JSON.parse(final.find((i) => i.op === 'HEALTHCHECK')!.args.replace(/^.*?CMD\s+/, '')) as string[];
      return (port: number) => exec(cmd[0] === 'node' ? process.execPath : cmd[0]!, cmd.slice(1), { env: { ...process.env, PORT: String(port) } })
        .then(() => 0, (e: { code: number }) => e.code);
    };
    beforeAll(async () => { server = await startServer({ DATABASE_URL: ':memory:' }); });
    afterAll(async () => { await server.kill(); });
    it('passes while the service answers and fails when it does not', async () => {
      expect(await check()(server.port)).toBe(0);
      await server.kill();
      expect(await check()(server.port)).toBe(1);
    });
  });

  it('builds where a Docker engine runs', async () => {
    const why = tool('docker', ['info']);
    if (why) {
      console.warn(`SKIPPED docker build: no Docker engine here (${why}); the Dockerfile was checked statically above`);
      return;
    }
    await exec('docker', ['build', '-q', '-t', 'xiansuo-test', '.'], { timeout: 20 * 60_000 });
  }, 20 * 60_000);
});

describe('compose.yaml', () => {
  const why = tool('python3', ['-c', 'import yaml']);
  if (why) console.warn(`SKIPPED compose.yaml parse: python3 with PyYAML is needed (${why})`);
  it.skipIf(why !== null)('parses as YAML: PostgreSQL with a health check, two app instances on it, volumes declared', () => {
    const json = execFileSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(open("compose.yaml"))))'], { encoding: 'utf8' });
    const c = JSON.parse(json) as { services: Record<string, Record<string, unknown>>; volumes: Record<string, unknown> };
    expect(c.services.db!.image).toMatch(/^postgres:/);
    expect(c.services.db!.healthcheck).toBeTruthy();
    const apps = Object.entries(c.services).filter(([, s]) => s.build === '.');
    expect(apps.map(([n]) => n)).toEqual(['app1', 'app2']);
    for (const [, s] of apps) {
      const env = s.environment as Record<string, string>;
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/xiansuo:\$\{POSTGRES_PASSWORD\}@db:5432\/xiansuo$/);
      // What the service makes of it, once compose has put the password in.
      expect(loadConfig({ DATABASE_URL: env.DATABASE_URL!.replace('${POSTGRES_PASSWORD}', 'pw') }).databaseUrl).toMatch(/^postgres:/);
      expect(s.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    }
    expect(Object.keys(c.volumes).sort()).toEqual(['appdata', 'pgdata']);
  });
});

describe('deploy/xiansuo.service', () => {
  const unit = readFileSync('deploy/xiansuo.service', 'utf8');
  it('runs the CLI entry as an unprivileged user, reading the settings file, and sets no other setting', () => {
    expect(unit).toMatch(/^User=xiansuo$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/xiansuo\/bin\/xiansuo\.js serve$/m);
    const envs = [...unit.matchAll(/^Environment=(\w+)=/gm)].map((m) => m[1]);
    expect(envs.sort()).toEqual(['NODE_ENV', 'XIANSUO_ENV_FILE']); // the environment would win over the file
  });
  const why = tool('systemd-analyze', ['--version']);
  if (why) console.warn(`SKIPPED systemd-analyze verify: ${why}`);
  it.skipIf(why !== null)('passes systemd-analyze verify', async () => {
    const r = await exec('systemd-analyze', ['verify', 'deploy/xiansuo.service']).then((x) => ({ code: 0, ...x }), (e) => e);
    expect(r.code).toBe(0);
    expect(String(r.stderr).split('\n').filter((l: string) => l && !/User=|does not exist|nonexistent/.test(l))).toEqual([]);
  });
});

describe('deploy/xiansuo.env.example', () => {
  it('is a valid settings file that the service accepts', () => {
    const values = parseEnvFile(readFileSync('deploy/xiansuo.env.example', 'utf8'), 'example');
    expect(Object.keys(values)).toContain('XIANSUO_PUBLIC_URL');
    const config = loadConfig(values);
    expect(config.publicUrl).toBe('https://xiansuo.example.gov.cn');
  });
});
