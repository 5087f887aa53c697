import { EngineError } from '../protocol/errors';

/** Turns anything thrown into an EngineError, keeping codes of ones that already have them. */
export function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof Error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') return new EngineError('notFound', error.message, 'Check the path and try again.');
    if (errno === 'EACCES' || errno === 'EPERM') return new EngineError('badRequest', error.message, 'Check the file permissions.');
    // Paths the user gave that the file system cannot take: user input, not a bug.
    if (errno === 'EISDIR') return new EngineError('badRequest', error.message, 'A folder was given where a file is expected: pass the file.');
    if (errno === 'ENOTDIR') return new EngineError('badRequest', error.message, 'A part of the path is a file, not a folder: check the path.');
    if (errno === 'ENAMETOOLONG') return new EngineError('badRequest', error.message, 'The path or a file name in it is too long for the file system: use a shorter one.');
    if (errno === 'EROFS') return new EngineError('badRequest', error.message, 'The file system is read-only: choose another location.');
    if (errno === 'ENOSPC') return new EngineError('badRequest', error.message, 'The disk is full: free space or choose another location.');
    if (errno === 'ERR_INVALID_ARG_VALUE' && /null bytes/.test(error.message)) return new EngineError('badRequest', 'A path contains a NUL character.', 'Check the path: it must not contain \\0.');
    return new EngineError('internal', error.message, 'This is a bug in PepperPy: see the logs, and report it with them.');
  }
  return new EngineError('internal', String(error), 'This is a bug in PepperPy: see the logs, and report it with them.');
}
