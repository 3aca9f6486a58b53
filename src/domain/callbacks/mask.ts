// A minimal masker for the free text a callback carries (the approved summary, a reason): phone
// numbers, 身份证 numbers, e-mail addresses and the names of the lead's reporters. Other reporters'
// personal data must never reach a source through a callback (API.md §3, §7).
//
// Kept local and simple on purpose; a full masker for every reader lives in src/domain/privacy/
// once that lands, and this one can then delegate to it.

const ID_CARD = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})[\s-]?\d{3,4}(\d{4})(?!\d)/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/** `names` are the reporters' names (each shown as its first character and asterisks). */
export function maskText(text: string, names: readonly string[] = []): string {
  let out = text
    .replace(ID_CARD, (_m, a: string, b: string) => `${a}********${b}`)
    .replace(MOBILE, (_m, a: string, b: string) => `${a}****${b}`)
    .replace(LANDLINE, (_m, a: string, b: string) => `${a}****${b}`)
    .replace(EMAIL, (_m, a: string, d: string) => `${a}***@${d}`);
  const sorted = [...new Set(names.map((n) => n.trim()).filter((n) => [...n].length >= 2))]
    .sort((x, y) => y.length - x.length);
  for (const name of sorted) {
    const chars = [...name];
    out = out.split(name).join(chars[0] + '*'.repeat(chars.length - 1));
  }
  return out;
}
