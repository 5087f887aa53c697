import { EngineError } from '../protocol/errors';

/** Turns anything thrown into an EngineError, keeping codes of ones that already have them. */
export function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof Error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') return new EngineError('notFound', error.message, 'Check the path and try again.');
    if (errno === 'EACCES' || errno === 'EPERM') return new EngineError('badRequest', error.message, 'Check the file permissions.');
    return new EngineError('internal', error.message, 'This is a bug in PepperPy: see the logs, and report it with them.');
  }
  return new EngineError('internal', String(error), 'This is a bug in PepperPy: see the logs, and report it with them.');
}
