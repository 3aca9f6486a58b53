// What a webhook source declares, and the schema pieces the sources share. The sources themselves
// are modules in webhooks/ (one file each, listed in webhooks/index.ts); everything else about a
// source — its WEBHOOK_SECRET_* and CALLBACK_* variables, its row in the channels table, its label
// on pages, in statistics and in routing reasons, its route and the type of its name — is derived
// from that list.
import { z } from 'zod';
import type { LeadDraft } from './types.ts';

export interface WebhookSource<Name extends string = string> {
  /** The path segment (`POST /webhooks/{name}`) and the channel code stored with each report. */
  readonly name: Name;
  /** 来源渠道 in Chinese, as pages, statistics and routing reasons show it. */
  readonly label: string;
  /** The environment variable holding the Standard Webhooks secret(s); unset = the source is off. */
  readonly secretVariable: `WEBHOOK_SECRET_${Uppercase<Name>}`;
  readonly schema: z.ZodType;
  /** The parsed payload (schema's output) as a LeadDraft with `source: name`. */
  toDraft(payload: any): LeadDraft;
  /** Example payloads: `valid` is required (the documentation's example and the tests' default). */
  readonly samples: { readonly valid: Record<string, unknown> } & Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * Declares a source, checking at compile time that the secret variable follows the name
 * (`hotline` → `WEBHOOK_SECRET_HOTLINE`) and that the mapping takes what the schema yields.
 */
export function defineSource<const Name extends string, S extends z.ZodType>(source: {
  name: Name;
  label: string;
  secretVariable: `WEBHOOK_SECRET_${Uppercase<Name>}`;
  schema: S;
  toDraft(payload: z.output<S>): LeadDraft;
  samples: { valid: Record<string, unknown> } & Record<string, Record<string, unknown>>;
}): WebhookSource<Name> {
  return Object.freeze(source);
}

/** The names in a list of sources, as a union type. */
export type SourceName<L extends readonly WebhookSource[]> = L[number]['name'];

/** The callback variables of a source (API.md §7). */
export function callbackVariables(name: string): { url: string; secret: string } {
  const upper = name.toUpperCase();
  return { url: `CALLBACK_URL_${upper}`, secret: `CALLBACK_SECRET_${upper}` };
}

// ---------------------------------------------------------------------------------------------
// Pieces shared by the sources' schemas.

export const text = (max: number) => z.string().trim().min(1, '不能为空').max(max, `不能超过 ${max} 个字符`);
export const optionalText = (max: number) => z.string().trim().max(max, `不能超过 ${max} 个字符`).optional()
  .transform((v) => (v === '' ? undefined : v));
export const instant = z.iso.datetime({ offset: true, message: '应为带时区的 ISO 8601 时间，如 2026-03-02T09:15:00+08:00' });
export const externalId = z.string().trim().min(1, '不能为空').max(128, '不能超过 128 个字符')
  .regex(/^[\x21-\x7e]+$/, '只能包含可见的 ASCII 字符');
export const httpUrl = z.url({ protocol: /^https?$/, message: '应为 http(s) 地址' }).max(2000);

/** Fields every source may send about the place and the agency complained about. */
export const placeFields = {
  address: optionalText(500),
  township: optionalText(50),
  subject: optionalText(200),
};

/** ISO instant with offset → UTC ISO with milliseconds, the form every stored time takes. */
export function toUtc(iso: string): string {
  return new Date(iso).toISOString();
}
