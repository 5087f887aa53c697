// A prompt literal still being typed (its closing quote, or an interpolation's closing brace,
// not there yet) is read by the parser as running over the code after it. Before this change
// the lens counted that code as prompt text ("1,204 tokens" for a two-line prompt), the hover
// priced it and the diagnostics analyzed it. Now the scanner marks such a prompt `unterminated`
// and nothing counts, prices or analyzes it until it is closed. The inputs are real files of the
// scan corpus (test/fixtures/scan/SOURCES.md) with one closing delimiter removed by hand; the
// oracle is that edit (which line the literal starts on) and the unedited file.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { IncrementalPromptScanner } from '../../../src/shared/prompt/scanner/incremental';
import { summarize } from '../../../src/shared/prompt/scanner/scanFiles';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/scan', rel), 'utf8');

/** Removes the `n`-th occurrence (0-based) of `needle` after `from`. */
function removeAt(text: string, needle: string, from: number): string {
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `${needle} after offset ${from}`);
  return text.slice(0, at) + text.slice(at + needle.length);
}

const service = () => new PromptHintService(() => PriceCatalog.bundled());
const hintInputs = (text: string, fileName: string) => ({ text, fileName, languageId: fileName.endsWith('.py') ? 'python' : 'typescript', defaultModel: 'gpt-4o', compareModels: ['gpt-4o-mini'], callsPerDay: 1000, withSuggestions: true });

interface Case {
  what: string;
  file: string;
  /** The edit that leaves one literal open, and the 1-based line that literal starts on. */
  open: (src: string) => string;
  line: number;
}

const CASES: Case[] = [
  {
    // gpt-researcher's reviewer: TEMPLATE's closing """ (line 6) removed, so the string runs on to the docstring that opens on line 16.
    what: 'a Python triple-quoted prompt closed by the next docstring (gpt-researcher)',
    file: 'python/gptr_reviewer.py',
    open: (src) => removeAt(src, '"""', src.indexOf('specific guidelines. \\\n"""')),
    line: 4,
  },
  {
    // aider's editblock prompts: the last one (go_ahead_tip) left open: it runs to the end of the file.
    what: 'a Python triple-quoted prompt left open to the end of the file (aider)',
    file: 'python/aider_editblock_prompts.py',
    open: (src) => removeAt(src, '"""', src.indexOf('REPLACE blocks.\n\n"""')),
    line: 165,
  },
  {
    // vercel/ai-chatbot: regularPrompt's closing backtick removed; the next template's opening backtick closes it.
    what: 'a template literal closed by the next template literal (ai-chatbot)',
    file: 'ts/ai_chatbot_prompts.ts',
    open: (src) => removeAt(src, '`;', src.indexOf('proceed with the task.`;')),
    line: 40,
  },
  {
    // anthropic-quickstarts' customer support route: systemPrompt's closing backtick (alone on its line) removed; the
    // next template is a one-line log call 17 lines below, after a function. (Its text, read as code, fails on the
    // emoji; the code after it reads better with the quote moved, once the cut-off end of the parsed text is left out.)
    what: 'a template literal closed by a one-line template in a log call (anthropic-quickstarts route)',
    file: 'ts/aq_customer_support_route.ts',
    open: (src) => removeAt(src, '`', src.indexOf('\n  `\n\n  function sanitizeAndParseJSON')),
    line: 135,
  },
  {
    // The same file: an interpolation of getRequestPromptFromHints left without its closing brace.
    what: 'a template literal with an interpolation left open (ai-chatbot)',
    file: 'ts/ai_chatbot_prompts.ts',
    open: (src) => removeAt(src, '}', src.indexOf('${requestHints.latitude')),
    line: 51,
  },
];

describe('a prompt literal that is not closed yet', () => {
  for (const c of CASES) {
    describe(c.what, () => {
      const original = fixture(c.file);
      const edited = c.open(original);

      it('is found, marked unterminated, and it is the only one marked (the file as it is has none)', () => {
        assert.deepEqual(findPrompts(original, undefined, { fileName: c.file }).filter((p) => p.unterminated), []);
        const marked = findPrompts(edited, undefined, { fileName: c.file }).filter((p) => p.unterminated);
        assert.deepEqual(marked.map((p) => p.range.start.line + 1), [c.line]);
      });

      it('the incremental scanner says the same, from the closed version to the open one and back', () => {
        const scanner = new IncrementalPromptScanner();
        const options = { fileName: c.file };
        scanner.scan('doc', original, undefined, options);
        assert.deepEqual(scanner.scan('doc', edited, undefined, options), findPrompts(edited, undefined, options));
        assert.deepEqual(scanner.scan('doc', original, undefined, options), findPrompts(original, undefined, options));
      });

      it('its hint counts, prices and analyzes nothing; the closed version counts the prompt', async () => {
        const open = (await service().compute(hintInputs(edited, c.file))).prompts.find((p) => p.location.range.start.line + 1 === c.line);
        assert.ok(open?.location.unterminated);
        assert.equal(open.cost.tokens.count, 0);
        assert.equal(open.cost.inputCostUsd, undefined);
        assert.deepEqual(open.compare, []);
        assert.deepEqual(open.suggestions, []);
        assert.deepEqual(open.runtimeValues, []);
        const closed = (await service().compute(hintInputs(original, c.file))).prompts.find((p) => p.location.range.start.line + 1 === c.line);
        assert.ok(closed && !closed.location.unterminated && closed.cost.tokens.count > 0);
      });

      it('`prompt scan` says it is not counted', () => {
        const items = summarize([{ file: c.file, languageId: 'x', elapsedMs: 0, prompts: findPrompts(edited, undefined, { fileName: c.file }), source: edited }], 'gpt-4o');
        // (A composed prompt's lines run from its first piece, as the lens stands: the route's system prompt takes in categoriesContext from line 126.)
        const item = items.find((i) => i.startLine <= c.line && c.line <= i.endLine);
        assert.equal(item?.unterminated, true);
        assert.equal(item?.tokens, 0);
      });
    });
  }

  it('literals that are closed are never marked: every prompt of the scan corpus\'s Python and TypeScript files', () => {
    // (An f-string field or a template interpolation that nests quotes and backticks is closed too.)
    const inline = [
      ['q.py', 'SYSTEM_PROMPT = f"""You are {name}. Answer in {lang!r:>10} words: {", ".join(items)}."""\n'],
      ['q.ts', 'export const SYSTEM_PROMPT = `You are a bot ${flag ? `${ctx}` : "no context"} — answer briefly.`;\n'],
    ];
    for (const dir of ['python', 'ts']) {
      for (const name of readdirSync(path.join(root, 'test/fixtures/scan', dir))) {
        const src = fixture(`${dir}/${name}`);
        assert.deepEqual(findPrompts(src, undefined, { fileName: name }).filter((p) => p.unterminated).map((p) => p.range.start.line + 1), [], `${dir}/${name}`);
      }
    }
    for (const [fileName, src] of inline) {
      const found = findPrompts(src, undefined, { fileName });
      assert.equal(found.length, 1, src);
      assert.equal(found[0].unterminated, undefined, src);
    }
  });
});
