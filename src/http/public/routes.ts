// The public pages (no sign-in): /public, /public/feed.xml, /public/style.css.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { publicResults, type PublicQuery } from '../../app/publicResults.ts';
import { agencyNamer } from '../../app/stats.ts';
import { localDate } from '../../domain/calendar/index.ts';
import type { AppEnv } from '../context.ts';
import { atomFeed } from './feed.ts';
import { publicPage } from './page.ts';
import { PUBLIC_CSS } from './style.ts';

const HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'public, max-age=60', // a withdrawn publication leaves caches within a minute
};

const filters = z.object({
  year: z.string().regex(/^(\d{4})?$/, '年度应为四位数字').optional().transform((v) => (v ? Number(v) : undefined)),
  agency: z.string().max(64).optional().transform((v) => v || undefined),
  domain: z.string().max(64).optional().transform((v) => v || undefined),
  page: z.string().regex(/^[1-9]\d{0,4}$/, '页码应为正整数').transform(Number).optional(),
});

function readFilters(c: Context<AppEnv>): { q: PublicQuery & { page: number }; notice?: string } {
  const parsed = filters.safeParse(c.req.query());
  if (!parsed.success) return { q: { page: 1 }, notice: `筛选条件无效：${parsed.error.issues.map((i) => i.message).join('；')}` };
  return { q: { ...parsed.data, page: parsed.data.page ?? 1 } };
}

export function publicRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/style.css', (c) => c.body(PUBLIC_CSS, 200, { 'content-type': 'text/css; charset=utf-8', ...HEADERS }));
  app.get('/', async (c) => {
    const { deps } = c.var;
    const { q, notice } = readFilters(c);
    const name = agencyNamer(deps.directory);
    const r = await publicResults(deps, q, deps.clock.now());
    const body = await publicPage({
      ...r, agencies: r.agencies.map((code) => ({ code, name: name(code) })), filters: q, notice,
      agencyName: name, dateOf: (i) => chineseDate(localDate(i, deps.config.tz)),
    });
    return c.html(body, notice ? 400 : 200, HEADERS);
  });
  app.get('/feed.xml', async (c) => {
    const { deps } = c.var;
    const { q, notice } = readFilters(c);
    if (notice) return c.text(notice, 400);
    const r = await publicResults(deps, q, deps.clock.now());
    const xml = atomFeed(r.items, { baseUrl: deps.config.publicUrl, agencyName: agencyNamer(deps.directory), dateOf: (i) => chineseDate(localDate(i, deps.config.tz)) });
    return c.body(xml, 200, { ...HEADERS, 'content-type': 'application/atom+xml; charset=utf-8' });
  });
  return app;
}

const chineseDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
