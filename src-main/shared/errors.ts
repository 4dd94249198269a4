/**
 * Errors that cross process and transport boundaries travel as plain `{ name, message }`.
 * A UserError is the user's to fix (a bad file, a bad field): the CLI prints its one line and
 * exits 2; anything else is our bug and keeps its stack for the log.
 */
import { messageText, type Message } from './messages.js';

/** `coded`: the same message as a code with parameters, for a page to say in the user's language. */
export interface ErrorInfo { name: string; message: string; coded?: Message }

export class UserError extends Error {
  override name = 'UserError';
  /** A UserError made from a coded message carries it, so a page can translate it. */
  readonly coded?: Message;
  constructor(message: string | Message) {
    super(typeof message === 'string' ? message : messageText(message));
    if (typeof message !== 'string') this.coded = message;
  }
}

/** The model's loss became NaN or Infinity: the run stops with this message. */
export class NonFiniteLossError extends UserError {
  override name = 'NonFiniteLossError';
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof UserError && err.coded) return { name: err.name, message: err.message, coded: err.coded };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/** Names of errors that are the user's to fix, however they crossed a boundary. */
const USER_ERROR_NAMES = new Set(['UserError', 'NonFiniteLossError', 'ImportError', 'SpecError', 'DatasetError', 'NotFoundError', 'ContractError']);

export function isUserError(err: ErrorInfo | unknown): boolean {
  if (err instanceof UserError) return true;
  return typeof err === 'object' && err !== null && USER_ERROR_NAMES.has((err as ErrorInfo).name);
}
