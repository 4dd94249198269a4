/**
 * File-system error codes in words a user can act on, so no message shows a bare errno
 * ("ENOSPC", "ELOOP") without saying what happened and what to do. Pure: every layer uses it.
 */
const WORDS: Record<string, string> = {
  ENOENT: 'it does not exist; check the path',
  EACCES: 'permission denied; check its permissions',
  EPERM: 'the operation is not permitted; check its permissions',
  EISDIR: 'it is a folder; give a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'the disk is full; free some space and try again',
  EDQUOT: 'the disk quota is used up; free some space and try again',
  EROFS: 'the file system is read-only; choose another place',
  ELOOP: 'it is a loop of symbolic links; remove the link or point it at a real file',
  ENAMETOOLONG: 'the path is too long; use a shorter one',
  EEXIST: 'it already exists',
  EMFILE: 'too many files are open; close some programs and try again',
  EBUSY: 'it is in use by another program; try again when it is free',
  EIO: 'the disk reported an input/output error; check the disk',
};

/** Words for a Node errno code, or undefined for a code we have none for. */
export function describeFsCode(code: string | undefined): string | undefined {
  return code ? WORDS[code] : undefined;
}
