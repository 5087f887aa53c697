/**
 * Incremental prompt finding (issue 12, item 8): after any edit, `IncrementalPromptScanner`
 * must give exactly what a full `findPrompts` of the edited text gives. The oracle is the
 * full scan; the inputs are the real source files of the annotated corpus
 * (test/fixtures/scan/python and ts, sources in test/fixtures/scan/SOURCES.md) with random
 * one-line edits: lines inserted, deleted, replaced or typed into, including edits that break
 * the syntax, touch imports, tools lists, model constants and message lists.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as fc from 'fast-check';
import { sharedPriceCatalog } from '../../../../src/shared/cost/pricing';
import { PromptHintService, type HintInputs } from '../../../../src/shared/hints/hints';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { IncrementalPromptScanner } from '../../../../src/shared/prompt/scanner/incremental';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan');

interface SourceFile {
  name: string;
  text: string;
}

const FILES: SourceFile[] = ['python', 'ts'].flatMap((dir) =>
  readdirSync(join(FIXTURES, dir))
    .filter((f) => /\.(py|ts)$/.test(f))
    .sort()
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(FIXTURES, dir, f), 'utf8') })),
);

/** Lines an edit may insert besides the file's own lines: each touches something the scanner reads file-wide, or breaks the syntax. */
const SNIPPETS = [
  '# a comment',
  '// a comment',
  '',
  'import anthropic',
  'from openai import OpenAI',
  "import Anthropic from '@anthropic-ai/sdk';",
  'MODEL = "claude-sonnet-4-5"',
  "const MODEL = 'gpt-4o-mini';",
  'tools = [get_weather, lookup_order]',
  'response_model = Answer',
  'def helper() -> Answer:',
  'SYSTEM_PROMPT = "You are a careful assistant. Answer in two sentences and cite your sources."',
  'const systemPrompt = `You are a support agent for ${company}. Be brief and polite.`;',
  '    messages=[{"role": "system", "content": "You are a translator. Translate the user text into French."}],',
  '"""Module docstring: what this file does, in one sentence for the reader."""',
  '"""',
  "'''",
  '`',
  '"',
  '(',
  ')',
  '{',
  '}',
  '    return "Summarize the text below in three short sentences for a busy reader."',
  'client.messages.create(model=MODEL, system=PROMPT, messages=[])',
  '@tool',
  'class Prompts:',
];

type Edit = { kind: 'insert' | 'replace'; line: number; source: number; snippet: boolean } | { kind: 'delete'; line: number } | { kind: 'type'; line: number; column: number; source: number; snippet: boolean; length: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('insert' as const, 'replace' as const), line: fc.nat(), source: fc.nat(), snippet: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('type' as const), line: fc.nat(), column: fc.nat(), source: fc.nat(), snippet: fc.boolean(), length: fc.integer({ min: -6, max: 12 }) }),
);

/** Applies a one-line edit; the inserted text is a line of the same file or a snippet. */
function applyEdit(text: string, edit: Edit): string {
  const lines = text.split('\n');
  const line = edit.line % (lines.length + (edit.kind === 'insert' ? 1 : 0));
  if (edit.kind === 'delete') {
    lines.splice(line, 1);
    return lines.join('\n');
  }
  const inserted = edit.snippet ? SNIPPETS[edit.source % SNIPPETS.length] : lines[edit.source % lines.length];
  if (edit.kind === 'insert') lines.splice(line, 0, inserted);
  else if (edit.kind === 'replace') lines[line] = inserted;
  else if (edit.kind === 'type') {
    const target = lines[line] ?? '';
    const column = edit.column % (target.length + 1);
    // Typing a piece of the inserted text, or deleting characters (a negative length).
    lines[line] = edit.length >= 0 ? target.slice(0, column) + inserted.slice(0, edit.length) + target.slice(column) : target.slice(0, column) + target.slice(Math.min(target.length, column - edit.length));
  }
  return lines.join('\n');
}

