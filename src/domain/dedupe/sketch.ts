// Document frequencies as a count-min sketch: a fixed block of counters that every feature hashes
// into (DEPTH cells each); a feature's count is the smallest of its cells. It never undercounts,
// and overcounts only where every cell is shared with other features: rare features stay rare,
// which is all idf needs. Its size does not grow with the store (a table of exact counts held
// 12 million rows at a million leads, and updating ~500 of its rows per report dominated intake).
//
// The counters are plain bytes so that the store can persist them as a few blobs.

/** Rows of counters; a feature's count is the minimum over its cell in each row. */
export const SKETCH_DEPTH = 2;
/**
 * Default counters per row: 2^21 (16 MiB in all). On the TipDM messages, de-duplication scores
 * the same with 2^14 counters as with exact counts (bench/dedupe-sim.ts, SKETCH_BITS=14).
 */
export const DEFAULT_SKETCH_BITS = 21;

/** FNV-1a over UTF-16 code units, then a final avalanche (murmur3's fmix32). */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3's final avalanche of a 32-bit hash. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The second step of double hashing, from the first hash alone (so a stored hash is enough). */
function step(h1: number): number {
  let h = (h1 ^ 0x9e3779b9) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h | 1) >>> 0;
}

/** The hash of each feature, in order. */
export function hashAll(features: readonly string[]): Uint32Array {
  const out = new Uint32Array(features.length);
  for (let i = 0; i < features.length; i++) out[i] = hash32(features[i]!);
  return out;
}

/** Each hash once, in ascending order. */
export function uniqueHashes(hashes: Uint32Array): Uint32Array {
  const sorted = hashes.slice().sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
  return sorted.slice(0, n);
}

/** The hashes of a document's distinct features: what is counted, and what the store logs. */
export function documentHashes(features: Iterable<string>): Uint32Array {
  return uniqueHashes(hashAll([...features]));
}

export class CountMinSketch {
  readonly bits: number;
  /** DEPTH rows of 2^bits counters, one after the other. */
  readonly counters: Uint32Array;
  /** Documents added. */
  docs = 0;
  private readonly mask: number;

  constructor(bits = DEFAULT_SKETCH_BITS, counters?: Uint32Array) {
    if (!Number.isInteger(bits) || bits < 8 || bits > 26) throw new RangeError(`sketch bits must be 8..26, not ${bits}`);
    this.bits = bits;
    this.mask = (1 << bits) - 1;
    const size = SKETCH_DEPTH << bits;
    if (counters && counters.length !== size) throw new RangeError(`sketch of ${bits} bits needs ${size} counters, got ${counters.length}`);
    this.counters = counters ?? new Uint32Array(size);
  }

  /** One more document, given by the hashes of its distinct features (documentHashes). */
  addHashes(hashes: ArrayLike<number>): void {
    const { counters, mask, bits } = this;
    for (let k = 0; k < hashes.length; k++) {
      const h1 = hashes[k]!;
      const h2 = step(h1);
      for (let row = 0; row < SKETCH_DEPTH; row++) {
        const i = (row << bits) + ((h1 + Math.imul(row, h2)) & mask);
        if (counters[i]! < 0xffffffff) counters[i]!++;
      }
    }
    this.docs++;
  }

  /** Adds `n` to the cells of one feature hash (exact counts from elsewhere; documents unchanged). */
  addCount(h1: number, n: number): void {
    const h2 = step(h1);
    for (let row = 0; row < SKETCH_DEPTH; row++) {
      const i = (row << this.bits) + ((h1 + Math.imul(row, h2)) & this.mask);
      this.counters[i] = Math.min(0xffffffff, this.counters[i]! + n);
    }
  }

  /** One more document holding these features (each counted once, however often it repeats). */
  addDocument(features: Iterable<string>): void {
    this.addHashes(documentHashes(features));
  }

  /** Documents holding `feature`: never fewer than the truth. */
  count(feature: string): number {
    return this.countHash(hash32(feature));
  }

  /** count() of each hash, in order. */
  countHashes(hashes: Uint32Array): Uint32Array {
    const out = new Uint32Array(hashes.length);
    for (let i = 0; i < hashes.length; i++) out[i] = this.countHash(hashes[i]!);
    return out;
  }

  private countHash(h1: number): number {
    const h2 = step(h1);
    let min = 0xffffffff;
    for (let row = 0; row < SKETCH_DEPTH; row++) {
      const n = this.counters[(row << this.bits) + ((h1 + Math.imul(row, h2)) & this.mask)]!;
      if (n < min) min = n;
    }
    return min;
  }


  /** The counters as `parts` byte blocks of equal size (for storage). */
  toParts(parts: number): Uint8Array[] {
    const bytes = new Uint8Array(this.counters.buffer, this.counters.byteOffset, this.counters.byteLength);
    if (bytes.length % parts !== 0) throw new RangeError(`${bytes.length} bytes do not split into ${parts} parts`);
    const size = bytes.length / parts;
    return Array.from({ length: parts }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  }

  /** A sketch from stored parts (in order); a missing or short set of parts is an error. */
  static fromParts(bits: number, parts: Uint8Array[], docs: number): CountMinSketch {
    const total = (SKETCH_DEPTH << bits) * 4;
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      if (off + p.length > total) throw new RangeError('stored sketch is larger than its size');
      bytes.set(p, off);
      off += p.length;
    }
    if (off !== total) throw new RangeError(`stored sketch has ${off} of ${total} bytes`);
    const sketch = new CountMinSketch(bits, new Uint32Array(bytes.buffer));
    sketch.docs = docs;
    return sketch;
  }
}
