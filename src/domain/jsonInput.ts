// What any JSON input must be before anything else looks at it: text the same on every database
// (no NUL character, no unpaired surrogate, in values and keys alike) and nesting of at most
// MAX_JSON_DEPTH levels. Walked with an explicit stack, so no input can exhaust the call stack.

export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface InputError { path: string; message: string }

/** One JSON-pointer segment; characters that cannot be shown are written as \uXXXX. */
function segment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
    .replace(/[\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Why a string cannot be stored as it is, or null when it can. */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return '不能包含 NUL 字符（\\u0000）';
  if (LONE_SURROGATE.test(s)) return '不能包含不成对的代理字符（无效的 Unicode）';
  return null;
}

/**
 * Every string (values and object keys) and every container's depth, depth-first over an
 * explicit stack. Stops after `limit` errors; the root is at depth 1.
 */
export function inspectJson(value: unknown, maxDepth = MAX_JSON_DEPTH, limit = 20): InputError[] {
  const errors: InputError[] = [];
  // `bad`: an object key that cannot be stored, reported in document order with the values.
  const stack: { v: unknown; path: string; depth: number; bad?: string }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0 && errors.length < limit) {
    const { v, path, depth, bad } = stack.pop()!;
    if (bad) {
      errors.push({ path, message: `字段名${bad}` });
      continue;
    }
    if (typeof v === 'string') {
      const p = textProblem(v);
      if (p) errors.push({ path: path || '/', message: p });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > maxDepth) {
      errors.push({ path: path || '/', message: `嵌套不能超过 ${maxDepth} 层` });
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}/${i}`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const p = textProblem(k);
      const here = `${path}/${segment(k)}`;
      stack.push(p ? { v: undefined, path: here, depth, bad: p } : { v: (v as Record<string, unknown>)[k], path: here, depth: depth + 1 });
    }
  }
  return errors;
}

/** zod issues as JSON-pointer paths with their messages (the same form as inspectJson's). */
export function fieldErrors(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): InputError[] {
  return error.issues.map((i) => ({ path: '/' + i.path.map(String).join('/'), message: i.message }));
}
