// The shortcuts the editor's hints take for speed (issue 12, item 8) give what the long way
// gives: the analyzer's suggestions-only entry point against the full analysis, on real
// prompts; the scanner's per-file memo of a literal's shape against a first judgement, and
// the incremental scanner against findPrompts on a real file after an edit that breaks and
// then repairs its syntax (the error check remembers subtrees between versions).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { corpusPrompts } from '../../../../bench/diagnostics';
import { PromptAnalyzer } from '../../../../src/shared/prompt/analyzer';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { judge } from '../../../../src/shared/prompt/scanner/evidence';
import type { LiteralContext } from '../../../../src/shared/prompt/scanner/literalContext';
import { IncrementalPromptScanner } from '../../../../src/shared/prompt/scanner/incremental';

describe('editor hints: shortcuts give what the long way gives', () => {
  it('suggestions() equals analyze().optimizationSuggestions on every real prompt of the corpora', () => {
    const analyzer = new PromptAnalyzer();
    const prompts = corpusPrompts();
    assert.ok(prompts.length > 200, `${prompts.length} real prompts`);
    let withSuggestions = 0;
    for (const p of prompts) {
      for (const model of ['gpt-4o', 'claude-sonnet-4-5']) {
        const expected = analyzer.analyze(p.text, { model }).optimizationSuggestions;
        assert.deepEqual(analyzer.suggestions(p.text, { model }), expected, `${p.source} (${model})`);
        if (expected.length > 0) withSuggestions++;
      }
    }
    // The comparison means something only if many prompts have suggestions.
    assert.ok(withSuggestions > 100, `${withSuggestions} prompt/model pairs with suggestions`);
  });

  it('a literal judged again in the same file (its shape remembered) is judged as the first time, whatever the caller did to the first judgement', () => {
    const imports = new Set(['openai']);
    const ctx = (): LiteralContext => ({ keys: ['content'], callees: ['client.chat.completions.create'], negatives: [], imports, role: 'system' });
    const text = 'You are a helpful assistant. Answer in JSON.';
    const first = judge(text, ctx());
    const copy = structuredClone(first);
    first.evidence.push({ kind: 'name', detail: 'added by the caller', weight: 5 });
    first.evidence[0] = { kind: 'name', detail: 'replaced by the caller', weight: 9 };
    const second = judge(text, ctx());
    assert.deepEqual(second, copy);
    // And a literal judged in another file (another set of imports) is judged afresh, the same way.
    assert.deepEqual(judge(text, { ...ctx(), imports: new Set(['openai']) }), copy);
  });

  it('finds what findPrompts finds while an edit breaks a real file and after it is repaired', () => {
    // A real file (gpt-engineer's steps.py, test/fixtures/scan/SOURCES.md) with prompts on both sides of the edit.
    const name = 'gpt_engineer_steps.py';
    const text = readFileSync(join(resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan', 'python'), name), 'utf8');
    assert.ok(findPrompts(text, 'python').length >= 2);
    const scanner = new IncrementalPromptScanner();
    const key = `file:///${name}`;
    assert.deepEqual(scanner.scan(key, text, 'python'), findPrompts(text, 'python'));
    const lines = text.split('\n');
    const middle = Math.floor(lines.length / 2);
    const broken = [...lines.slice(0, middle), 'def broken(:', ...lines.slice(middle)].join('\n');
    assert.deepEqual(scanner.scan(key, broken, 'python'), findPrompts(broken, 'python'));
    assert.equal(scanner.lastScan.reason, 'this version has a syntax error');
    const repaired = [...lines.slice(0, middle), '# repaired', ...lines.slice(middle)].join('\n');
    assert.deepEqual(scanner.scan(key, repaired, 'python'), findPrompts(repaired, 'python'));
    assert.equal(scanner.lastScan.reason, 'the previous version has a syntax error');
    const again = [...lines.slice(0, middle), '# repaired again', ...lines.slice(middle)].join('\n');
    assert.deepEqual(scanner.scan(key, again, 'python'), findPrompts(again, 'python'));
    assert.equal(scanner.lastScan.mode, 'incremental');
  });
});

