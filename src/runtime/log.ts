import type { Logger } from '../app/deps.ts';

/** One JSON object per line on standard output: time, level, msg and fields. */
export function jsonLogger(out: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const line = (level: string, fields: Record<string, unknown>) =>
    out(JSON.stringify({ time: new Date().toISOString(), level, ...fields }));
  return { info: (f) => line('info', f), warn: (f) => line('warn', f), error: (f) => line('error', f) };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
