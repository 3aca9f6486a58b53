// The delivery log per inbound source as the bureau and operators see it (GET /api/sources,
// `xiansuo sources`), and the ports the source log implements (src/db/stores/sourceLog.ts).

export interface CallbackCounts {
  pending: number;
  failed: number;
  delivered: number;
  lastError: { at: string; error: string; type: string; id: string } | null;
}

export interface SourceOverview {
  source: string;
  name: string;
  /** Whether the source has a webhook secret (a source without one answers 404). */
  enabled: boolean;
  inbound: {
    total: number;
    /** HTTP status → how many deliveries got it. */
    byStatus: Record<string, number>;
    lastRefusal: { at: string; status: number; detail: string | null } | null;
  };
  callback: ({ url: string } & CallbackCounts) | null;
}

/** Counts the webhook answers per source, in memory, written at most once a second (or, on Workers, after each response). */
export interface SourceLog {
  answered(source: string, status: number, at: string, detail?: string): void;
  /** Writes what was counted so far. */
  flush(): Promise<void>;
  /** Each answer is written after its own response (no timer): for Workers. */
  readonly perRequest?: boolean;
}

export interface SourceLogReads {
  overview(
    sources: readonly string[], opts: { enabled: (s: string) => boolean; callbackUrl: (s: string) => string | undefined },
  ): Promise<SourceOverview[]>;
}
