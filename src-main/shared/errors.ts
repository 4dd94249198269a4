/**
 * Errors that cross process and transport boundaries travel as plain `{ name, message }`.
 * A UserError is the user's to fix (a bad file, a bad field): the CLI prints its one line and
 * exits 2; anything else is our bug and keeps its stack for the log.
 */
export interface ErrorInfo { name: string; message: string }

export class UserError extends Error {
  override name = 'UserError';
}

/** The model's loss became NaN or Infinity: the run stops with this message. */
export class NonFiniteLossError extends UserError {
  override name = 'NonFiniteLossError';
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/** Names of errors that are the user's to fix, however they crossed a boundary. */
const USER_ERROR_NAMES = new Set(['UserError', 'NonFiniteLossError', 'ImportError', 'SpecError', 'DatasetError', 'NotFoundError', 'ContractError']);

export function isUserError(err: ErrorInfo | unknown): boolean {
  if (err instanceof UserError) return true;
  return typeof err === 'object' && err !== null && USER_ERROR_NAMES.has((err as ErrorInfo).name);
}
