// Test support for the lifecycle (used by *.test.ts only): actors, a deterministic context and
// small builders. Pure, like the rest of the domain.

import { BUILT_IN_DEADLINE_POLICY, chineseWorkingCalendar, type WorkingCalendar } from '../calendar/index.ts';
import type { Actor } from '../types.ts';
import type { LeadState, TransitionContext } from './state.ts';
import { initialLeadState, type FollowUpReport } from './transitions.ts';

let sharedCalendar: WorkingCalendar | undefined;

/** The real published calendar, built once. */
export function realCalendar(): WorkingCalendar {
  return (sharedCalendar ??= chineseWorkingCalendar());
}

/** A context whose ids are AS-1, AS-2, … */
export function testContext(overrides: Partial<TransitionContext> = {}): TransitionContext {
  let n = 0;
  return {
    calendar: realCalendar(),
    policy: BUILT_IN_DEADLINE_POLICY,
    tz: 'Asia/Shanghai',
    newId: () => `AS-${++n}`,
    ...overrides,
  };
}

export const actors = {
  bureau: { id: 'token:1', role: 'bureau' },
  admin: { id: 'token:2', role: 'admin' },
  urban: { id: 'token:10', role: 'agency', agency: 'urban' },
  market: { id: 'token:11', role: 'agency', agency: 'market' },
  transport: { id: 'token:12', role: 'agency', agency: 'transport' },
  supervisor: { id: 'token:20', role: 'supervisor', supervisorId: 'SUP-7' },
  otherSupervisor: { id: 'token:21', role: 'supervisor', supervisorId: 'SUP-8' },
  viewer: { id: 'token:30', role: 'viewer' },
  system: { id: 'system:routing', role: 'system' },
} satisfies Record<string, Actor>;

export const LEAD_ID = 'XS-2026-000001';
export const OTHER_LEAD_ID = 'XS-2026-000002';

export function triageLead(): LeadState {
  return initialLeadState({ id: LEAD_ID, priority: 'normal', routing: { agency: 'urban', transfer: null } });
}

export const reports: FollowUpReport[] = [
  { id: 'RP-2026-000001', reporter: { name: '张先生', phone: '13800000000', confidential: false } },
  { id: 'RP-2026-000002', reporter: { phone: '13912345678', confidential: true } },
  { id: 'RP-2026-000003', reporter: { name: '李女士', confidential: false } },
  { id: 'RP-2026-000004', reporter: { confidential: false, supervisorId: 'SUP-7' } },
  { id: 'RP-2026-000005', reporter: { name: '张先生', phone: '138 0000 0000', confidential: false } },
];

/** Freezes a value deeply, so a transition that changed its argument would throw. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
