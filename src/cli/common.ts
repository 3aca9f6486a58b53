// What the command line's modules share: the error that becomes one line and exit code 2, and a
// database opened for one command.
import type { Config } from '../runtime/config.ts';
import { connect, type Database } from '../runtime/database.ts';

/** Bad input: one line on standard error, exit code 2, nothing changed. */
export class CliError extends Error {}

export async function withDatabase<T>(config: Config, fn: (d: Database) => Promise<T>): Promise<T> {
  const database = connect(config.databaseUrl);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** 'YYYY-MM-DD HH:mm' in the bureau's zone. */
export function localTime(at: string, tz: string): string {
  const p: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
  for (const x of f.formatToParts(new Date(at))) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
