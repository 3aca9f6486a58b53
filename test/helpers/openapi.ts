// Checks answers against the OpenAPI document (GET /openapi.json), so the document cannot drift
// from the code: the operation is found by method and path, the status must be documented, the
// content type must be the documented one, and the body must fit the documented schema (turned
// back into a validator with zod's z.fromJSONSchema; local $refs resolved first).
//
//   const check = await openApiChecker(app);          // once per suite
//   const res = await app.request('/api/leads/XS-…');
//   await check('get', '/api/leads/XS-…', res);         // throws with every mismatch
import { z } from 'zod';

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

function matchPath(doc: Json, method: string, path: string): { template: string; op: Json } | undefined {
  const bare = path.split('?')[0]!;
  for (const [template, item] of Object.entries(doc.paths as Json)) {
    const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (re.test(bare) && (item as Json)[method]) return { template, op: (item as Json)[method] };
  }
  return undefined;
}

/** Validates one answer against a document; throws an Error listing what does not fit. */
export function checkAnswer(doc: Json, method: string, path: string, answer: { status: number; contentType: string | null; body: unknown }): Checked {
  const m = method.toLowerCase();
  const found = matchPath(doc, m, path);
  if (!found) throw new Error(`OpenAPI: no operation for ${m.toUpperCase()} ${path}`);
  const documented = found.op.responses?.[String(answer.status)];
  if (!documented) {
    throw new Error(`OpenAPI: ${found.op.operationId} (${m.toUpperCase()} ${found.template}) does not document status ${answer.status}; body: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  const content = documented.content as Json | undefined;
  if (!content) return { operationId: found.op.operationId, status: answer.status };
  const type = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const media = content[type];
  if (!media) throw new Error(`OpenAPI: ${found.op.operationId} ${answer.status} answered ${type}, documented ${Object.keys(content).join(', ')}`);
  const schema = resolveRefs(doc, media.schema ?? {}) as Json;
  const result = z.fromJSONSchema(schema as never).safeParse(answer.body);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${'/' + i.path.join('/')}: ${i.message}`).join('; ');
    throw new Error(`OpenAPI: ${found.op.operationId} ${answer.status} body does not fit the document: ${issues}`);
  }
  return { operationId: found.op.operationId, status: answer.status };
}

/** Reads a Response (a clone: the caller may still read it) and validates it. */
export async function checkResponse(doc: Json, method: string, path: string, res: Response): Promise<Checked> {
  const text = await res.clone().text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch { /* not JSON: validated as text */ }
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
