// The intake flow as the HTTP layer runs it: webhooks and leads entered by hand both come here.
import { receiveReport, type IncomingReport, type IntakeOutcome } from '../domain/intake.ts';
import { createIntakeStore } from '../db/stores/intake.ts';
import { autoDispatch } from '../jobs/dispatch.ts';
import { writeIndex, type IndexRows } from '../db/stores/dedupe.ts';
import type { AppDeps } from './context.ts';
import { transitionContext } from './routes/workflow.ts';

const stores = new WeakMap<AppDeps, ReturnType<typeof createIntakeStore>>();

export function intake(deps: AppDeps, incoming: IncomingReport, at: string): Promise<IntakeOutcome> {
  let store = stores.get(deps);
  if (!store) {
    store = createIntakeStore(deps.db, deps.reader, deps.config.tz, {
      onReportStored: async (tx, rec, r) => {
        const seq = await writeIndex(tx, r.leadId, r.reportId, r.indexWrite as IndexRows);
        rec.afterCommit(() => deps.indexed?.(r.indexWrite, { reportId: r.reportId, leadId: r.leadId, seq }));
      },
      onNewLead: (tx, rec, lead, when) => autoDispatch(tx, rec, deps, transitionContext(deps), lead, when),
    });
    stores.set(deps, store);
  }
  return receiveReport({ ...store, dedupe: deps.dedupe, route: deps.route }, incoming, at);
}
