// Text in the address is checked before any route or store sees it, the same on every database:
// a path segment holding a NUL character or an unpaired surrogate names nothing that can exist
// (404); such a query parameter is a malformed request (400) naming the parameter.
import type { MiddlewareHandler } from 'hono';
import { textProblem } from '../../domain/jsonInput.ts';
import { problem } from '../problem.ts';

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // left as it is, as the router leaves it
  }
}

export function inputText(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path.split('/').some((seg) => textProblem(decoded(seg)))) {
      return problem(c, 404, 'not-found', '未找到', '地址中含有无效字符，所指对象不存在');
    }
    const errors: { path: string; message: string }[] = [];
    for (const [key, values] of Object.entries(c.req.queries())) {
      const bad = textProblem(key) ?? values.map(textProblem).find(Boolean);
      if (bad) errors.push({ path: `/${textProblem(key) ? encodeURIComponent(key) : key}`, message: bad });
    }
    if (errors.length > 0) {
      return problem(c, 400, 'malformed-query', '查询参数无效',
        errors.map((e) => `${e.path} ${e.message}`).join('；'), { errors });
    }
    await next();
  };
}
