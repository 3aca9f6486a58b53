// The inbound sources. Adding a source = a module beside this file and a line here.
import type { z } from 'zod';
import type { LeadDraft } from '../src/domain/types.ts';
import * as hotline from './hotline.ts';
import * as media from './media.ts';
import * as supervisor from './supervisor.ts';

export interface InboundSource {
  schema: z.ZodType;
  toDraft(payload: any): LeadDraft;
  samples: Record<string, Record<string, unknown>>;
}

export const INBOUND = { hotline, media, supervisor } satisfies Record<string, InboundSource>;
export type InboundName = keyof typeof INBOUND;

export function isInbound(name: string): name is InboundName {
  return Object.hasOwn(INBOUND, name);
}
