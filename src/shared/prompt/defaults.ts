/**
 * The models PepperPy uses when nobody names one. Each must be current (not retired or
 * deprecated in src/shared/cost/data/retired-models.json) and priced by the bundled
 * @pydantic/genai-prices catalog: test/unit/cost/shippedDefaults.test.ts checks these, the
 * per-provider defaults and package.json's setting defaults against both.
 */

/** The model token counts and costs are for when the caller names none (`pepperpy.defaultModel`'s default). */
export const DEFAULT_MODEL = 'gpt-5.4';

/** The judge the Benchmark panel's quality form starts with. */
export const DEFAULT_JUDGE_MODEL = 'openai:gpt-5.4-mini';
