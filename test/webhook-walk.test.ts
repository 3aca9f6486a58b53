// The README's "How a webhook travels" is the walk the code takes: starting at the route, this
// follows the imports (type-only ones aside) and, where the use case calls through a port of its
// dependencies, the file the runtime wires into that port; the files reached outside src/domain/
// must be exactly the ones the README lists, each once, and no more than eight (plus listed debt).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

const ROUTE = 'src/http/routes/webhooks.ts';
const SOURCE = 'webhooks/<source>.ts';

/** The design's limit for the walk outside src/domain/ (issue 13, DESIGN.md Layout). */
const MAX_FILES = 8;

/** Files on the walk beyond the limit, each with its reason. The list only shrinks. */
const WALK_DEBT: string[] = [];

/** Generic helpers the walk uses but that hold none of its logic. */
const UTILITIES: Record<string, string> = {
  'src/http/problem.ts': 'renders the problem+json answer of every route',
  'src/db/reusable.ts': 'compiles a statement once per transaction (a Kysely helper)',
};

/**
 * Where the use case (or the route) calls through a port of its dependencies: the port as the
 * caller writes it, the file that implements it, and how the runtime wires that file in.
 */
const PORTS: { from: string; call: RegExp; to: string; wiredIn: string; wiring: RegExp[] }[] = [
  {
    from: ROUTE, call: /deps\.config\.sources/, to: SOURCE, wiredIn: 'src/runtime/config.ts',
    wiring: [/WEBHOOK_SOURCES/],
  },
  {
    from: 'src/app/intake.ts', call: /deps\.intakeReads\.prior\(/, to: 'src/db/stores/intake.ts', wiredIn: 'src/runtime/services.ts',
    wiring: [/import \{ intakeReads \} from '\.\.\/db\/stores\/intake\.ts'/, /intakeReads: intakeReads\(database\.reader\)/],
  },
  {
    from: 'src/app/intake.ts', call: /deps\.dedupe\(incoming\.draft/, to: 'src/db/stores/dedupe.ts', wiredIn: 'src/runtime/services.ts',
    wiring: [/import \{ dedupeLookUp, sqlDedupeIndex \} from '\.\.\/db\/stores\/dedupe\.ts'/, /\.\.\.dedupeLookUp\(index, dedupeConfig, thread\)/],
  },
  {
    from: 'src/app/intake.ts', call: /planAndCommit<IntakeOutcome>\(deps\.store,/, to: 'src/db/commit.ts', wiredIn: 'src/runtime/services.ts',
    wiring: [/store: database\.backend,/],
  },
];

/** The runtime imports (relative, not type-only) of a file, as project paths. */
function runtimeImports(file: string): string[] {
  const text = read(file);
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s(type\s)?([^;]*?)\bfrom\s+['"]([^'"]+)['"]/g)) {
    const [, kind, typeKeyword, names, spec] = m as unknown as [string, string, string | undefined, string, string];
    if (typeKeyword || !spec.startsWith('.')) continue;
    // `import { type A, type B } from …` is type-only too; a re-export of types only as well.
    const inside = /^\{([^}]*)\}\s*$/.exec(names.trim());
    if (inside && inside[1]!.split(',').map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith('type '))) continue;
    if (kind === 'export' && !inside && !names.trim().startsWith('*')) continue;
    out.push(relative(root, resolve(root, dirname(file), spec)));
  }
  return out;
}

/** The source modules (webhooks/index.ts lists them; each is one file beside it). */
function sourceModules(): string[] {
  return runtimeImports('webhooks/index.ts').filter((f) => f.startsWith('webhooks/'));
}

/** Every file reached from `start` through runtime imports, outside src/domain/ and the utilities. */
function reached(start: string): string[] {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    expect(existsSync(join(root, f)), `${f} exists`).toBe(true);
    for (const t of runtimeImports(f)) if (!seen.has(t)) queue.push(t);
  }
  return [...seen].filter((f) => !f.startsWith('src/domain/') && !(f in UTILITIES));
}

/** The walk: the route's imports, then each port's implementation and its imports. */
function walk(): string[] {
  const files = new Set(reached(ROUTE));
  for (const port of PORTS) {
    const starts = port.to === SOURCE ? sourceModules() : [port.to];
    for (const s of starts) for (const f of reached(s)) files.add(sourceModules().includes(f) ? SOURCE : f);
  }
  return [...files];
}

/** The files the README's section lists: the path at the head of each numbered step. */
function listed(): string[] {
  const readme = read('README.md');
  const start = readme.indexOf('### How a webhook travels');
  expect(start, 'README has the section').toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  return [...section.matchAll(/^\d+\. `([^`]+)`/gm)].map((m) => m[1]!);
}

describe('how a webhook travels (README)', () => {
  it('lists exactly the files the route, its imports and its ports reach outside src/domain/, each once', () => {
    const list = listed();
    expect(new Set(list).size, 'each file once').toBe(list.length);
    expect([...walk()].sort()).toEqual([...list].sort());
  });

  it('reaches each port through the dependency the caller names, wired by the runtime to the listed file', () => {
    for (const port of PORTS) {
      expect(read(port.from), `${port.from} calls ${port.call}`).toMatch(port.call);
      for (const w of port.wiring) expect(read(port.wiredIn), `${port.wiredIn} wires ${port.to}`).toMatch(w);
    }
    // The committing backend is the one src/db/commit.ts makes.
    expect(read('src/runtime/database.ts')).toMatch(/import \{ sqlBackend, type Backend \} from '\.\.\/db\/commit\.ts'/);
    // The route takes the source's schema and mapping from the configured source.
    expect(read(ROUTE)).toMatch(/inbound\.schema\.safeParse\(json\)/);
    expect(read(ROUTE)).toMatch(/inbound\.toDraft\(parsed\.data\)/);
    expect(sourceModules().length).toBeGreaterThanOrEqual(3);
    // The worker thread's side of the look-up is in the listed file; the runtime only starts it.
    expect(read('src/runtime/dedupeWorker.mjs')).toMatch(/runDedupeWorker, sqlDedupeIndex \} = await import\('\.\.\/db\/stores\/dedupe\.ts'\)/);
  });

  it('keeps the walk within the design\'s eight files, beyond them only the listed debt', () => {
    const list = listed();
    for (const d of WALK_DEBT) expect(list, `${d} is still on the walk (else it leaves WALK_DEBT)`).toContain(d);
    expect(list.length).toBeLessThanOrEqual(MAX_FILES + WALK_DEBT.length);
  });

  it('names no utility that the walk does not use', () => {
    const all = new Set<string>();
    const visit = (f: string) => {
      if (all.has(f)) return;
      all.add(f);
      runtimeImports(f).forEach(visit);
    };
    visit(ROUTE);
    for (const p of PORTS) (p.to === SOURCE ? sourceModules() : [p.to]).forEach(visit);
    for (const u of Object.keys(UTILITIES)) expect(all.has(u), `${u} is on the walk`).toBe(true);
  });
});
