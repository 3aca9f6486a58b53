// DESIGN.md's dependency rule for this folder: src/notify imports src/domain and npm packages,
// nothing else of ours (tests may also use test/helpers).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(here, '..');
const root = path.resolve(src, '..');

describe('src/notify dependencies', () => {
  it('imports only src/notify, src/domain and packages (tests: test/helpers too)', async () => {
    const offending: string[] = [];
    for (const file of (await readdir(here)).filter((f) => f.endsWith('.ts'))) {
      const code = await readFile(path.join(here, file), 'utf8');
      const isTest = file.endsWith('.test.ts');
      for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(here, spec);
        const ok = target.startsWith(path.join(src, 'notify') + path.sep)
          || target.startsWith(path.join(src, 'domain') + path.sep)
          || (isTest && target.startsWith(path.join(root, 'test', 'helpers') + path.sep));
        if (!ok) offending.push(`${file}: ${spec}`);
        if (!spec.endsWith('.ts')) offending.push(`${file}: ${spec} (relative imports name the .ts file)`);
      }
    }
    expect(offending).toEqual([]);
  });
});
