// `npm start` runs sh → tsx → node. Stopping it, by SIGTERM to npm alone (a process manager,
// `kill PID`) or by SIGINT to the whole group (Ctrl-C), logs the shutdown and leaves no process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from './helpers/server.ts';

const linux = existsSync('/proc/self/stat');
if (!linux) console.warn('SKIPPED npm start process-tree test: needs /proc (Linux) to list descendant processes');

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function descendants(root: number): number[] {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const out = new Set<number>([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const pid of all) {
      const pp = parentOf(pid);
      if (pp !== undefined && out.has(pp) && !out.has(pid)) { out.add(pid); grew = true; }
    }
  }
  out.delete(root);
  return [...out];
}

const alive = (pid: number) => {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z';
  } catch {
    return false;
  }
};

describe.runIf(linux)('npm start leaves no process behind', () => {
  it.each([
    ['SIGTERM to npm alone', 'SIGTERM', false],
    ['SIGINT to the process group (Ctrl-C)', 'SIGINT', true],
  ] as const)('%s', async (_, signal, group) => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'xiansuo-npm-'));
    const npm = spawn('npm', ['start'], {
      cwd: process.cwd(), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: String(port), DATABASE_URL: join(dir, 'x.db'), XIANSUO_JOBS: 'off', XIANSUO_MAIL_DIR: join(dir, 'mail') },
    });
    let out = '';
    npm.stdout!.on('data', (d) => { out += d; });
    npm.stderr!.on('data', (d) => { out += d; });
    for (let i = 0; !(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)); i++) {
      if (i > 300 || npm.exitCode !== null) throw new Error(`npm start did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const tree = descendants(npm.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(2); // sh, tsx, node …
    if (group) process.kill(-npm.pid!, signal);
    else npm.kill(signal);
    for (let i = 0; [npm.pid!, ...tree].some(alive); i++) {
      if (i > 300) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const left = [npm.pid!, ...tree].filter(alive);
    for (const pid of left) process.kill(pid, 'SIGKILL'); // ours: do not leave them to the next test
    expect(left, out).toEqual([]);
    expect(out).toMatch(/xiansuo 已停止/);
    expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'up', () => 'down')).toBe('down');
  });
});
