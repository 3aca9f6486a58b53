// Deadline policies as data (API.md §5), by priority; replaceable in XIANSUO_CONFIG.

import { z } from 'zod';
import type { Priority } from '../types.ts';

/** "Within N working days" (ends 23:59:59 local of the Nth working day) or "within N hours". */
export type DeadlineSpec = { workingDays: number } | { hours: number };

export interface PriorityDeadlines {
  /** 签收 */
  acknowledge: DeadlineSpec;
  /** 整改反馈 */
  feedback: DeadlineSpec;
}

export type DeadlinePolicy = Record<Priority, PriorityDeadlines>;

export const deadlineSpecSchema = z.union([
  z.strictObject({ workingDays: z.number().int().min(1).max(366) }),
  z.strictObject({ hours: z.number().positive().max(24 * 366) }),
]);

export const priorityDeadlinesSchema = z.strictObject({
  acknowledge: deadlineSpecSchema,
  feedback: deadlineSpecSchema,
});

export const deadlinePolicySchema = z.strictObject({
  normal: priorityDeadlinesSchema,
  urgent: priorityDeadlinesSchema,
}) satisfies z.ZodType<DeadlinePolicy>;

/** The built-in policy of API.md §5. */
export const BUILT_IN_DEADLINE_POLICY: DeadlinePolicy = {
  normal: { acknowledge: { workingDays: 1 }, feedback: { workingDays: 15 } },
  urgent: { acknowledge: { hours: 2 }, feedback: { workingDays: 3 } },
};
