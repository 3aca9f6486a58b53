// A compact Aho–Corasick automaton over UTF-16 code units: every pattern is found in one pass
// over the text, in time linear in the text plus the number of matches. (The npm package
// `modern-ahocorasick` does the same; we keep our own to stay free of dependencies.)

export interface Match {
  /** Index of the pattern in the list given to `buildAhoCorasick`. */
  pattern: number;
  /** Code-unit offset of the first character of the match. */
  start: number;
  /** Code-unit offset just past the match. */
  end: number;
}

export interface AhoCorasick {
  readonly patterns: readonly string[];
  /** Calls `onMatch` for every occurrence of every pattern, overlapping ones included, ordered by end. */
  search(text: string, onMatch: (pattern: number, start: number, end: number) => void): void;
  findAll(text: string): Match[];
}

/** Empty patterns are ignored; duplicates are all reported. */
export function buildAhoCorasick(patterns: readonly string[]): AhoCorasick {
  const goto: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  const depth: number[] = [0];

  patterns.forEach((p, id) => {
    if (p.length === 0) return;
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      let t = goto[s]!.get(c);
      if (t === undefined) {
        t = goto.length;
        goto.push(new Map());
        own.push([]);
        depth.push(depth[s]! + 1);
        goto[s]!.set(c, t);
      }
      s = t;
    }
    own[s]!.push(id);
  });

  const n = goto.length;
  const fail = new Int32Array(n);
  // Nearest state along the failure chain (excluding itself) that ends a pattern, or -1.
  const outLink = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (const t of goto[0]!.values()) queue.push(t);
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi]!;
    for (const [c, t] of goto[s]!) {
      let f = fail[s]!;
      while (f !== 0 && !goto[f]!.has(c)) f = fail[f]!;
      const g = goto[f]!.get(c);
      fail[t] = g !== undefined && g !== t ? g : 0;
      const ft = fail[t]!;
      outLink[t] = own[ft]!.length > 0 ? ft : outLink[ft]!;
      queue.push(t);
    }
  }

  // Flatten the trie for the hot loop: the root (visited after most characters of a Chinese text)
  // gets a dense table, other states a short run of sorted edges; firstOut[s] is the first state
  // along the output chain of s that ends a pattern (or -1).
  const root = new Int32Array(65536);
  for (const [c, t] of goto[0]!) root[c] = t;
  const edgeStart = new Int32Array(n + 1);
  for (let s = 0; s < n; s++) edgeStart[s + 1] = edgeStart[s]! + (s === 0 ? 0 : goto[s]!.size);
  const edgeChar = new Uint16Array(edgeStart[n]!);
  const edgeTo = new Int32Array(edgeStart[n]!);
  const firstOut = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    firstOut[s] = own[s]!.length > 0 ? s : outLink[s]!;
    if (s === 0) continue;
    let k = edgeStart[s]!;
    for (const [c, t] of [...goto[s]!].sort((a, b) => a[0] - b[0])) { edgeChar[k] = c; edgeTo[k] = t; k++; }
  }
  const step = (s: number, c: number): number => {
    let lo = edgeStart[s]!;
    let hi = edgeStart[s + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = edgeChar[mid]!;
      if (m === c) return edgeTo[mid]!;
      if (m < c) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  };

  function search(text: string, onMatch: (pattern: number, start: number, end: number) => void): void {
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let t = -1;
      while (s !== 0 && (t = step(s, c)) === -1) s = fail[s]!;
      s = s === 0 ? root[c]! : t;
      for (let o = firstOut[s]!; o > 0; o = outLink[o]!) {
        const d = depth[o]!;
        for (const id of own[o]!) onMatch(id, i + 1 - d, i + 1);
      }
    }
  }

  return {
    patterns,
    search,
    findAll(text) {
      const out: Match[] = [];
      search(text, (pattern, start, end) => out.push({ pattern, start, end }));
      return out;
    },
  };
}
