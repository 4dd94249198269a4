/**
 * The desktop app's queue setting (also `layerlab serve` without --redis): the Redis address runs
 * go to and how many of this machine's trainers take runs from it, kept in <home>/queue.json.
 * The file holds the password (the address needs it to reconnect), so it is the owner's only
 * (mode 0600, in the 0700 data folder) and replaced atomically (a temp file, fsync, rename): a
 * crash leaves the old setting or the new one, never half of one.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../shared/errors.js';
import { message } from '../shared/messages.js';

export const QUEUE_SETTING_FILE = 'queue.json';

const QueueSettingSchema = z.object({
  url: z.string().regex(/^rediss?:\/\//, 'not a redis:// or rediss:// address').max(2000),
  localWorkers: z.number().int().min(0).max(64),
}).strict();
export type QueueSetting = z.infer<typeof QueueSettingSchema>;

export function queueSettingPath(home: string): string { return join(home, QUEUE_SETTING_FILE); }

/**
 * The saved setting; null when none. A damaged or unreadable file is a coded one-line error naming
 * it (and the field): the service then trains here and says so, it does not refuse to start.
 */
export function readQueueSetting(home: string): QueueSetting | null {
  const file = queueSettingPath(home);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(message('queue.settingUnreadable', { file, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch {
    throw new UserError(message('queue.settingDamaged', { file, detail: 'not valid JSON' }));
  }
  const r = QueueSettingSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new UserError(message('queue.settingDamaged', { file, detail: `${first.path.map(String).join('.') || 'setting'}: ${first.message}` }));
  }
  return r.data;
}

/** Saves the setting (null: removes it), atomically, readable by the owner only. */
export function writeQueueSetting(home: string, setting: QueueSetting | null): void {
  const file = queueSettingPath(home);
  if (setting === null) {
    rmSync(file, { force: true });
    return;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(QueueSettingSchema.parse(setting), null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
