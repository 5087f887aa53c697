/**
 * A number typed in answer to a cost command's question (Estimate Cost…, Plan Cost Reduction…, Select Model for a
 * Task…): decimal digits with an optional point and exponent, spaces around allowed. Hex, binary and octal (`0x10`,
 * which `Number` reads as 16), `Infinity` and numbers with separators (`1,000`, `1 000`, `0,5`) are refused with
 * a reason, and so is a number past the range the engine takes: `1e308` input tokens passed the question and failed
 * only after every question was answered, then stayed in the Cost Dashboard's form (breakidx37).
 *
 * No `vscode` here, so that unit tests can run it; the caller words the problem.
 */

export interface NumberRange {
  min: number;
  max?: number;
}

export type NumberAnswer = { value: number } | { problem: 'notNumber' | 'separators' } | { problem: 'below'; min: number } | { problem: 'above'; max: number };

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Digits grouped or split by commas or spaces (`1,000`, `1 000 000`, `0,5`): a number written with separators. */
const SEPARATED = /^[+-]?\d+(?:[, \u00a0\u202f]\d+)+(?:\.\d*)?$/;

export function readNumberAnswer(text: string, range: NumberRange): NumberAnswer {
  const t = text.trim();
  if (!DECIMAL.test(t)) return SEPARATED.test(t) ? { problem: 'separators' } : { problem: 'notNumber' };
  // (`-0` is 0.)
  const value = Number(t) + 0;
  if (!Number.isFinite(value)) return { problem: 'notNumber' };
  if (value < range.min) return { problem: 'below', min: range.min };
  if (range.max !== undefined && value > range.max) return { problem: 'above', max: range.max };
  return { value };
}
