// The delivery log of each inbound source (GET /api/sources, `xiansuo sources`): deliveries taken
// in by answer, the last refusal's reason, and its callbacks. Counts not yet written are written first.
import type { SourceLog, SourceLogReads, SourceOverview } from '../domain/sourceLog.ts';

export interface SourceOverviewDeps {
  reads: SourceLogReads;
  /** This process's counts not yet written (the serving process has them; the CLI has none). */
  log?: Pick<SourceLog, 'flush'> | undefined;
}

/** Which sources there are, which have a secret and which a callback. */
export interface SourceSettings {
  sources: readonly { name: string }[];
  webhookSecrets: Partial<Record<string, string[]>>;
  callbacks?: Partial<Record<string, { url: string }>> | undefined;
}

export async function sourceOverview(deps: SourceOverviewDeps, settings: SourceSettings): Promise<SourceOverview[]> {
  await deps.log?.flush();
  return deps.reads.overview(settings.sources.map((s) => s.name), {
    enabled: (s) => Boolean(settings.webhookSecrets[s]?.length),
    callbackUrl: (s) => settings.callbacks?.[s]?.url,
  });
}
