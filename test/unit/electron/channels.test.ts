import { describe, it, expect } from 'vitest';
import { requests, EVENT_NAMES as CONTRACT_EVENTS, CHANNELS as CONTRACT_CHANNELS } from '../../../src-main/shared/contract.js';
import { CHANNELS, EVENT_NAMES, isChannel, isEventName } from '../../../src-main/shared/channels.js';

describe('shared/channels (the preload-safe copy of the contract names)', () => {
  it('lists exactly the contract channels', () => {
    expect([...CHANNELS].sort()).toEqual(Object.keys(requests).sort());
    expect([...CHANNELS].sort()).toEqual([...CONTRACT_CHANNELS].sort());
  });

  it('lists exactly the contract events', () => {
    expect([...EVENT_NAMES].sort()).toEqual([...CONTRACT_EVENTS].sort());
  });

  it('recognizes names and refuses everything else', () => {
    expect(isChannel('runs:start')).toBe(true);
    expect(isChannel('runs:nuke')).toBe(false);
    expect(isChannel('__proto__')).toBe(false);
    expect(isChannel(42)).toBe(false);
    expect(isEventName('runs:epoch')).toBe(true);
    expect(isEventName('runs:start')).toBe(false);
  });
});
