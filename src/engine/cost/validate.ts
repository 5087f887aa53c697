/**
 * Parameter validation for the cost classes, which are also a library API (not only
 * request handlers): the same rules and message shape as `validate` in ../handlers.ts,
 * kept here so the cost modules do not import the handler map they are registered in.
 */
import type { z } from 'zod';
import { EngineError } from '../../protocol/errors';

export function validate<T extends z.ZodType>(schema: T, params: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(params ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'params'}: ${issue.message}`)
    .join('; ');
  throw new EngineError('badRequest', `Invalid parameters for ${what}: ${problems}.`, 'Check the values against the documentation in docs/cost.md.');
}
