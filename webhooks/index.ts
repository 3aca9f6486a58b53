// The registry of inbound webhook sources: the one list that config (WEBHOOK_SECRET_*, CALLBACK_*),
// the channels table, labels, routes and the channel type derive from. Adding a source = a
// module beside this file (see src/domain/sources.ts) and its entry in WEBHOOK_SOURCES.
import { HAND_CHANNELS, type ChannelInfo } from '../src/domain/channels.ts';
import { hotline } from './hotline.ts';
import { media } from './media.ts';
import { supervisor } from './supervisor.ts';
import type { SourceName, WebhookSource } from '../src/domain/sources.ts';

export const WEBHOOK_SOURCES = [hotline, media, supervisor] as const satisfies readonly WebhookSource[];

export type { SourceName, WebhookSource } from '../src/domain/sources.ts';
export { callbackVariables, defineSource } from '../src/domain/sources.ts';

/** hotline | media | supervisor. */
export type WebhookSourceName = SourceName<typeof WEBHOOK_SOURCES>;
/** Every channel (来源渠道): the webhook sources, then those entered at the bureau (not webhooks). */
export type Channel = WebhookSourceName | (typeof HAND_CHANNELS)[number]['name'];

/** The channels of a list of sources, in order: its webhook sources, then bureau and public. */
export function channelsOf(sources: readonly WebhookSource[]): ChannelInfo[] {
  return [...sources.map((s) => ({ name: s.name, label: s.label })), ...HAND_CHANNELS];
}

export const CHANNELS = channelsOf(WEBHOOK_SOURCES) as readonly (ChannelInfo & { name: Channel })[];
export const CHANNEL_NAMES = CHANNELS.map((c) => c.name) as [Channel, ...Channel[]];
/** 来源渠道 → its Chinese label. */
export const CHANNEL_LABELS: Readonly<Record<string, string>> = Object.fromEntries(CHANNELS.map((c) => [c.name, c.label]));

/** The source called `name` in `sources`; a name not in the list does not compile (and throws). */
export function sourceNamed<const L extends readonly WebhookSource[], N extends SourceName<L>>(sources: L, name: N): Extract<L[number], { name: N }> {
  const found = findSource(sources, name);
  if (!found) throw new Error(`no webhook source “${name}” in the list`);
  return found as Extract<L[number], { name: N }>;
}

/** The source called `name` (a URL segment, so any string), or undefined. */
export function findSource(sources: readonly WebhookSource[], name: string): WebhookSource | undefined {
  return sources.find((s) => s.name === name);
}
