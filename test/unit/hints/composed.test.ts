// Prompts composed in code from several literals are counted as composed, on real files of
// the scan corpus: a fragment variable's text in place of the interpolation it fills
// (anthropic-quickstarts' customer-support route, the case of issue 12), and the pieces of a
// `+` chain in source order (gpt-engineer). The oracle is the source read by hand (line
// numbers and literal bodies below) and js-tiktoken's o200k_base encoder, not the scanner.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { composePrompt, piecePlaceholders } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import type { PromptLocation } from '../../../src/protocol/scan';
import { count, withoutInterpolations } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/scan', rel), 'utf8');

describe('composed prompts: counted as composed, on real files', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());

  describe('anthropic-quickstarts customer-support route: `${categoriesContext}` in the system prompt', () => {
    const rel = 'ts/aq_customer_support_route.ts';
    const source = fixture(rel);
    // Read off the file: the fragment is the template literal after `USE_CATEGORIES\n    ? ` (lines 126-131),
    // the system prompt the one after `const systemPrompt = ` (lines 135-196). Neither body has an escape.
    const fragmentStart = source.indexOf('? `', source.indexOf('const categoriesContext = USE_CATEGORIES')) + 3;
    const fragment = source.slice(fragmentStart, source.indexOf('`\n    : "";', fragmentStart));
    const systemStart = source.indexOf('const systemPrompt = `') + 'const systemPrompt = `'.length;
    const system = source.slice(systemStart, source.indexOf('`\n\n  function sanitizeAndParseJSON'));
    const composedByHand = withoutInterpolations(system.replace('${categoriesContext}', fragment));

    it('the oracle reads what it should', () => {
      assert.match(fragment, /^\n {4}To help with our internal classification/);
      assert.ok(system.startsWith('You are acting as an Anthropic customer support assistant'));
      assert.ok(system.includes('${categoriesContext}'));
      assert.ok(!composedByHand.includes('${') && composedByHand.includes('The available categories are: \n'));
    });

    it('one prompt with two pieces; the count is js-tiktoken on the composed text', async () => {
      const result = await service.compute({ text: source, languageId: 'typescript', fileName: rel, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      const composed = result.prompts.filter((p) => p.pieces);
      assert.equal(composed.length, 1);
      const [prompt] = composed;
      assert.equal(prompt.location.boundName, 'systemPrompt');
      assert.deepEqual(
        prompt.pieces?.map((p) => [p.range.start.line + 1, p.range.end.line + 1, p.fills]),
        [
          [126, 131, 'categoriesContext'],
          [135, 196, undefined],
        ],
      );
      assert.equal(prompt.cost.tokens.encoding, 'o200k_base');
      assert.equal(prompt.cost.tokens.count, count(composedByHand));
      // Each piece's own count: its body without its interpolations.
      assert.deepEqual(
        prompt.pieces?.map((p) => p.tokens),
        [count(withoutInterpolations(fragment)), count(withoutInterpolations(system))],
      );
      // The fragment's own runtime values are named; categoriesContext is not one (its text is counted). A choice between
      // literals (`${isRagWorking ? `${retrievedContext}` : "No information…"}`) is named by the values in its branches (fix38),
      // not by its condition, which inserts no text (leftovers46: `isRagWorking` and `USE_CATEGORIES` were named); its
      // shorter branch is counted, here empty both times, so the count above is unchanged.
      assert.deepEqual(prompt.runtimeValues, ['retrievedContext', 'customerSupportCategories.categories.length', 'categoryListString']);
    });
  });

  describe('gpt-engineer steps.py: a `+` chain around "\\n".join(errors)', () => {
    const rel = 'python/gpt_engineer_steps.py';
    const source = fixture(rel);
    // Lines 327 and 329, decoded by hand (each ends with an escaped newline).
    const first = 'Some previously produced diffs were not on the requested format, or the code part was not found in the code. Details:\n';
    const second = '\n Only rewrite the problematic diffs, making sure that the failing ones are now on the correct format and can be found in the code. Make sure to not repeat past mistakes. \n';

    it('counts the pieces in order, and names the code between them', async () => {
      const result = await service.compute({ text: source, languageId: 'python', fileName: rel, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      const prompt = result.prompts.find((p) => p.pieces && p.location.range.start.line + 1 === 329);
      assert.ok(prompt, 'the composed prompt is found');
      assert.deepEqual(prompt.pieces?.map((p) => [p.range.start.line + 1, p.tokens]), [
        [327, count(first)],
        [329, count(second)],
      ]);
      assert.equal(prompt.cost.tokens.encoding, 'o200k_base');
      assert.equal(prompt.cost.tokens.count, count(first + second));
      assert.deepEqual(prompt.runtimeValues, ['"\\n".join(errors)']);
    });
  });

  describe('composePrompt', () => {
    const at = (offset: number) => ({ offset, line: 0, character: offset });
    const range = (a: number, b: number) => ({ start: at(a), end: at(b) });
    const quoting = { language: 'javascript' as const, style: 'string' as const, quote: "'" };
    const piece = (text: string, a: number, b: number, fills?: string, interpolations?: string[]) => {
      const q = interpolations ? { ...quoting, style: 'template' as const, quote: '`', interpolations } : quoting;
      return { range: range(a, b), contentRange: range(a + 1, b - 1), text, quoting: q, segments: [{ range: range(a, b), contentRange: range(a + 1, b - 1), quoting: q, textStart: 0, runs: [] as Array<[number, number, number]> }], ...(fills ? { fills } : {}) };
    };

    it('names an operand before the first piece and keeps the order of the pieces', () => {
      const src = "p = name + 'Hello, ' + user + 'world'";
      const a = src.indexOf("'Hello, '");
      const b = src.indexOf("'world'");
      const location: Pick<PromptLocation, 'text' | 'placeholders' | 'pieces' | 'range'> = { text: 'Hello, ', placeholders: [], range: range(a, a + 9), pieces: [piece('Hello, ', a, a + 9), piece('world', b, b + 7)] };
      const composed = composePrompt(location, src);
      assert.equal(composed.counted, 'Hello, world');
      assert.deepEqual(composed.runtimeValues, ['name', 'user']);
    });

    it('a second fragment of the same name is an alternative, not added', () => {
      const src = 'x';
      const location: Pick<PromptLocation, 'text' | 'placeholders' | 'pieces' | 'range'> = {
        text: 'A ${ctx} B',
        placeholders: [{ name: 'ctx', syntax: 'dollarBrace', start: 2, end: 8, interpolated: true }],
        range: range(50, 62),
        pieces: [piece('first', 0, 7, 'ctx'), piece('second', 10, 18, 'ctx'), piece('A ${ctx} B', 50, 62, undefined, ['${ctx}'])],
      };
      const composed = composePrompt(location, src);
      assert.equal(composed.counted, 'A first B');
      assert.deepEqual(composed.runtimeValues, []);
      assert.deepEqual(composed.pieces.map((p) => p.counted), ['first', 'second', 'A  B']);
    });

    it('finds a piece’s interpolations where they are written', () => {
      const p = piece('a ${x} b {y}', 0, 14, undefined, ['${x}']);
      // A template literal's `{y}` is text unless the file fills it (jsBraceFields.ts).
      assert.deepEqual(
        piecePlaceholders(p).map((ph) => [ph.name, ph.syntax, ph.start, ph.end, ph.interpolated]),
        [['x', 'dollarBrace', 2, 6, true]],
      );
      assert.deepEqual(
        piecePlaceholders(p, { source: 'f = (v) => part.replace("{y}", v)', apis: [] }).map((ph) => [ph.name, ph.syntax, ph.start, ph.end, ph.interpolated]),
        [
          ['x', 'dollarBrace', 2, 6, true],
          ['y', 'brace', 9, 12, false],
        ],
      );
    });
  });

  it('the scanner marks the fragment piece with the variable it fills', () => {
    const source = fixture('ts/aq_customer_support_route.ts');
    const prompt = findPrompts(source, 'typescript', { fileName: 'route.ts' }).find((p) => p.pieces);
    assert.deepEqual(prompt?.pieces?.map((p) => p.fills ?? null), ['categoriesContext', null]);
  });
});
