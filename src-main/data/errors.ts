import { UserError } from '../shared/errors.js';

/** A file that cannot be imported: the message names the file and what is wrong with it. */
export class ImportError extends UserError {
  override name = 'ImportError';
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
  }
}

/** A dataset that cannot be found or opened. */
export class DatasetError extends UserError {
  override name = 'DatasetError';
}
