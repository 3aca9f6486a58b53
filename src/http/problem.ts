// RFC 9457 problem details: every error the API and the webhooks give.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extra: string]: unknown;
}

export function problem(
  c: Context, status: ContentfulStatusCode, slug: string, title: string, detail: string,
  extra: Record<string, unknown> = {}, headers: Record<string, string> = {},
): Response {
  const body: Problem = { type: `/problems/${slug}`, title, status, detail, ...extra };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json; charset=utf-8', ...headers });
}

/** Thrown from anywhere below a route; turned into a problem response by the app's error handler. */
export class HttpProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode, readonly slug: string, readonly title: string,
    readonly detail: string, readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export const notFound = (what = '线索') => new HttpProblem(404, 'not-found', '未找到', `${what}不存在，或您无权查看`);
export const forbidden = (detail: string) => new HttpProblem(403, 'forbidden', '无权操作', detail);
export const badRequest = (detail: string, extra: Record<string, unknown> = {}) =>
  new HttpProblem(422, 'invalid-request', '请求内容不符合要求', detail, extra);
export const conflict = (detail: string) => new HttpProblem(409, 'state-conflict', '当前状态不允许该操作', detail);
