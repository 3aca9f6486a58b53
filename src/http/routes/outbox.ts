// GET /api/outbox?status=pending|dead|all&limit=&cursor=: the messages waiting to be sent or given
// up, with their last error (bureau, admin). The same list as `npx xiansuo outbox`.
import { Hono } from 'hono';
import { z } from 'zod';
import { listOutbox } from '../../app/listOutbox.ts';
import type { OutboxEntry, OutboxStatus } from '../../domain/outboxQueue.ts';
import { redactRobotUrl } from '../../notify/index.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { HttpProblem } from '../problem.ts';

const query = z.strictObject({
  status: z.enum(['pending', 'dead', 'all']).default('all'),
  limit: z.string().regex(/^\d{1,4}$/, '应为 1–500 的整数').transform(Number).refine((n) => n >= 1 && n <= 500, '应为 1–500 的整数').default(100),
  cursor: z.string().max(300).optional(),
});

function invalid(errors: { path: string; message: string }[]): HttpProblem {
  return new HttpProblem(400, 'invalid-query', '查询参数不符合要求', errors.map((e) => `${e.path.slice(1)}：${e.message}`).join('；'), { errors });
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id, ...rest] = atob(cursor).split('|');
    if (createdAt && id && !rest.length) return { createdAt, id };
  } catch { /* fall through */ }
  throw invalid([{ path: '/cursor', message: '无效：请使用上一页返回的 nextCursor' }]);
}

function view(e: OutboxEntry) {
  const m = e.message;
  return {
    id: e.id, key: e.key, status: e.status, channel: m.kind === 'mail' ? 'email' : m.robot.kind,
    to: m.kind === 'mail' ? m.to : [redactRobotUrl(m.robot.url)], cc: m.kind === 'mail' ? m.cc : [],
    template: m.template.name, leadId: e.leadId, agency: e.agency, attempts: e.attempts,
    createdAt: e.createdAt, firstAttemptAt: e.firstAttemptAt, nextAttemptAt: e.status === 'pending' ? e.nextAttemptAt : null,
    lastError: e.lastError,
  };
}

export function outboxRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    requireRole(c, 'bureau');
    const parsed = query.safeParse(c.req.query());
    if (!parsed.success) {
      throw invalid(parsed.error.issues.map((i) => ({
        path: `/${i.path.join('/') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '')}`,
        message: i.code === 'unrecognized_keys' ? '未知的参数' : i.message,
      })));
    }
    const q = parsed.data;
    const statuses: OutboxStatus[] = q.status === 'all' ? ['pending', 'dead'] : [q.status];
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const { counts, ...page } = await listOutbox({ outbox: c.var.deps.outboxQueue }, { statuses, limit: q.limit, after });
    const last = page.items.at(-1);
    return c.json({
      counts: { pending: counts.pending, dead: counts.dead },
      items: page.items.map(view),
      nextCursor: page.more && last ? btoa(`${last.createdAt}|${last.id}`).replace(/=+$/, '') : null,
    });
  });
  return app;
}

/** The query of GET /api/outbox (also described in the OpenAPI document). */
export { query as outboxQuery };