describe('IncrementalPromptScanner: equals a full scan after edits of real files', () => {
  it('gives exactly what findPrompts gives after random sequences of one-line edits (300 runs, seeded)', function () {
    this.timeout(120_000);
    const modes: Record<string, number> = {};
    fc.assert(
      fc.property(fc.nat(FILES.length - 1), fc.array(editArb, { minLength: 1, maxLength: 3 }), (fileIndex, edits) => {
        const file = FILES[fileIndex];
        const scanner = new IncrementalPromptScanner();
        assert.deepEqual(scanner.scan(file.name, file.text, undefined, { fileName: file.name }), findPrompts(file.text, undefined, { fileName: file.name }));
        let text = file.text;
        for (const edit of edits) {
          text = applyEdit(text, edit);
          const incremental = scanner.scan(file.name, text, undefined, { fileName: file.name });
          modes[scanner.lastScan.mode] = (modes[scanner.lastScan.mode] ?? 0) + 1;
          assert.deepEqual(incremental, findPrompts(text, undefined, { fileName: file.name }), `${file.name} after ${JSON.stringify(edits)}`);
        }
      }),
      { seed: 20261202, numRuns: 300 },
    );
    // Many edits must take the incremental path, or this test would prove nothing about it. Edits that
    // leave a syntax error (about half of these random ones) are scanned whole, by design.
    assert.ok((modes.incremental ?? 0) >= 150, JSON.stringify(modes));
  });

  it('gives exactly what findPrompts gives after edits that change file-wide facts: imports, tools lists, model constants (200 runs, seeded)', function () {
    this.timeout(120_000);
    const fileWide = SNIPPETS.filter((l) => /import|tools|response_model|->|MODEL|docstring|@tool|class/.test(l));
    fc.assert(
      fc.property(fc.nat(FILES.length - 1), fc.nat(), fc.nat(fileWide.length - 1), fc.boolean(), (fileIndex, line, snippet, replace) => {
        const file = FILES[fileIndex];
        const scanner = new IncrementalPromptScanner();
        scanner.scan(file.name, file.text, undefined, { fileName: file.name });
        const lines = file.text.split('\n');
        lines.splice(line % lines.length, replace ? 1 : 0, fileWide[snippet]);
        const text = lines.join('\n');
        assert.deepEqual(scanner.scan(file.name, text, undefined, { fileName: file.name }), findPrompts(text, undefined, { fileName: file.name }));
      }),
      { seed: 12, numRuns: 200 },
    );
  });

  it('equals a full scan after edits that leave syntax errors (a case a longer run found: Lezer recovers differently when it reuses nodes)', () => {
    const file = FILES.find((f) => f.name === 'ts/mcp_sequentialthinking.ts') as SourceFile;
    const scanner = new IncrementalPromptScanner();
    scanner.scan(file.name, file.text, undefined, { fileName: file.name });
    let text = file.text;
    // Lines 93, 25 and 26 replaced in turn by the file's first line, `#!/usr/bin/env node`.
    for (const line of [92, 24, 25]) {
      text = applyEdit(text, { kind: 'replace', line, source: 0, snippet: false });
      assert.deepEqual(scanner.scan(file.name, text, undefined, { fileName: file.name }), findPrompts(text, undefined, { fileName: file.name }));
    }
  });

  it('also equals a full scan with a minimum confidence', () => {
    const file = FILES.find((f) => f.name === 'python/gpt_engineer_steps.py') as SourceFile;
    const scanner = new IncrementalPromptScanner();
    scanner.scan('k', file.text, 'python', { minConfidence: 0.8 });
    const edited = applyEdit(file.text, { kind: 'insert', line: 200, source: 0, snippet: true });
    assert.deepEqual(scanner.scan('k', edited, 'python', { minConfidence: 0.8 }), findPrompts(edited, 'python', { minConfidence: 0.8 }));
    assert.equal(scanner.lastScan.mode, 'incremental');
  });
});

