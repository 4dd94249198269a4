import { UserError } from '../shared/errors.js';
import { describeFsCode } from '../shared/fs-errors.js';

/** A file that cannot be imported: the message names the file and what is wrong with it. */
export class ImportError extends UserError {
  override name = 'ImportError';
  constructor(readonly file: string, readonly problem: string) {
    super(`${file}: ${problem}`);
  }
}

/** A dataset that cannot be found or opened. */
export class DatasetError extends UserError {
  override name = 'DatasetError';
}

/** Why a file could not be opened or read, in words a user can act on. */
export function unreadable(file: string, err: unknown): ImportError {
  const code = (err as NodeJS.ErrnoException).code;
  const problem = code === 'ENOENT' ? 'does not exist; check the path'
    : code === 'EACCES' || code === 'EPERM' ? 'cannot be read: permission denied; check its permissions'
    : code === 'EISDIR' ? 'is a folder; give a file inside it'
    : code === 'ENOTDIR' ? 'is not a folder; give the folder that holds it'
    : `cannot be read: ${describeFsCode(code) ?? (code ?? (err as Error).message)}`;
  return new ImportError(file, problem);
}

/**
 * A file-system failure while writing into the data folder (a full disk, a read-only or unreadable
 * folder) as a one-line error naming the path; anything else is returned as it was.
 */
export function writeFailure(path: string, err: unknown, what = 'cannot be written'): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const words = describeFsCode(code);
  if (!words || err instanceof UserError) return err;
  return new DatasetError(`${path}: ${what}: ${words}`);
}
