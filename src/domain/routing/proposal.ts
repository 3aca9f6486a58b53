// A router's answer as the intake plan takes it (the routing part of a lead): the same on Node
// (src/runtime/services.ts) and on Workers (src/runtime/workerDeps.ts).
import type { RoutingProposal } from '../intake.ts';
import type { LeadDraft } from '../types.ts';
import type { Router } from './router.ts';

export function routingProposal(router: Router, draft: LeadDraft): RoutingProposal {
  const r = router.route(draft);
  return {
    agency: r.agency, transfer: r.transfer, confident: r.confident, reason: r.reason,
    problemTypes: r.problemTypes, domain: r.domain,
    detail: { candidates: r.candidates, transfers: r.transfers, hits: r.hits, township: r.township, subject: r.subject },
  };
}
