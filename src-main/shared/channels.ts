/**
 * The contract's channel and event names as plain arrays, with no zod: the sandboxed preload
 * bundles this file and must stay free of npm dependencies. The type annotations tie each entry
 * to the contract; test/unit/electron/channels.test.ts holds the lists equal to contract.ts.
 */
import type { Channel, EventName } from './contract.js';

export const CHANNELS = [
  'system:info', 'system:settings',
  'datasets:list', 'datasets:show', 'datasets:preview', 'datasets:samples', 'datasets:import', 'datasets:cancel', 'datasets:delete', 'datasets:download', 'datasets:generate',
  'models:validate', 'models:presets', 'models:keras',
  'runs:start', 'runs:stop', 'runs:list', 'runs:show', 'runs:update', 'runs:delete', 'runs:export', 'runs:import', 'runs:evaluate', 'runs:regions', 'runs:predict',
  'experiments:start', 'experiments:status', 'experiments:list',
  'compare:runs', 'queue:set',
] as const satisfies readonly Channel[];

export const EVENT_NAMES = [
  'runs:queued', 'runs:started', 'runs:batch', 'runs:epoch', 'runs:finished', 'datasets:progress', 'datasets:changed', 'system:queue',
] as const satisfies readonly EventName[];

// A channel or event added to the contract but not here fails the typecheck.
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const CHANNELS_COMPLETE: Missing<Channel, (typeof CHANNELS)[number]> = true;
export const EVENTS_COMPLETE: Missing<EventName, (typeof EVENT_NAMES)[number]> = true;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}
