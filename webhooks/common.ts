// Pieces shared by the inbound sources' schemas.
import { z } from 'zod';

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
