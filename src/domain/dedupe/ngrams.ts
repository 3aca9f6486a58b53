// A report's distinct character bigrams and trigrams, counted without making a string for each:
// an open-addressing table of their hashes (sketch.ts hash32, the hash document frequencies are
// counted under) over typed arrays, each n-gram kept as its place in the report's text. A report
// has ~2,000 n-grams; a Map of strings cost one string and one map entry each, and most of the
// garbage de-duplication made. Equal hashes of different n-grams are told apart by their text,
// or, for an n-gram of at most three UTF-16 code units (nearly all of them), by its code: the
// code units themselves as one exact number, compared in one step where reading the characters
// back from two strings cost ten times as much as the hash probe.
import { fmix32 } from './sketch.ts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** hash32 of an n-gram (sketch.ts), the hash it is counted and found under. */
export function gramHash(gram: string): number {
  let h = FNV_OFFSET;
  for (let k = 0; k < gram.length; k++) h = Math.imul(h ^ gram.charCodeAt(k), FNV_PRIME);
  return fmix32(h);
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

const NO_CODE = -1;

/**
 * source[from, to) as one number that only it has, when it is at most three code units long
 * (its length, then its code units, 16 bits each: below 2^50, exact in a double); NO_CODE for a
 * longer one (characters outside the BMP), which is compared by its text.
 */
export function gramCode(source: string, from: number, to: number): number {
  const length = to - from;
  if (length > 3) return NO_CODE;
  let code = length;
  for (let k = from; k < to; k++) code = code * 0x10000 + source.charCodeAt(k);
  return code;
}

export class Ngrams {
  /** Distinct n-grams so far; index i < size in every array below. */
  size = 0;
  readonly hashes: Uint32Array;
  /** Term frequency (a title occurrence counts as the caller says). */
  readonly tf: Float64Array;
  /** Where the n-gram is in `text`: start and length in UTF-16 code units. */
  readonly start: Uint32Array;
  readonly length: Uint8Array;
  readonly inTitle: Uint8Array;
  /** gramCode of each n-gram. */
  readonly codes: Float64Array;
  /** index + 1 of the n-gram in each slot, 0 when empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `text` holds every n-gram that will be added; at most 2 per character of it. */
  constructor(readonly text: string) {
    const max = Math.max(1, 2 * text.length);
    let capacity = 16;
    while (capacity < 2 * max) capacity *= 2;
    // One block for all the arrays (one allocation per report instead of six), widest first.
    const block = new ArrayBuffer(16 * max + 4 * (2 * max + capacity) + 2 * max);
    let at = 0;
    const take = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, bytes: number, n: number): T => {
      const view = make(block, at, n);
      at += bytes * n;
      return view;
    };
    this.tf = take((b, o, n) => new Float64Array(b, o, n), 8, max);
    this.codes = take((b, o, n) => new Float64Array(b, o, n), 8, max);
    this.hashes = take((b, o, n) => new Uint32Array(b, o, n), 4, max);
    this.start = take((b, o, n) => new Uint32Array(b, o, n), 4, max);
    this.slots = take((b, o, n) => new Int32Array(b, o, n), 4, capacity);
    this.length = take((b, o, n) => new Uint8Array(b, o, n), 1, max);
    this.inTitle = take((b, o, n) => new Uint8Array(b, o, n), 1, max);
    this.mask = capacity - 1;
  }

  /** The n-gram itself (a string made only when asked for). */
  gram(i: number): string {
    return this.text.slice(this.start[i]!, this.start[i]! + this.length[i]!);
  }

  /** Position of an n-gram, or -1. */
  indexOf(gram: string): number {
    return this.find(gramHash(gram), gram);
  }

  /** Position of an n-gram whose gramHash is `h`, or -1. */
  find(h: number, gram: string): number {
    return this.findIn(h, gram, 0, gram.length);
  }

  /** Position of the n-gram source[from, to), whose gramHash is `h`, or -1. */
  findIn(h: number, source: string, from: number, to: number): number {
    return this.findCoded(h, gramCode(source, from, to), source, from, to);
  }

  /** findIn, given the n-gram's gramCode too (scoring keeps the codes of stored n-grams). */
  findCoded(h: number, code: number, source: string, from: number, to: number): number {
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot]! - 1;
      if (at < 0) return -1;
      if (this.hashes[at] === h && this.codes[at] === code && (code !== NO_CODE || this.holds(at, source, from, to))) return at;
    }
  }

  /**
   * Counts the bigrams, then the trigrams, of text[from, to) (a run of `text`, by code points),
   * each `times`, marked as title n-grams or not.
   */
  addRun(from: number, to: number, times: number, title: boolean): void {
    const text = this.text;
    let pairs = false;
    for (let i = from; i < to && !pairs; i++) pairs = isHighSurrogate(text.charCodeAt(i));
    if (!pairs) {
      // One code unit per character (nearly every report).
      for (const n of [2, 3]) for (let k = from; k + n <= to; k++) this.add(k, n, times, title);
      return;
    }
    // Code point starts: a character outside the BMP takes two code units.
    const starts: number[] = [];
    for (let i = from; i < to; i++) {
      starts.push(i);
      if (isHighSurrogate(text.charCodeAt(i)) && i + 1 < to) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    starts.push(to);
    for (const n of [2, 3]) {
      for (let k = 0; k + n < starts.length; k++) this.add(starts[k]!, starts[k + n]! - starts[k]!, times, title);
    }
  }

  private add(start: number, length: number, times: number, title: boolean): void {
    const text = this.text;
    // gramHash and gramCode, in one pass over the characters.
    let h = FNV_OFFSET;
    let code = length;
    for (let k = start; k < start + length; k++) {
      const c = text.charCodeAt(k);
      h = Math.imul(h ^ c, FNV_PRIME);
      code = code * 0x10000 + c;
    }
    h = fmix32(h);
    if (length > 3) code = NO_CODE;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot]! - 1;
      if (at < 0) {
        const i = this.size++;
        this.slots[slot] = i + 1;
        this.hashes[i] = h;
        this.codes[i] = code;
        this.start[i] = start;
        this.length[i] = length;
        this.tf[i] = times;
        this.inTitle[i] = title ? 1 : 0;
        return;
      }
      if (this.hashes[at] === h && this.codes[at] === code && (code !== NO_CODE || this.holds(at, text, start, start + length))) {
        this.tf[at] = this.tf[at]! + times;
        if (title) this.inTitle[at] = 1;
        return;
      }
    }
  }

  /** Whether n-gram i is source[from, to) (compared in place). */
  private holds(i: number, source: string, from: number, to: number): boolean {
    if (this.length[i] !== to - from) return false;
    const s = this.start[i]!;
    for (let k = 0; k < to - from; k++) if (this.text.charCodeAt(s + k) !== source.charCodeAt(from + k)) return false;
    return true;
  }
}