describe('IncrementalPromptScanner: what it re-scans', () => {
  const file = FILES.find((f) => f.name === 'python/gpt_engineer_steps.py') as SourceFile;
  const lines = file.text.split('\n');

  it('re-scans only the statement an edit touches and its two neighbours', () => {
    const scanner = new IncrementalPromptScanner();
    scanner.scan('k', file.text, 'python');
    const statements = scanner.lastScan.statements;
    // A comment line inside the body of a function in the middle of the file.
    const at = lines.findIndex((l) => l.startsWith('def ')) + 1;
    const edited = [...lines.slice(0, at), '    # edited', ...lines.slice(at)].join('\n');
    const found = scanner.scan('k', edited, 'python');
    assert.deepEqual(scanner.lastScan, { mode: 'incremental', statements, rescanned: 3 });
    assert.deepEqual(found, findPrompts(edited, 'python'));
  });

  it('parses and scans the whole file while it has a syntax error (error recovery differs between incremental and full parses)', () => {
    const scanner = new IncrementalPromptScanner();
    scanner.scan('k', file.text, 'python');
    const at = lines.findIndex((l) => l.startsWith('def ')) + 1;
    const broken = [...lines.slice(0, at), '    x = (', ...lines.slice(at)].join('\n');
    assert.deepEqual(scanner.scan('k', broken, 'python'), findPrompts(broken, 'python'));
    assert.equal(scanner.lastScan.reason, 'this version has a syntax error');
    // The next version, fixed, is scanned whole too (its predecessor's tree had an error), and then edits are incremental again.
    assert.deepEqual(scanner.scan('k', file.text, 'python'), findPrompts(file.text, 'python'));
    assert.equal(scanner.lastScan.reason, 'the previous version has a syntax error');
    const edited = [...lines.slice(0, at), '    # fixed', ...lines.slice(at)].join('\n');
    assert.deepEqual(scanner.scan('k', edited, 'python'), findPrompts(edited, 'python'));
    assert.equal(scanner.lastScan.mode, 'incremental');
  });

  it('reports the same version again as unchanged', () => {
    const scanner = new IncrementalPromptScanner();
    const first = scanner.scan('k', file.text, 'python');
    assert.deepEqual(scanner.scan('k', file.text, 'python'), first);
    assert.equal(scanner.lastScan.mode, 'unchanged');
  });

  it('scans the whole file again when the imports change (the provider of every prompt may change)', () => {
    const scanner = new IncrementalPromptScanner();
    scanner.scan('k', file.text, 'python');
    const edited = `${file.text}\nimport anthropic\n`;
    const found = scanner.scan('k', edited, 'python');
    assert.deepEqual({ mode: scanner.lastScan.mode, reason: scanner.lastScan.reason }, { mode: 'full', reason: 'the imports changed' });
    assert.deepEqual(found, findPrompts(edited, 'python'));
  });

  it('scans the whole file again when the first statement changes (a module docstring is not a prompt)', () => {
    const docstring = '"""You are a helpful assistant. Answer the question in two sentences and cite the sources."""';
    const src = `${docstring}\nx = 1\n`;
    const scanner = new IncrementalPromptScanner();
    assert.deepEqual(scanner.scan('k', src, 'python'), []);
    // With a statement above it, the same string is a bare expression statement, still no prompt; with it removed again, a docstring.
    const above = `y = 2\n${src}`;
    assert.deepEqual(scanner.scan('k', above, 'python'), findPrompts(above, 'python'));
    assert.equal(scanner.lastScan.reason, 'the first statement changed (module docstrings)');
    assert.deepEqual(scanner.scan('k', src, 'python'), []);
  });

  it('scans the whole file again when the tools it registers change', () => {
    const src = ['from agents import Agent', '', 'def lookup(order_id: str) -> str:', '    """Look up an order by its id and return its status, carrier and expected delivery date."""', '    return db.get(order_id)', '', 'a = 1', 'b = 2', 'x = 1', ''].join('\n');
    const scanner = new IncrementalPromptScanner();
    assert.deepEqual(scanner.scan('k', src, 'python'), []);
    const edited = src.replace('x = 1', 'tools = [lookup]');
    const found = scanner.scan('k', edited, 'python');
    assert.equal(scanner.lastScan.reason, 'the tools or schemas the file registers changed');
    // Listed as a tool, the docstring is sent to the model: one tool prompt, on line 4.
    assert.deepEqual(
      found.map((p) => [p.kind, p.range.start.line + 1]),
      [['tool', 4]],
    );
    assert.deepEqual(found, findPrompts(edited, 'python'));
  });

  it('scans the whole file again when a function becomes an agent\'s instructions or a variable the input of an agent run', () => {
    const src = ['from agents import Agent, Runner', '', 'def custom_instructions(ctx, agent) -> str:', '    return "Only respond in haikus."', '', 'user_message = "Tell me a joke."', 'a = 1', 'x = 1', 'y = 2', ''].join('\n');
    const scanner = new IncrementalPromptScanner();
    assert.deepEqual(scanner.scan('k', src, 'python'), []);
    const edited = src.replace('x = 1', 'agent = Agent(name="Chat", instructions=custom_instructions)').replace('y = 2', 'result = Runner.run_sync(agent, user_message)');
    const found = scanner.scan('k', edited, 'python');
    assert.equal(scanner.lastScan.reason, 'the tools or schemas the file registers changed');
    // The function's return (line 4) is the system prompt; the variable (line 6) is the user's input.
    assert.deepEqual(
      found.map((p) => [p.kind, p.range.start.line + 1]),
      [
        ['system', 4],
        ['user', 6],
      ],
    );
    assert.deepEqual(found, findPrompts(edited, 'python'));
  });

  it('moves the extent of a branch statement with its function: a fragment and its prompt in one `if` still compose after an edit above', () => {
    const fn = ['def build(existing):', '    if existing:', '        section = f"Known facts to merge with the new ones: {existing}"', '        prompt = f"Summarize the messages below for the user.\\n{section}"', '        return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])'];
    const src = ['from openai import OpenAI', 'client = OpenAI()', 'a = 1', 'b = 2', 'c = 3', ...fn, ''].join('\n');
    const scanner = new IncrementalPromptScanner();
    assert.equal(scanner.scan('k', src, 'python').find((p) => p.text.startsWith('Summarize'))?.pieces?.length, 2);
    // A statement longer than the whole `if`, two statements above the function (so the function itself is not re-scanned).
    const edited = src.replace('a = 1', `a = "${'x'.repeat(400)}"`);
    const found = scanner.scan('k', edited, 'python');
    assert.deepEqual({ mode: scanner.lastScan.mode, rescanned: scanner.lastScan.rescanned }, { mode: 'incremental', rescanned: 3 });
    assert.deepEqual(found, findPrompts(edited, 'python'));
    assert.equal(found.find((p) => p.text.startsWith('Summarize'))?.pieces?.length, 2);
  });

  it('keeps documents apart by key and hands other languages to findPrompts', () => {
    const scanner = new IncrementalPromptScanner();
    const yaml = 'system_prompt: |\n  You are a helpful assistant. Answer the question in two sentences.\n';
    assert.deepEqual(scanner.scan('a.yaml', yaml, 'yaml'), findPrompts(yaml, 'yaml'));
    assert.equal(scanner.lastScan.mode, 'document');
    scanner.scan('a.py', file.text, 'python');
    scanner.scan('b.py', 'x = 1\n', 'python');
    const edited = `${file.text}\n# end\n`;
    assert.deepEqual(scanner.scan('a.py', edited, 'python'), findPrompts(edited, 'python'));
    assert.equal(scanner.lastScan.mode, 'incremental');
  });
});

