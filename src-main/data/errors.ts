import { UserError } from '../shared/errors.js';
import { describeFsCode } from '../shared/fs-errors.js';
import { messageText, type Message, type MessageCode, type MessageParams } from '../shared/messages.js';

/**
 * A file that cannot be imported: the message names the file and what is wrong with it. The
 * problem is English text, or a coded message (`import.*`, whose text starts with `{file}: `) that a
 * page says in the user's language; `problem` is its English text without the file either way.
 */
export class ImportError extends UserError {
  override name = 'ImportError';
  readonly problem: string;
  constructor(readonly file: string, problem: string | Message) {
    const coded = typeof problem === 'string' ? null : { code: problem.code, params: { ...problem.params, file } };
    super(coded ?? `${file}: ${problem as string}`);
    this.problem = coded ? messageText(coded).slice(file.length + 2) : problem as string;
  }
}

/** A coded import problem (`import.*` in shared/messages.ts); the file is filled in by ImportError. */
export function importProblem(code: MessageCode & `import.${string}`, params: MessageParams = {}): Message {
  return { code, params };
}

/** A dataset that cannot be found or opened. */
export class DatasetError extends UserError {
  override name = 'DatasetError';
}

/** Why a file could not be opened or read, in words a user can act on. */
export function unreadable(file: string, err: unknown): ImportError {
  const code = (err as NodeJS.ErrnoException).code;
  const problem = code === 'ENOENT' ? importProblem('import.notFound')
    : code === 'EACCES' || code === 'EPERM' ? importProblem('import.denied')
    : code === 'EISDIR' ? importProblem('import.isFolder')
    : code === 'ENOTDIR' ? importProblem('import.notFolder')
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
