// Masks personal data in text the public will read (公示). What is taken out:
// - runs of 7 or more digits (phone numbers, 身份证 numbers with their final X, landlines, any of
//   them written with spaces or hyphens; full-width digits are read as digits), except plain dates;
// - e-mail addresses;
// - the reporters' names and addresses given (every occurrence), and any "X先生/女士…" form;
// - house numbers (…号、…栋、…单元、…室).
// It errs on the side of masking: a long number that is not a phone is masked too.

export interface KnownPersonalData {
  /** Reporters' names as they gave them. */
  names?: (string | null | undefined)[];
  /** Addresses the reporters gave. */
  addresses?: (string | null | undefined)[];
}

export const MASK = '***';

const DIGIT_RUN = /\+?\d(?:[\s\-\u00a0]?\d){6,}[Xx]?/g;
const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const EMAIL = /[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+/g;
const HONORIFIC = /[\u4e00-\u9fff](?:先生|女士|小姐|师傅|阿姨|大爷|大妈)/g;
const HOUSE_NUMBER = /[\d一二三四五六七八九十百零〇]+(?:号楼|号院|号|栋|幢|单元|室|层)(?:[\d一二三四五六七八九十百零〇]+(?:号|栋|幢|单元|室|层))*/g;

/** Full-width digits, letters and the signs of numbers and addresses as ASCII; other text untouched (，stays ，). */
function fold(text: string): string {
  return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff20\uff0d\uff0b\uff0e\uff3f]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Distinct non-trivial values, longest first (so a longer one is masked before its parts). */
function known(values: (string | null | undefined)[] | undefined, min: number): string[] {
  const out = new Set<string>();
  for (const v of values ?? []) {
    const s = fold(v ?? '').trim();
    if ([...s].length >= min) out.add(s);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

export function maskPersonalData(text: string, data: KnownPersonalData = {}): string {
  let s = fold(text);
  for (const address of known(data.addresses, 4)) s = s.split(address).join(MASK);
  for (const name of known(data.names, 2)) {
    // the name, also written with spaces between its characters
    s = s.replace(new RegExp([...name].map(escape).join('\\s*'), 'g'), '某某');
    const chars = [...name];
    // a Chinese name's given name alone (张三丰 → 三丰) when it is two characters or more
    if (chars.length >= 3 && /^[\u4e00-\u9fff]+$/.test(name)) s = s.split(chars.slice(1).join('')).join('某某');
  }
  s = s.replace(EMAIL, MASK);
  s = s.replace(DIGIT_RUN, (m) => (DATE.test(m) ? m : MASK));
  s = s.replace(HONORIFIC, (m) => `某${m.slice(1)}`);
  s = s.replace(HOUSE_NUMBER, MASK);
  return s;
}

/** Whether text still shows any of the generic patterns (phones, ID numbers, e-mails). */
export function showsPersonalData(text: string): boolean {
  const s = fold(text);
  return [...s.matchAll(DIGIT_RUN)].some((m) => !DATE.test(m[0])) || EMAIL.test(s);
}
