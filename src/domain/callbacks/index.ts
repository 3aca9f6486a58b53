// Callbacks to the sources (API.md §7): event types and bodies, the plan of one commit's
// callbacks, Standard Webhooks signing, and the masking of the free text they carry.
export * from './types.ts';
export * from './plan.ts';
export * from './sign.ts';
export * from './mask.ts';
