/** The saved queue setting (<home>/queue.json): the owner's only, replaced whole, a damaged file named with its field. */
import { describe, it, expect, afterEach } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readQueueSetting, writeQueueSetting } from '../../../src-main/service/queue-setting.js';
import { tempHome } from '../../helpers/home.js';

describe('queue setting file', () => {
  const homes: (() => void)[] = [];
  afterEach(() => { for (const c of homes.splice(0)) c(); });
  const home = () => { const h = tempHome('layerlab-qs-'); homes.push(h.cleanup); return h.home; };

  it('round-trips, mode 0600, no temp file left; null removes it', () => {
    const dir = home();
    expect(readQueueSetting(dir)).toBeNull();
    writeQueueSetting(dir, { url: 'rediss://u:p@example.org:6380/2', localWorkers: 3 });
    writeQueueSetting(dir, { url: 'redis://:p@127.0.0.1:6379', localWorkers: 1 });
    expect(readQueueSetting(dir)).toEqual({ url: 'redis://:p@127.0.0.1:6379', localWorkers: 1 });
    expect(statSync(join(dir, 'queue.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['queue.json']);
    writeQueueSetting(dir, null);
    expect(readQueueSetting(dir)).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the file and the field of a damaged setting, in one line', () => {
    const dir = home();
    const file = join(dir, 'queue.json');
    writeFileSync(file, '{"url": "http://x", "localWorkers": 1}');
    expect(() => readQueueSetting(dir)).toThrow(`${file}: the saved queue setting is damaged (url: not a redis:// or rediss:// address) and is ignored; runs train on this machine: set the queue again in Settings`);
    writeFileSync(file, '{"url": "redis://x", "localWorkers": -1}');
    expect(() => readQueueSetting(dir)).toThrow(new RegExp(`^${file}: the saved queue setting is damaged \\(localWorkers: `));
    writeFileSync(file, '{"url": ');
    expect(() => readQueueSetting(dir)).toThrow(`${file}: the saved queue setting is damaged (not valid JSON) and is ignored; runs train on this machine: set the queue again in Settings`);
    expect(readFileSync(file, 'utf8')).toBe('{"url": ');
  });
});
