// "Has anything been committed since I last looked?", answered without reading a table.
//
// The de-duplication look-up follows the rows every instance commits (postings.ts, docFreq.ts).
// Asking the tables before every look-up cost three queries per report even when nothing had been
// committed since the previous look-up, which under load is most of the time (one group commit
// serves dozens of reports). Two ways to know better:
// - On SQLite, `PRAGMA data_version` changes exactly when another connection has committed; a
//   backend whose connection can tell says so (Backend.changeProbe, src/db/commit.ts).
// - A follower that is handed the rows its own instance commits (the de-duplication worker,
//   fedLocally) reads the tables only when told that another writer has committed (markStale),
//   or when a handed row does not follow the last one it has.
// Handles with neither (PostgreSQL; an in-memory SQLite that reads through its writer) always read.
/** Remembers what the reader last saw; one per follower (each follows its own tables). */
export class ChangeGate {
  private seen: number | undefined;
  private local = false;
  /** Counts markStale calls: a read that began before the latest one does not clear it. */
  private staleness = 1;
  private cleared = 0;

  constructor(private readonly probe: (() => number) | undefined) {}

  /**
   * The version to pass to `saw` once the rows are read, or null when nothing was committed
   * since the last `saw` (reading the tables would find nothing new).
   */
  check(): { version: number | undefined } | null {
    if (this.local) return this.cleared === this.staleness ? null : { version: this.staleness };
    if (!this.probe) return { version: undefined };
    const version = this.probe();
    return version === this.seen ? null : { version };
  }

  /** The rows committed up to `version` are applied. */
  saw(version: number | undefined): void {
    if (this.local) this.cleared = Math.max(this.cleared, version ?? 0);
    else this.seen = version;
  }

  /** From now on, this instance's own rows are handed over: read the tables only when stale. */
  fedLocally(): void {
    this.local = true;
  }

  /** Another writer has committed, or a handed row left a gap: the next look reads the tables. */
  markStale(): void {
    this.staleness++;
  }
}
