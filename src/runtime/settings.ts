// The one settings source of the service and of every CLI command: the environment, plus a
// settings file (`xiansuo.env` in the working directory, or the file XIANSUO_ENV_FILE names).
// The environment wins over the file. A named file that is missing, or a bad line, is an error.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const DEFAULT_ENV_FILE = 'xiansuo.env';

export interface Settings {
  /** The merged variables: the file's, overridden by the environment's. */
  values: Record<string, string | undefined>;
  /** The settings file read, as an absolute path; undefined when none. */
  file?: string;
  /** What the file itself set. */
  fromFile: Record<string, string>;
}

const NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Parses a settings file: `NAME=value` lines, `# comments`, blank lines, optional `export ` and quotes. */
export function parseEnvFile(text: string, label: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `设置文件 ${label} 第 ${i + 1} 行`;
    const m = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`配置错误：${where}不是 “名称=值” 的形式：${line.slice(0, 60)}`);
    const [, name, rest] = m as unknown as [string, string, string];
    if (!NAME.test(name)) throw new Error(`配置错误：${where}：变量名 “${name}” 只能包含大写字母、数字和下划线`);
    if (name in out) throw new Error(`配置错误：${where}：变量 ${name} 重复设置`);
    let value = rest;
    const q = value[0];
    if (q === '"' || q === "'") {
      const end = value.indexOf(q, 1);
      if (end < 0) throw new Error(`配置错误：${where}：${name} 的引号没有闭合`);
      if (value.slice(end + 1).trim() !== '' && !value.slice(end + 1).trim().startsWith('#')) {
        throw new Error(`配置错误：${where}：${name} 的引号之后还有内容`);
      }
      value = value.slice(1, end);
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[name] = value;
  });
  return out;
}

/** Reads the settings: XIANSUO_ENV_FILE (must exist), else ./xiansuo.env when present, under the environment. */
export function readSettings(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Settings {
  const named = env.XIANSUO_ENV_FILE?.trim();
  const path = named ? resolve(cwd, named) : resolve(cwd, DEFAULT_ENV_FILE);
  if (!named && !existsSync(path)) return { values: { ...env }, fromFile: {} };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EACCES' ? '没有读取权限' : (err as Error).message;
    throw new Error(`配置错误：XIANSUO_ENV_FILE “${named ?? path}”：${why}`);
  }
  const fromFile = parseEnvFile(text, path);
  if ('XIANSUO_ENV_FILE' in fromFile) throw new Error(`配置错误：设置文件 ${path} 不能再设置 XIANSUO_ENV_FILE`);
  const values: Record<string, string | undefined> = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) values[k] = v;
  return { values, file: path, fromFile };
}
