/**
 * Parameter validation shared by every engine entry point (request handlers, the classes'
 * library API, the CLI): a failure is a `badRequest` EngineError that names up to three
 * fields and what was wrong with each, and a hint that says where the rules are written.
 */
import type { z } from 'zod';
import { EngineError } from '../protocol/errors';

export function validate<T extends z.ZodType>(schema: T, params: unknown, what: string, hint = 'Check the request against src/protocol.'): z.infer<T> {
  const result = schema.safeParse(params ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'params'}: ${issue.message}`)
    .join('; ');
  throw new EngineError('badRequest', `Invalid parameters for ${what}: ${problems}.`, hint);
}
