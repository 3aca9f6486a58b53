// Reading and validating request input: every refusal is a problem+json naming each bad field.
import type { Context } from 'hono';
import type { z } from 'zod';
import { fieldErrors, inspectJson } from '../domain/jsonInput.ts';
import { HttpProblem, badRequest } from './problem.ts';

export interface FieldError { path: string; message: string }

export { fieldErrors } from '../domain/jsonInput.ts';

export function invalid(errors: FieldError[]): HttpProblem {
  return badRequest(errors.map((e) => `${e.path} ${e.message}`).join('；'), { errors });
}

/**
 * The body as JSON ({} when empty); 400 when it is not JSON, 422 naming each string that holds a
 * NUL or an unpaired surrogate and each container nested deeper than 64 levels (the same rule on
 * every database, checked before any schema or store sees the value).
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'malformed-json', '请求体不是合法的 JSON', '请求体必须是 JSON 对象');
  }
  const errors = inspectJson(json);
  if (errors.length > 0) throw invalid(errors);
  return json;
}

export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error));
  return parsed.data;
}
