// Traditional → simplified Chinese (OpenCC's t2cn dictionaries, through opencc-js), skipped for
// texts it cannot change. Pure; the converter and the filter are built once, on first use.
//
// The converter changes a text only where one of its entries that maps to something else matches,
// so a text holding none of those entries comes back unchanged. Each such entry has a witness that
// any text holding it must hold too: the entry itself when it is one character, else the first
// character in which it differs from its replacement, when that character is itself converted on
// its own (a traditional character), else the two characters around that difference. A text
// without a witness is left as it is; 99 % of the TipDM messages have none (they are simplified
// already), and converting was most of the time normalisation took.
import { Converter, Locale } from 'opencc-js/t2cn';

type Convert = (text: string) => string;

interface Witnesses {
  /** BMP code units that are witnesses on their own. */
  chars: Uint8Array;
  /**
   * First units of two-character witnesses, and the pairs themselves as first × 0x10000 + second
   * (not a shift: that would turn units from U+8000 on, most Han characters, negative).
   */
  firsts: Uint8Array;
  pairs: Set<number>;
}

let convert: Convert | undefined;
let witnesses: Witnesses | undefined;

/** Every entry of the converter's dictionaries, as [from, to]. */
export function dictionaryEntries(): [string, string][] {
  const out: [string, string][] = [];
  for (const group of (Locale.to as Record<string, (string | string[][])[][]>).cn ?? []) {
    for (const dict of group) {
      const pairs = typeof dict === 'string' ? dict.split('|').map((line) => line.split(' ')) : dict;
      for (const [from = '', to = ''] of pairs) out.push([from, to]);
    }
  }
  return out;
}

/** The entries that change what they match, as [from, to] code point arrays. */
export function changingEntries(): [string[], string[]][] {
  return dictionaryEntries().filter(([from, to]) => from !== to).map(([from, to]) => [[...from], [...to]]);
}

function buildWitnesses(): Witnesses {
  const entries = changingEntries();
  const changedAlone = new Set(entries.filter(([from]) => from.length === 1).map(([from]) => from[0]!));
  const w: Witnesses = { chars: new Uint8Array(0x10000), firsts: new Uint8Array(0x10000), pairs: new Set() };
  for (const [from, to] of entries) {
    // A character outside the BMP makes mayChange() answer yes by itself.
    if (from.some((c) => c.length > 1)) continue;
    let at = from.findIndex((c, i) => c !== to[i]);
    if (at < 0) at = from.length - 1; // a longer replacement: the entry's end differs
    const c = from[at]!;
    if (from.length === 1 || changedAlone.has(c)) {
      w.chars[c.charCodeAt(0)] = 1;
      continue;
    }
    const i = Math.min(at, from.length - 2);
    const a = from[i]!.charCodeAt(0);
    const b = from[i + 1]!.charCodeAt(0);
    w.firsts[a] = 1;
    w.pairs.add(a * 0x10000 + b);
  }
  return w;
}

/** Whether the converter could change `text` (false: it certainly leaves it as it is). */
export function mayChange(text: string): boolean {
  witnesses ??= buildWitnesses();
  const { chars, firsts, pairs } = witnesses;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
    if (chars[c]) return true;
    if (firsts[c] && i + 1 < text.length && pairs.has(c * 0x10000 + text.charCodeAt(i + 1))) return true;
  }
  return false;
}

/** `text` in simplified characters, as OpenCC's t2cn converts it. */
export function simplified(text: string): string {
  if (!mayChange(text)) return text;
  convert ??= Converter({ from: 't', to: 'cn' });
  return convert(text);
}
