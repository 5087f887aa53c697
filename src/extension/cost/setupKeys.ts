/**
 * The Cost Dashboard's setup, typed by the user as JSON, in the shape `cost/optimize` takes: the Python module's
 * snake_case keys (`avg_usage`, `queries_per_day`…) become camelCase, and every other key (a task's name) is kept as
 * written. No `vscode` here, so that unit tests can run it.
 */
const SNAKE_KEYS: ReadonlyMap<string, string> = new Map([
  ['avg_usage', 'avgUsage'],
  ['queries_per_day', 'queriesPerDay'],
  ['avg_tokens', 'avgTokens'],
  ['avg_input_tokens', 'avgInputTokens'],
  ['avg_output_tokens', 'avgOutputTokens'],
]);

/**
 * Accepts the Python module's snake_case keys as well as camelCase (task names are left alone). A map, not an object
 * literal: a task named `constructor` or `toString` read the object's inherited method and was renamed
 * "function Object() { [native code] }" (break35).
 */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [SNAKE_KEYS.get(k) ?? k, camelCaseKeys(v)]));
}
