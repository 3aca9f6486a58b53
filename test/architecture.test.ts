// The dependency rule of DESIGN.md, enforced: domain is pure; webhooks import only the domain;
// only src/runtime wires concrete drivers; nothing but runtime and the CLI reads the environment.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return files(path);
    return /\.tsx?$/.test(path) && !/\.test\.tsx?$/.test(path) ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1]!);
}

/** Project-relative target of a relative import, or the package name of a bare one. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(root, resolve(root, dirname(file), spec)) : spec;
}

const DRIVERS = ['better-sqlite3', 'pg', '@hono/node-server', 'node-cron', 'kysely-d1'];

describe('dependency rule', () => {
  it('keeps src/domain pure: only itself, no node:*, no frameworks, no environment', () => {
    for (const f of files('src/domain')) {
      for (const spec of imports(f)) {
        const t = target(f, spec);
        if (spec.startsWith('.')) expect(t.startsWith('src/domain'), `${f} imports ${spec}`).toBe(true);
        else expect(/^(node:|hono|kysely|pg$|better-sqlite3|nodemailer|@hono)/.test(spec), `${f} imports ${spec}`).toBe(false);
      }
      expect(readFileSync(join(root, f), 'utf8'), f).not.toMatch(/process\.env|Date\.now\(\)|new Date\(\)/);
    }
  });

  it('lets webhooks/ import only src/domain and itself', () => {
    for (const f of files('webhooks')) {
      for (const spec of imports(f).filter((s) => s.startsWith('.'))) {
        const t = target(f, spec);
        expect(t.startsWith('webhooks') || t.startsWith('src/domain'), `${f} imports ${spec}`).toBe(true);
      }
    }
  });

  it('keeps src/db free of node:* (the runtime registers file syncs), so the stores run on Workers too', () => {
    for (const f of files('src/db')) {
      for (const spec of imports(f)) expect(spec.startsWith('node:'), `${f} imports ${spec}`).toBe(false);
    }
  });

  it('lets only src/runtime (and the CLI) wire drivers and read the environment', () => {
    for (const dir of ['src/app', 'src/db', 'src/http', 'src/jobs', 'src/notify', 'webhooks', 'migrations']) {
      for (const f of files(dir)) {
        for (const spec of imports(f)) {
          expect(DRIVERS.includes(spec), `${f} imports driver ${spec}`).toBe(false);
          expect(target(f, spec).startsWith('src/runtime'), `${f} imports ${spec}`).toBe(false);
        }
        expect(readFileSync(join(root, f), 'utf8'), f).not.toMatch(/process\.env/);
      }
    }
  });

  it('keeps the use cases in src/app free of the adapters that call them (http, pages, CLI, runtime)', () => {
    for (const f of files('src/app')) {
      for (const spec of imports(f)) {
        const t = target(f, spec);
        expect(['src/http', 'src/runtime', 'src/cli'].some((layer) => t.startsWith(layer)), `${f} imports ${spec}`).toBe(false);
      }
      expect(readFileSync(join(root, f), 'utf8'), f).not.toMatch(/process\.env/);
    }
  });

  it('keeps src/notify and src/db free of the HTTP layer', () => {
    for (const dir of ['src/notify', 'src/db']) {
      for (const f of files(dir)) {
        for (const spec of imports(f)) expect(target(f, spec).startsWith('src/http'), `${f} imports ${spec}`).toBe(false);
      }
    }
  });
});
