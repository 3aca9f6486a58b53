// The dependency rule of DESIGN.md, enforced: domain is pure; webhooks import only the domain;
// no layer imports from a layer above it or beside it; http, jobs and the CLI reach storage
// through src/app (with a listed, shrinking set of older imports); no import circles; only
// src/runtime wires concrete drivers; nothing but runtime and the CLI reads the environment.
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
  return importsOf(file).map((i) => i.spec);
}

/** Every import and re-export of a file, with whether it is a type-only one. */
function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [
    ...[...text.matchAll(/(?:^|\n)\s*(?:import|export)\s(type\s)?[^;]*?from\s+['"]([^'"]+)['"]/g)]
      .map((m) => ({ spec: m[2]!, typeOnly: Boolean(m[1]) })),
    ...[...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => ({ spec: m[1]!, typeOnly: false })),
  ];
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

  it('imports from no layer above or beside its own (DESIGN.md Layout)', () => {
    const wrong: string[] = [];
    for (const f of [...files('src'), ...files('webhooks'), ...files('migrations')]) {
      const from = layerOf(f);
      for (const spec of imports(f).filter((s) => s.startsWith('.'))) {
        const to = layerOf(target(f, spec));
        if (to === from || SIDEWAYS.has(`${f} -> ${target(f, spec)}`)) continue;
        if (RANK[to]! >= RANK[from]!) wrong.push(`${f} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets http, jobs and the CLI reach storage only through src/app, and src/app only the domain and its ports', () => {
    const found = new Set<string>();
    for (const dir of ['src/app', 'src/http', 'src/jobs', 'src/cli']) {
      for (const f of [...files(dir), ...(dir === 'src/cli' ? ['src/cli.ts'] : [])]) {
        for (const { spec, typeOnly } of importsOf(f).filter((i) => i.spec.startsWith('.'))) {
          const t = target(f, spec);
          const to = layerOf(t);
          if (to !== 'src/db' && !(dir === 'src/app' && to === 'src/notify')) continue;
          // A database handle is passed through, typed: the schema's types are no call into storage.
          if (typeOnly && t === 'src/db/schema/index.ts') continue;
          found.add(`${f} -> ${t}`);
        }
      }
    }
    const added = [...found].filter((e) => !STORAGE_DEBT.has(e));
    expect(added, 'new imports of storage from above src/app: go through a use case and its ports instead').toEqual([]);
    // The list only shrinks: an entry no longer needed must leave it.
    expect([...STORAGE_DEBT].filter((e) => !found.has(e)), 'entries of STORAGE_DEBT no longer imported').toEqual([]);
  });

  it('has no import circles (type-only imports included)', () => {
    const graph = new Map<string, string[]>();
    const all = [...files('src'), ...files('webhooks'), ...files('migrations')];
    for (const f of all) graph.set(f, imports(f).filter((s) => s.startsWith('.')).map((s) => target(f, s)));
    const circles: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      path.push(f);
      for (const t of graph.get(f) ?? []) {
        if (!graph.has(t)) continue;
        if (state.get(t) === 'open') circles.push([...path.slice(path.indexOf(t)), t]);
        else if (!state.has(t)) visit(t);
      }
      path.pop();
      state.set(f, 'done');
    };
    for (const f of all) if (!state.has(f)) visit(f);
    expect(circles.map((c) => c.join(' -> '))).toEqual([]);
  });
});

/**
 * Layers from the bottom up (DESIGN.md Layout); equal ranks are siblings and must not import each
 * other. The CLI is an entry point like the runtime: it wires a database and configuration
 * (through src/runtime) for one command.
 */
const RANK: Record<string, number> = {
  'src/domain': 0, webhooks: 1, 'src/db': 2, 'src/notify': 2, migrations: 2, 'src/app': 3,
  'src/http': 4, 'src/jobs': 4, 'src/runtime': 5, 'src/cli': 6,
};

function layerOf(path: string): string {
  if (path === 'src/cli.ts') return 'src/cli';
  const m = /^(src\/(?:domain|app|db|http|jobs|notify|runtime|cli)|webhooks|migrations)(?:\/|$)/.exec(path);
  if (!m) throw new Error(`${path} belongs to no layer`);
  return m[1]!;
}

/**
 * Imports beside a layer that are allowed, each for a reason:
 * - migrations are frozen but run with the stores (the migrator lists them), and 011 folds the old
 *   exact counts with the domain's sketch;
 * - the CLI writes the same statistics files as the API, with the same renderers.
 */
const SIDEWAYS = new Set([
  'src/db/migrate.ts -> migrations/index.ts',
  'src/cli/stats.ts -> src/http/stats/csv.ts',
  'src/cli/stats.ts -> src/http/stats/xlsx.ts',
]);

/**
 * Older imports of storage (and, from src/app, of notify) that predate the ports. Each is debt:
 * the use case should take a port (as src/app/intake.ts takes IntakeReads and PlanCommitter) and
 * the adapter call the use case. New ones fail the test; removed ones must leave the list.
 */
const STORAGE_DEBT = new Set([
  // The application's dependencies still carry the handles and stores they are built from.
  'src/app/deps.ts -> src/db/stores/calendar.ts',
  'src/app/deps.ts -> src/notify/index.ts',
  // A notice of a review is sealed with notify's masking of template inputs.
  'src/app/reviewLead.ts -> src/notify/index.ts',
  // Use cases that read (or still write) through stores rather than ports.
  'src/app/campaigns.ts -> src/db/stores/campaigns.ts',
  'src/app/campaigns.ts -> src/db/stores/stats.ts',
  'src/app/hotspots.ts -> src/db/stores/hotspots.ts',
  'src/app/publicResults.ts -> src/db/stores/campaigns.ts',
  'src/app/publicResults.ts -> src/db/stores/publications.ts',
  'src/app/publishLead.ts -> src/db/stores/publications.ts',
  'src/app/runTransition.ts -> src/db/stores/leads.ts',
  'src/app/runTransition.ts -> src/db/stores/lifecycle.ts',
  'src/app/sessions.ts -> src/db/stores/sessions.ts',
  'src/app/sessions.ts -> src/db/stores/tokens.ts',
  'src/app/stats.ts -> src/db/stores/stats.ts',
  'src/app/tagCampaignLeads.ts -> src/db/stores/campaigns.ts',
  'src/app/unpublishLead.ts -> src/db/stores/publications.ts',
  // Operator commands over stores.
  // Routes and pages that read or write stores directly.
  'src/http/routes/leads.ts -> src/db/stores/leads.ts',
  'src/http/routes/leads.ts -> src/db/stores/tokens.ts',
  // The scheduled use cases (the sweep, its preview, delivery of mail, robots and callbacks): they
  // read their stores directly and send through notify's mail and robot code rather than ports.
  'src/app/deliverCallbacks.ts -> src/db/stores/callbacks.ts',
  'src/app/deliverCallbacks.ts -> src/notify/index.ts',
  'src/app/deliverOutbox.ts -> src/db/stores/outbox.ts',
  'src/app/deliverOutbox.ts -> src/db/stores/outboxQueue.ts',
  'src/app/deliverOutbox.ts -> src/notify/index.ts',
  'src/app/hotspotMail.ts -> src/notify/index.ts',
  'src/app/outboxMessages.ts -> src/notify/index.ts',
  'src/app/previewSweep.ts -> src/db/stores/calendar.ts',
  'src/app/previewSweep.ts -> src/db/stores/outbox.ts',
  'src/app/sweep.ts -> src/db/stores/lifecycle.ts',
  'src/app/sweep.ts -> src/notify/index.ts',
  // The schedule's compaction of the document frequencies.
  'src/jobs/index.ts -> src/db/stores/docFreq.ts',
]);
