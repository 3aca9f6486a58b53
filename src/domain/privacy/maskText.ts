// Masking personal data inside free text: phone numbers (mobile and landline), 身份证 numbers,
// e-mail addresses, and the reporters' own names and phones wherever they are written. A
// confidential reporter's name and phone become 保密. Pure: the stored text is never changed, the
// reads of it are.
//
// Precise on purpose: order numbers (GD2026030200123), lead ids (XS-2026-000001), report ids and
// dates stay as they are. A number glued to letters (an order number's prefix) is never a phone.

export const CONFIDENTIAL = '保密';

/** A reporter as the structured fields give them. */
export interface Person {
  name: string | null;
  phone: string | null;
  confidential: boolean;
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  if (digits.length < 8) return `${digits.slice(0, 1)}${'*'.repeat(digits.length - 3)}${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 430102199001011234 → 4****************4: the region and the birth date are what identify. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 1)}${'*'.repeat(id.length - 2)}${id.slice(-1)}`;
}

/** zhangsan@example.com → z***@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

// Matched on a copy of the text with full-width forms folded to ASCII (same length, so offsets hold).
const NOT_BEFORE = '(?<![0-9A-Za-z])';
const MOBILE = new RegExp(`${NOT_BEFORE}(?:(?:\\+|00)?86[\\s-]?)?(1[3-9]\\d(?:[\\s-]?\\d{4}){2})(?!\\d)`, 'g');
const LANDLINE = new RegExp(`${NOT_BEFORE}(?:\\(0\\d{2,3}\\)|0\\d{2,3})[\\s-]?\\d{7,8}(?!\\d)`, 'g');
const DATE = '(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])';
const ID18 = new RegExp(`${NOT_BEFORE}[1-9]\\d{5}(?:18|19|20)\\d{2}${DATE}\\d{3}[\\dXx](?![0-9A-Za-z])`, 'g');
const ID15 = new RegExp(`${NOT_BEFORE}[1-9]\\d{7}${DATE}\\d{3}(?![0-9A-Za-z])`, 'g');
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Full-width ASCII forms (０-９, ＠, （）, －, ＋ …) and the ideographic space as their ASCII selves. */
function fold(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** The digits of a phone as written in a structured field, without the country code. */
function digitsOf(s: string): string {
  const d = fold(s).replace(/\D/g, '');
  return /^(?:00)?861[3-9]\d{9}$/.test(d) ? d.slice(-11) : d;
}

interface Span { start: number; end: number; text: string }

/** A masker for texts about these reporters. Build it once per lead and apply it to every text. */
export type TextMasker = (text: string) => string;

export function textMasker(people: readonly Person[] = []): TextMasker {
  // A person who asked for confidentiality in any report stays confidential in all of them.
  const secretNames = new Set<string>();
  const secretPhones = new Set<string>();
  for (const p of people) {
    if (!p.confidential) continue;
    if (p.name?.trim()) secretNames.add(p.name.trim());
    if (p.phone && digitsOf(p.phone)) secretPhones.add(digitsOf(p.phone));
  }
  const names = new Map<string, string>();
  const phones = new Map<string, string>();
  for (const p of people) {
    const name = p.name?.trim();
    const digits = p.phone ? digitsOf(p.phone) : '';
    const secret = p.confidential || (name && secretNames.has(name)) || (digits && secretPhones.has(digits));
    // One-character names would mask every occurrence of a common character: left to the structured field.
    if (name && Array.from(name).length >= 2) names.set(name, secret ? CONFIDENTIAL : maskName(name));
    if (digits.length >= 5) phones.set(digits, secret ? CONFIDENTIAL : maskPhone(digits));
  }
  // Secret ones first, so that a name that is also someone's confidential one is sealed.
  const byLength = (a: [string, string], b: [string, string]) =>
    Number(b[1] === CONFIDENTIAL) - Number(a[1] === CONFIDENTIAL) || b[0].length - a[0].length;
  const phoneRules = [...phones].sort(byLength).map(([digits, shown]) => ({
    re: new RegExp(`(?<!\\d)${[...digits].join('[\\s-]?')}(?!\\d)`, 'g'), shown,
  }));
  const nameRules = [...names].sort(byLength);

  return (text: string) => {
    if (!text) return text;
    const folded = fold(text);
    const taken = new Uint8Array(text.length);
    const spans: Span[] = [];
    const take = (start: number, end: number, shown: string) => {
      for (let i = start; i < end; i++) if (taken[i]) return;
      taken.fill(1, start, end);
      spans.push({ start, end, text: shown });
    };
    const each = (re: RegExp, shown: (m: RegExpExecArray) => string) => {
      re.lastIndex = 0;
      for (let m = re.exec(folded); m; m = re.exec(folded)) take(m.index, m.index + m[0].length, shown(m));
    };
    for (const r of phoneRules) each(r.re, () => r.shown);
    each(ID18, (m) => maskIdNumber(m[0]));
    each(ID15, (m) => maskIdNumber(m[0]));
    each(EMAIL, (m) => maskEmail(m[0]));
    each(MOBILE, (m) => maskPhone(m[1]!.replace(/\D/g, '')));
    each(LANDLINE, (m) => maskPhone(m[0].replace(/\D/g, '')));
    for (const [name, shown] of nameRules) {
      for (let i = text.indexOf(name); i !== -1; i = text.indexOf(name, i + name.length)) take(i, i + name.length, shown);
    }
    if (spans.length === 0) return text;
    spans.sort((a, b) => a.start - b.start);
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += text.slice(at, s.start) + s.text;
      at = s.end;
    }
    return out + text.slice(at);
  };
}

/** One text, masked. */
export function maskText(text: string, people: readonly Person[] = []): string {
  return textMasker(people)(text);
}

const MAX_DEPTH = 64;

/** Every string inside a JSON value, masked (keys are kept). Deeper than 64 levels is cut off as null. */
export function maskDeep<T>(value: T, mask: TextMasker, depth = 0): T {
  if (typeof value === 'string') return mask(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return null as T;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, mask, depth + 1);
  return out as T;
}
