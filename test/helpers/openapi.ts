// Checks answers against the OpenAPI document (GET /openapi.json), so the document cannot drift
// from the code: the operation is found by method and path, the status must be documented, the
// content type must be the documented one, and the body must fit the documented schema (turned
// back into a validator with zod's z.fromJSONSchema; local $refs resolved first).
//
//   const check = await openApiChecker(app);          // once per suite
//   const res = await app.request('/api/leads/XS-…');
//   await check('get', '/api/leads/XS-…', res);         // throws with every mismatch
//
// Every test app (test/helpers/app.ts) is wrapped with checkedApp(): each answer to /api/… and
// /webhooks/… that any suite receives through app.request or app.fetch is checked the same way,
// and an undocumented status fails that test. The (operation, status) pairs seen are appended to
// a file that test/helpers/summaryReporter.ts counts at the end of the run.
import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import { openApiDocument } from '../../src/http/openapi/document.ts';
import { pairsFile } from './openapiPairs.ts';

type Json = Record<string, any>;

export interface Checked { operationId: string; status: number }

function resolveRefs(doc: Json, node: unknown, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => resolveRefs(doc, n, seen));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Json;
  if (typeof obj.$ref === 'string') {
    if (seen.includes(obj.$ref)) throw new Error(`recursive $ref ${obj.$ref}`);
    const target = obj.$ref.replace(/^#\//, '').split('/').reduce((o: Json, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    if (!target) throw new Error(`unresolved $ref ${obj.$ref}`);
    return resolveRefs(doc, target, [...seen, obj.$ref]);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveRefs(doc, v, seen)]));
}

/** The operation for a method and a concrete path; of several templates that match, the one with the most literal text. */
function matchPath(doc: Json, method: string, path: string): { template: string; op: Json } | undefined {
  const bare = path.split('?')[0]!;
  let best: { template: string; op: Json; literal: number } | undefined;
  for (const [template, item] of Object.entries(doc.paths as Json)) {
    const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const literal = template.replace(/\{[^}]+\}/g, '').length;
    if (re.test(bare) && (item as Json)[method] && (!best || literal > best.literal)) best = { template, op: (item as Json)[method], literal };
  }
  return best && { template: best.template, op: best.op };
}

