import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Layerlab's data folder: --home, else LAYERLAB_HOME, else the platform's user data folder.
 * The desktop app uses this too, so it and the CLI share one history. Tests always set one, so they never touch a
 * user's real history.
 */
export function resolveHome(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.LAYERLAB_HOME) return process.env.LAYERLAB_HOME;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Layerlab');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Layerlab');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'layerlab');
}
