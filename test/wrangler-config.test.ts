// wrangler.toml and the worker agree: the entry exists, the migrations folder is the generated
// one, the cron expressions are the ones the scheduled handler dispatches on, and the Durable
// Object class it binds is the one the entry exports.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { D1_MIGRATIONS_DIR } from '../src/runtime/d1Migrations.ts';

const toml = readFileSync('wrangler.toml', 'utf8');
const value = (key: string) => new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(toml)?.[1];

describe('wrangler.toml', () => {
  it('points at the worker entry, the generated D1 migrations and sends no metrics', () => {
    expect(value('main')).toBe('src/runtime/worker.ts');
    expect(existsSync(value('main')!)).toBe(true);
    expect(value('migrations_dir')).toBe(D1_MIGRATIONS_DIR);
    expect(value('binding')).toBe('DB');
    expect(toml).toMatch(/^send_metrics\s*=\s*false/m);
  });

  it('has the crons the scheduled handler knows, and binds the Durable Object the entry exports', () => {
    const start = readFileSync('src/runtime/workerStart.ts', 'utf8');
    const sweep = /SWEEP_CRON = '([^']+)'/.exec(start)?.[1];
    const deliver = /DELIVER_CRON = '([^']+)'/.exec(start)?.[1];
    expect(/crons\s*=\s*\[([^\]]*)\]/.exec(toml)?.[1]?.match(/"[^"]+"/g)?.map((c) => c.slice(1, -1))).toEqual([sweep, deliver]);
    expect(value('class_name')).toBe('DedupeIndexObject');
    expect(toml).toMatch(/new_sqlite_classes\s*=\s*\["DedupeIndexObject"\]/);
    expect(readFileSync('src/runtime/worker.ts', 'utf8')).toMatch(/export \{ DedupeIndexObject \} from '\.\/dedupeObject\.ts'/);
  });
});