const validators = new WeakMap<Json, Map<string, z.ZodType>>();
function validator(doc: Json, key: string, schema: unknown): z.ZodType {
  let byKey = validators.get(doc);
  if (!byKey) validators.set(doc, byKey = new Map());
  let v = byKey.get(key);
  if (!v) byKey.set(key, v = z.fromJSONSchema(resolveRefs(doc, schema ?? {}) as never));
  return v;
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

/** Validates one answer against a document; throws an Error listing what does not fit. */
export function checkAnswer(doc: Json, method: string, path: string, answer: { status: number; contentType: string | null; body: unknown }): Checked {
  const m = method.toLowerCase();
  const found = matchPath(doc, m, path);
  if (!found) {
    // A path the document does not have is answered 404 problem+json, like any unknown address.
    if (answer.status === 404 && (answer.contentType ?? '').startsWith('application/problem+json')) {
      const r = validator(doc, 'Problem', { $ref: '#/components/schemas/Problem' }).safeParse(answer.body);
      if (r.success) return { operationId: '(no operation)', status: 404 };
    }
    throw new Error(`OpenAPI: no operation for ${m.toUpperCase()} ${path} (answered ${answer.status})`);
  }
  const documented = found.op.responses?.[String(answer.status)];
  if (!documented) {
    throw new Error(`OpenAPI: ${found.op.operationId} (${m.toUpperCase()} ${found.template}) does not document status ${answer.status}; body: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  const content = documented.content as Json | undefined;
  if (!content) return { operationId: found.op.operationId, status: answer.status };
  const type = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const media = content[type];
  if (!media) throw new Error(`OpenAPI: ${found.op.operationId} ${answer.status} answered ${type}, documented ${Object.keys(content).join(', ')}`);
  if (!isJson(type)) return { operationId: found.op.operationId, status: answer.status }; // a file: its type is what is documented
  const result = validator(doc, `${found.op.operationId} ${answer.status} ${type}`, media.schema).safeParse(answer.body);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${'/' + i.path.join('/')}: ${i.message}`).join('; ');
    throw new Error(`OpenAPI: ${found.op.operationId} ${answer.status} body does not fit the document: ${issues}`);
  }
  return { operationId: found.op.operationId, status: answer.status };
}

/** Reads a Response (a clone: the caller may still read it) and validates it. */
export async function checkResponse(doc: Json, method: string, path: string, res: Response): Promise<Checked> {
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let body: unknown;
  if (isJson(type) || type.startsWith('text/')) {
    const text = await res.clone().text();
    body = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch { /* not JSON: validated as text */ }
  }
  return checkAnswer(doc, method, path, { status: res.status, contentType: res.headers.get('content-type'), body });
}

/** Fetches the app's own /openapi.json and returns a checker bound to it. */
export async function openApiChecker(app: { request(path: string, init?: RequestInit): Response | Promise<Response> }) {
  const doc = await (await app.request('/openapi.json')).json() as Json;
  const seen: Checked[] = [];
  const check = async (method: string, path: string, res: Response) => {
    const c = await checkResponse(doc, method, path, res);
    seen.push(c);
    return res;
  };
  return Object.assign(check, { doc, seen });
}

const recorded = new Set<string>();
function record(c: Checked): void {
  const key = `${c.operationId} ${c.status}`;
  if (recorded.has(key)) return;
  recorded.add(key);
  try {
    appendFileSync(pairsFile(process.ppid), `${key}\n`);
  } catch { /* counting is a report, never a failure */ }
}

/** Checks one exchange with the app against the document built from the code, if it is an API call. */
export async function checkExchange(method: string, url: string, res: Response): Promise<void> {
  const path = new URL(url, 'http://localhost').pathname;
  const m = method.toLowerCase();
  if (!/^\/(api|webhooks)\//.test(path) || !['get', 'post', 'put', 'delete', 'patch'].includes(m)) return;
  if (res.status === 499) return; // the client hung up: nobody receives this answer
  record(await checkResponse(openApiDocument(), m, path, res));
}

type Requestable = { request(input: any, init?: any, ...rest: any[]): Response | Promise<Response>; fetch(req: Request, ...rest: any[]): Response | Promise<Response> };

/** The app, with every /api and /webhooks answer it gives through request() or fetch() checked against the document. */
export function checkedApp<A extends Requestable>(app: A): A {
  return new Proxy(app, {
    get(target, prop, receiver) {
      if (prop === 'request') {
        return async (input: string | URL | Request, init?: RequestInit, ...rest: unknown[]) => {
          const res = await target.request(input, init, ...rest);
          const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
          await checkExchange(method, input instanceof Request ? input.url : String(input), res);
          return res;
        };
      }
      if (prop === 'fetch') {
        return async (req: Request, ...rest: unknown[]) => {
          const res = await target.fetch(req, ...rest);
          await checkExchange(req.method, req.url, res);
          return res;
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** Why a callback body does not fit the document's `webhooks` entry for its type, or null when it fits. */
export function callbackMisfit(body: unknown): string | null {
  const doc = openApiDocument() as Json;
  const type = (body as { type?: unknown } | null)?.type;
  const op = typeof type === 'string' ? doc.webhooks?.[type]?.post : undefined;
  if (!op) return `OpenAPI: no callback of type ${String(type)} in webhooks`;
  const r = validator(doc, `callback ${type}`, op.requestBody.content['application/json'].schema).safeParse(body);
  if (r.success) {
    record({ operationId: op.operationId, status: 200 });
    return null;
  }
  return `OpenAPI: callback ${type} does not fit the document: ${r.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ')}`;
}

/** fetch(), with the answer checked as checkExchange does: for suites that talk to a real server
 * (`import { checkedFetch as fetch } from './helpers/openapi.ts'`). */
export async function checkedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  await checkExchange(init?.method ?? (input instanceof Request ? input.method : 'GET'), input instanceof Request ? input.url : String(input), res);
  return res;
}
