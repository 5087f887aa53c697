// The independent oracle of the hint tests: js-tiktoken's o200k_base encoder (not the engine's
// tokenizer service), and template-literal bodies with their interpolations cut out by brace depth.
// js-tiktoken's type declarations are ESM-only while its CommonJS build is what runs here, hence require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => { encode(text: string): number[] } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const o200k = new Tiktoken(require('js-tiktoken/ranks/o200k_base') as unknown);

/** Tokens of `text` for o200k_base, by js-tiktoken. */
export const count = (text: string): number => o200k.encode(text).length;

/** Removes every `${…}` of a template literal body, nested ones included (brace depth). */
export function withoutInterpolations(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '$' && body[i + 1] === '{') {
      let depth = 0;
      for (i = i + 1; i < body.length; i++) {
        if (body[i] === '{') depth++;
        else if (body[i] === '}' && --depth === 0) break;
      }
      continue;
    }
    out += body[i];
  }
  return out;
}
