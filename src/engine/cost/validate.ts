/**
 * Parameter validation for the cost classes, which are also a library API: the engine's
 * shared rules, with a hint that points at the cost documentation.
 */
import type { z } from 'zod';
import { validate as validateParams } from '../validate';

/** What a cost `badRequest` tells the user to check (also the hint of the cost requests the dispatcher validates). */
export const COST_PARAMS_HINT = 'Check the values against the documentation in docs/cost.md.';

export function validate<T extends z.ZodType>(schema: T, params: unknown, what: string): z.infer<T> {
  return validateParams(schema, params, what, COST_PARAMS_HINT);
}
