// The posting window (src/domain/dedupe/postingWindow.ts) of one database handle: built from the
// fingerprint rows posted inside the asked window, then kept up to date from the rows committed
// since, which carry an increasing seq: read back when something was committed (changes.ts), or,
// in a de-duplication worker, handed over for its own instance (applyLocal). Nothing is written for it
// but the report's own fingerprint row: posting 40 rows per report into a shared index had
// written as many scattered pages in every intake commit.
import type { Kysely } from 'kysely';
import { PostingWindow } from '../../domain/dedupe/postingWindow.ts';
import { changeGate } from '../changes.ts';
import type { DB } from '../schema/index.ts';

const PAGE = 2_000;
const DAY = 86_400_000;

function lines(text: string | null): string[] {
  return text ? text.split('\n') : [];
}

export class Postings {
  private readonly window = new PostingWindow();
  /** Everything posted at or after this time is held (null until the first load). */
  private loadedSince: string | null = null;
  private seq = 0;
  private catchingUp: Promise<void> | undefined;
  private loading: Promise<void> | undefined;
  private lastPrune = '';
  private readonly gate;

  constructor(private readonly db: Kysely<DB>) {
    this.gate = changeGate(db);
  }

  /**
   * The window holding every committed report posted at or after `since`. `catchUp: false` skips
   * reading what was committed since the last call (a second look within one look-up).
   */
  async current(since: string, opts: { catchUp?: boolean } = {}): Promise<PostingWindow> {
    while (this.loadedSince === null || since < this.loadedSince) await this.load(since);
    if (opts.catchUp !== false) await this.catchUp();
    this.pruneBefore(since);
    return this.window;
  }

  private load(since: string): Promise<void> {
    this.loading ??= (async () => {
      const to = this.loadedSince;
      if (to === null) {
        // The seq first: rows committed after it are read again by catchUp, and adding is idempotent.
        const top = await this.db.selectFrom('dedupe_fingerprint').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
        this.seq = Number(top?.seq ?? 0);
      }
      let query = this.db.selectFrom('dedupe_fingerprint').select(['report_id', 'lead_id', 'reported_at', 'postings'])
        .where('reported_at', '>=', since);
      if (to !== null) query = query.where('reported_at', '<', to);
      for (const r of await query.execute()) this.window.add(r.report_id, r.lead_id, r.reported_at, lines(r.postings));
      if (this.loadedSince === null || since < this.loadedSince) this.loadedSince = since;
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Applies the rows committed since the last look (coalesces concurrent callers). */
  private catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      const change = this.gate.check();
      if (!change) return;
      for (;;) {
        const rows = await this.db.selectFrom('dedupe_fingerprint')
          .select(['seq', 'report_id', 'lead_id', 'reported_at', 'postings'])
          .where('seq', '>', this.seq).orderBy('seq').limit(PAGE).execute();
        for (const r of rows) {
          // Handed over meanwhile (applyLocal)?
          if (Number(r.seq) <= this.seq) continue;
          if (this.loadedSince !== null && r.reported_at >= this.loadedSince) {
            this.window.add(r.report_id, r.lead_id, r.reported_at, lines(r.postings));
          }
          this.seq = Number(r.seq);
        }
        if (rows.length < PAGE) break;
      }
      this.gate.saw(change.version);
    })().finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  /** From now on the rows this instance commits are handed over (applyLocal); see changes.ts. */
  fedLocally(): void {
    this.gate.fedLocally();
  }

  /** Another writer has committed: the next look reads the tables. */
  markStale(): void {
    this.gate.markStale();
  }

  /** A row this instance has just committed, as its writer hands it over. */
  applyLocal(row: { seq: number; reportId: string; leadId: string; at: string; features: string[] }): void {
    if (row.seq <= this.seq) return;
    // Not loaded yet, or a gap (another writer's rows come first): the tables tell.
    if (this.loadedSince === null || row.seq !== this.seq + 1) {
      this.gate.markStale();
      return;
    }
    if (row.at >= this.loadedSince) this.window.add(row.reportId, row.leadId, row.at, row.features);
    this.seq = row.seq;
  }

  /** Drops what is older than a day before the window asked for, at most once a day. */
  private pruneBefore(since: string): void {
    const cut = new Date(Date.parse(since) - DAY).toISOString();
    if (this.loadedSince === null || cut <= this.loadedSince || cut.slice(0, 10) === this.lastPrune) return;
    this.lastPrune = cut.slice(0, 10);
    this.window.prune(cut);
    this.loadedSince = cut;
  }

  size(): ReturnType<PostingWindow['size']> {
    return this.window.size();
  }
}

const instances = new WeakMap<Kysely<DB>, Postings>();

/** The posting window read through `reader` (one per handle). */
export function postingsOf(reader: Kysely<DB>): Postings {
  let p = instances.get(reader);
  if (!p) instances.set(reader, (p = new Postings(reader)));
  return p;
}