describe('PromptHintService: hints after an edit equal hints computed from scratch', () => {
  it('gives the same prompts, costs, suggestions and model hovers after edits of real files as a fresh service (60 runs, seeded)', async function () {
    this.timeout(120_000);
    const kept = new PromptHintService(sharedPriceCatalog);
    const withoutTimes = (r: Awaited<ReturnType<PromptHintService['compute']>>) => ({ ...r, elapsedMs: 0, cachedPrompts: 0 });
    await fc.assert(
      fc.asyncProperty(fc.nat(FILES.length - 1), editArb, async (fileIndex, edit) => {
        const file = FILES[fileIndex];
        const params: HintInputs = { text: file.text, languageId: file.name.endsWith('.py') ? 'python' : 'typescript', fileName: file.name, uri: `file:///${file.name}`, version: 1, defaultModel: 'gpt-4o', compareModels: ['gpt-4o-mini', 'claude-sonnet-4-5'], callsPerDay: 1000, withSuggestions: true };
        await kept.compute(params);
        const edited = { ...params, text: applyEdit(file.text, edit), version: 2 };
        const incremental = await kept.compute(edited);
        const fresh = await new PromptHintService(sharedPriceCatalog).compute(edited);
        assert.deepEqual(withoutTimes(incremental), withoutTimes(fresh));
        // The same version again is the same answer, every prompt from the cache.
        const again = await kept.compute(edited);
        assert.equal(again.cachedPrompts, fresh.prompts.length);
        assert.deepEqual(withoutTimes(again), withoutTimes(fresh));
      }),
      { seed: 7, numRuns: 60 },
    );
  });
});
