// DESIGN.md's dependency rule for this folder: src/notify imports src/domain and npm packages,
// nothing else of ours (tests may also use test/helpers). And the portable part — everything
// outside src/notify/node/ — runs on Workers too: no node:*, no nodemailer, no Node globals, and
// nothing from ./node/, so that the Workers build can import src/notify without pulling them in.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(here, '..');
const root = path.resolve(src, '..');
const nodeDir = path.join(here, 'node');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await sources(full));
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

function importsOf(code: string): string[] {
  return [
    ...code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...code.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g),
    ...code.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...code.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

describe('src/notify dependencies', () => {
  it('imports only src/notify, src/domain and packages (tests: test/helpers too)', async () => {
    const offending: string[] = [];
    for (const file of await sources(here)) {
      const dir = path.dirname(file);
      const name = path.relative(here, file);
      const isTest = file.endsWith('.test.ts');
      for (const spec of importsOf(await readFile(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(dir, spec);
        const ok = target.startsWith(path.join(src, 'notify') + path.sep)
          || target.startsWith(path.join(src, 'domain') + path.sep)
          || (isTest && target.startsWith(path.join(root, 'test', 'helpers') + path.sep));
        if (!ok) offending.push(`${name}: ${spec}`);
        if (!spec.endsWith('.ts')) offending.push(`${name}: ${spec} (relative imports name the .ts file)`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('keeps everything outside src/notify/node/ portable: no node:*, no nodemailer, no Node globals, nothing from node/', async () => {
    const offending: string[] = [];
    const portable = (await sources(here)).filter((f) => !f.startsWith(nodeDir + path.sep) && !/\.test\.tsx?$/.test(f));
    expect(portable.map((f) => path.relative(here, f)).sort()).toEqual(expect.arrayContaining(['index.ts', 'mail.ts', 'robots.ts', 'templates.ts']));
    for (const file of portable) {
      const name = path.relative(here, file);
      const code = await readFile(file, 'utf8');
      for (const spec of importsOf(code)) {
        if (spec.startsWith('node:') || /^(fs|path|os|net|tls|crypto|url|stream|buffer)(\/|$)/.test(spec)) offending.push(`${name}: ${spec}`);
        if (/^nodemailer(\/|$)/.test(spec) || /^mailparser/.test(spec)) offending.push(`${name}: ${spec}`);
        if (spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(nodeDir + path.sep)) offending.push(`${name}: ${spec}`);
      }
      const code0 = code.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const global of ['Buffer', 'process', '__dirname', 'require']) {
        if (new RegExp(`\\b${global}\\b\\s*[.(]`).test(code0)) offending.push(`${name}: uses ${global}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('sees an offending import when there is one (the check above is not vacuous)', async () => {
    const eml = await readFile(path.join(nodeDir, 'eml.ts'), 'utf8');
    expect(importsOf(eml)).toEqual(expect.arrayContaining(['node:fs/promises', 'nodemailer', '../mail.ts']));
  });
});
