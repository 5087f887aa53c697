// A fragment chosen by a ternary (`x = f"…" if cond else ""`, `const x = cond ? `…` : ""`) is sent only when its
// branch is taken: a runtime value of the prompt that splices it in, unless the condition is a boolean constant
// the file defines, in which case the branch the constant chooses is composed (ternary.ts, build.ts). The oracle
// is js-tiktoken's o200k_base encoder on the literal texts as the language decodes them (written out below, and
// cut out of the real file by string search), not the scanner.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { IncrementalPromptScanner } from '../../../src/shared/prompt/scanner/incremental';
import { count, withoutInterpolations } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');

// The texts as decoded (`\n` is a newline), the interpolated fields left out.
const PROMPT = "Answer the customer's question politely and in at most three sentences.\n";
const FACTS = 'Known facts about this customer, to use only where they help: ';
const FORMAL = 'Write in a formal register, in full sentences, without contractions.';
const CASUAL = 'Write casually, as a friendly colleague would, in short sentences.';

describe('a fragment chosen by a ternary: a runtime value unless a constant of the file chooses it', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const compute = (text: string, languageId: 'python' | 'typescript') => service.compute({ text, languageId, fileName: languageId === 'python' ? 'ternary.py' : 'ternary.ts', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });

  const python = (head: string[], assign: string): string =>
    [...head, 'def answer(client, facts, use_facts):', `    ${assign}`, '    prompt = f"Answer the customer\'s question politely and in at most three sentences.\\n{section}"', '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])', ''].join('\n');
  const typescript = (head: string[], assign: string): string =>
    [...head, 'export async function answer(client: OpenAI, facts: string, useFacts: boolean) {', `  ${assign}`, "  const prompt = `Answer the customer's question politely and in at most three sentences.\\n${section}`;", "  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: prompt }] });", '}', ''].join('\n');
  const pyFacts = 'f"Known facts about this customer, to use only where they help: {facts}"';
  const tsFacts = '`Known facts about this customer, to use only where they help: ${facts}`';
  const pyTone = `"${FORMAL}" if FORMAL else "${CASUAL}"`;
  const tsTone = `FORMAL ? "${FORMAL}" : "${CASUAL}"`;

  const cases: Array<{ name: string; python: string; typescript: string; composed?: string }> = [
    {
      name: 'a condition known only at run time: the fragment is a runtime value, the prompt counts its own text',
      python: python([], `section = ${pyFacts} if use_facts else ""`),
      typescript: typescript([], `const section = useFacts ? ${tsFacts} : "";`),
    },
    {
      name: 'a module constant that chooses the fragment: composed',
      python: python(['USE_FACTS = True', ''], `section = ${pyFacts} if USE_FACTS else ""`),
      typescript: typescript(['const USE_FACTS = true;', ''], `const section = USE_FACTS ? ${tsFacts} : "";`),
      composed: PROMPT + FACTS,
    },
    {
      name: 'a negated constant that chooses the else branch: composed',
      python: python(['USE_FACTS: bool = True', ''], `section = "" if not USE_FACTS else ${pyFacts}`),
      typescript: typescript(['const USE_FACTS: boolean = true;', ''], `const section = !USE_FACTS ? "" : ${tsFacts};`),
      composed: PROMPT + FACTS,
    },
    {
      name: 'a constant that chooses the other literal: that one is composed',
      python: python(['FORMAL = False', ''], `section = ${pyTone}`),
      typescript: typescript(['const FORMAL = false;', ''], `const section = ${tsTone};`),
      composed: PROMPT + CASUAL,
    },
    {
      // (The name stays among the runtime values: the empty literal is too short for the scan to keep.)
      name: 'a constant that chooses the empty branch: the fragment is not counted',
      python: python(['USE_FACTS = False', ''], `section = ${pyFacts} if USE_FACTS else ""`),
      typescript: typescript(['const USE_FACTS = false;', ''], `const section = USE_FACTS ? ${tsFacts} : "";`),
    },
    {
      name: 'a "constant" assigned twice is no constant: a runtime value',
      python: python(['USE_FACTS = True', '', 'def configure(flag):', '    global USE_FACTS', '    USE_FACTS = flag', ''], `section = ${pyFacts} if USE_FACTS else ""`),
      typescript: typescript(['let USE_FACTS = true;', 'export function configure(flag: boolean) {', '  USE_FACTS = flag;', '}', ''], `const section = USE_FACTS ? ${tsFacts} : "";`),
    },
  ];

  it('an edit of a module constant alone re-scans the whole file (the ternary is in another statement), equal to a full scan', () => {
    // Statements between the constant and the function: an edit re-scans only its statement and the next one.
    const src = python(['USE_FACTS = True', 'a = 1', 'b = 2', ''], `section = ${pyFacts} if USE_FACTS else ""`);
    const scanner = new IncrementalPromptScanner();
    assert.equal(scanner.scan('k', src, 'python').find((p) => p.text.startsWith('Answer'))?.pieces?.length, 2);
    const edited = src.replace('USE_FACTS = True', 'USE_FACTS = False');
    const after = scanner.scan('k', edited, 'python');
    assert.equal(scanner.lastScan.reason, 'the boolean constants the file defines, or the joins and changes of its lists, changed');
    assert.deepEqual(after, findPrompts(edited, 'python'));
    assert.equal(after.find((p) => p.text.startsWith('Answer'))?.pieces, undefined);
  });

  it('at module level, the branch a constant does not choose is no template prompt; the chosen one is (break25)', () => {
    // Before, both branches were reported as templates spliced into SYSTEM_PROMPT, the never-sent one included.
    const FRIENDLY = 'You are a friendly support agent. Greet the customer and offer help.';
    const TERSE = 'You are a terse agent. Answer only what is asked.';
    const src = (use: 'True' | 'False') => [`USE = ${use}`, `s0 = "${FRIENDLY}" if USE else "${TERSE}"`, 'SYSTEM_PROMPT = f"{s0}\\n\\nRules: be kind and short."', ''].join('\n');
    const found = (text: string) => findPrompts(text, 'python').map((p) => [p.kind, p.text]);
    assert.deepEqual(found(src('True')), [['template', FRIENDLY], ['system', '{s0}\n\nRules: be kind and short.']]);
    assert.deepEqual(found(src('False')), [['template', TERSE], ['system', '{s0}\n\nRules: be kind and short.']]);
    const scanner = new IncrementalPromptScanner();
    scanner.scan('m', src('True'), 'python');
    assert.deepEqual(scanner.scan('m', src('False'), 'python'), findPrompts(src('False'), 'python'));
  });

  for (const lang of ['python', 'typescript'] as const) {
    describe(lang, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const result = await compute(c[lang], lang);
          const prompt = result.prompts.find((p) => p.location.text.startsWith('Answer'));
          assert.ok(prompt, result.prompts.map((p) => p.location.text.slice(0, 30)).join(' | '));
          assert.equal(prompt.cost.tokens.encoding, 'o200k_base');
          if (c.composed) {
            assert.equal(prompt.pieces?.length, 2);
            assert.ok(!prompt.runtimeValues.includes('section'), prompt.runtimeValues.join(', '));
            assert.equal(prompt.cost.tokens.count, count(c.composed));
          } else {
            assert.equal(prompt.pieces, undefined);
            assert.ok(prompt.runtimeValues.includes('section'), prompt.runtimeValues.join(', '));
            assert.equal(prompt.cost.tokens.count, count(PROMPT));
          }
        });
      }
    });
  }

  describe('anthropic-quickstarts customer-support route (test/fixtures/scan/ts, MIT): `categoriesContext = USE_CATEGORIES ? `…` : ""`', () => {
    const source = readFileSync(path.join(root, 'test/fixtures/scan/ts/aq_customer_support_route.ts'), 'utf8');
    const systemStart = source.indexOf('const systemPrompt = `') + 'const systemPrompt = `'.length;
    const system = source.slice(systemStart, source.indexOf('`\n\n  function sanitizeAndParseJSON'));
    const constant = '  const USE_CATEGORIES = true;\n';

    it('the oracle reads what it should', () => {
      assert.ok(source.includes(constant));
      assert.ok(system.startsWith('You are acting as an Anthropic customer support assistant') && system.includes('${categoriesContext}'));
    });

    // (As written, `USE_CATEGORIES = true` chooses the fragment and it is composed: composed.test.ts counts it.)
    for (const [what, replacement] of [
      ['read from the environment', '  const USE_CATEGORIES = process.env.USE_CATEGORIES === "1";\n'],
      ['set to false', '  const USE_CATEGORIES = false;\n'],
    ] as const) {
      it(`with the constant ${what}, the fragment is a runtime value and the system prompt counts its own text`, async () => {
        const text = source.replace(constant, replacement);
        const result = await compute(text, 'typescript');
        const prompt = result.prompts.find((p) => p.location.boundName === 'systemPrompt');
        assert.ok(prompt);
        assert.equal(prompt.pieces, undefined);
        assert.ok(prompt.runtimeValues.includes('categoriesContext'), prompt.runtimeValues.join(', '));
        assert.equal(prompt.cost.tokens.count, count(withoutInterpolations(system)));
      });
    }
  });
});
