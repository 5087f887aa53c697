/**
 * Incremental model mentions (issue 12, item 8): after any edit, `IncrementalModelMentions`
 * must give exactly what `modelMentions` (a full pass of the same regular expression) gives
 * on the edited text. The oracle is the full pass; the inputs are every file of the annotated
 * scan corpus (test/fixtures/scan: Python, TypeScript, YAML, JSON, Markdown, prompt files;
 * sources in test/fixtures/scan/SOURCES.md) and of test/fixtures/model-pricing, with random edits: lines inserted, deleted or
 * replaced, characters typed or deleted, and ranges cut, including lone quotes that re-pair
 * every quote after them.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as fc from 'fast-check';
import { IncrementalModelMentions } from '../../../../src/shared/prompt/scanner/mentions';
import { modelMentions } from '../../../../src/shared/prompt/scanner/models';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures');

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** The real files of the scan corpus and of the model-pricing fixtures (not our annotations and notes). */
const FILES = ['scan', 'model-pricing']
  .flatMap((dir) => filesUnder(join(FIXTURES, dir)))
  .filter((f) => !/(annotations\.json|ANNOTATION\.md|SOURCES\.md|README\.md)$/.test(f))
  .map((f) => ({ name: f.slice(FIXTURES.length + 1), text: readFileSync(f, 'utf8') }));

/** Text an edit may insert besides the file's own lines: quotes that re-pair what follows, and model names. */
const SNIPPETS = ['"', "'", '`', '"gpt-4o"', "model='claude-sonnet-4-5'", 'MODEL = "gemini-2.5-flash"', '`o3-mini`', "x = 'not a model'", '""', "''", 'see "gpt-4o-mini" and \'o1\''];

type Edit =
  | { kind: 'insert' | 'replace'; line: number; source: number; snippet: boolean }
  | { kind: 'delete'; line: number }
  | { kind: 'type'; at: number; source: number; snippet: boolean; length: number }
  | { kind: 'cut'; at: number; length: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('insert' as const, 'replace' as const), line: fc.nat(), source: fc.nat(), snippet: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('type' as const), at: fc.nat(), source: fc.nat(), snippet: fc.boolean(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
);

function applyEdit(text: string, edit: Edit): string {
  const lines = text.split('\n');
  const inserted = (source: number, snippet: boolean): string => (snippet ? SNIPPETS[source % SNIPPETS.length] : lines[source % lines.length]);
  switch (edit.kind) {
    case 'delete':
      lines.splice(edit.line % lines.length, 1);
      return lines.join('\n');
    case 'insert':
      lines.splice(edit.line % (lines.length + 1), 0, inserted(edit.source, edit.snippet));
      return lines.join('\n');
    case 'replace':
      lines[edit.line % lines.length] = inserted(edit.source, edit.snippet);
      return lines.join('\n');
    case 'type': {
      const at = edit.at % (text.length + 1);
      return text.slice(0, at) + inserted(edit.source, edit.snippet).slice(0, edit.length) + text.slice(at);
    }
    case 'cut': {
      const at = edit.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + edit.length);
    }
  }
}

describe('IncrementalModelMentions: equals modelMentions after edits of real files', () => {
  it('edits real files, many of which name models', () => {
    assert.ok(FILES.length >= 70, String(FILES.length));
    assert.ok(FILES.filter((f) => modelMentions(f.text).length > 0).length >= 15);
  });

  it('gives exactly what modelMentions gives after random sequences of edits (400 runs, seeded)', function () {
    this.timeout(120_000);
    const modes: Record<string, number> = {};
    let rescanned = 0;
    let words = 0;
    fc.assert(
      fc.property(fc.nat(FILES.length - 1), fc.array(editArb, { minLength: 1, maxLength: 4 }), (fileIndex, edits) => {
        const file = FILES[fileIndex];
        const mentions = new IncrementalModelMentions();
        assert.deepEqual(mentions.mentions(file.name, file.text), modelMentions(file.text));
        let text = file.text;
        for (const edit of edits) {
          text = applyEdit(text, edit);
          const incremental = mentions.mentions(file.name, text);
          const stats = mentions.lastScan;
          modes[stats.mode] = (modes[stats.mode] ?? 0) + 1;
          if (stats.mode === 'incremental') {
            rescanned += stats.rescanned;
            words += stats.words;
          }
          assert.deepEqual(incremental, modelMentions(text), `${file.name} after ${JSON.stringify(edits)}`);
        }
      }),
      { seed: 20261203, numRuns: 400 },
    );
    // Every edit of a remembered version takes the incremental path, and re-reads a small part of the file.
    assert.equal(modes.full, undefined, JSON.stringify(modes));
    assert.ok(rescanned < words / 4, `${rescanned} of ${words} quoted words scanned again`);
  });

  it('gives exactly what modelMentions gives with a small limit (the scan stops at the limit, and so must the merge)', function () {
    this.timeout(60_000);
    fc.assert(
      fc.property(fc.nat(FILES.length - 1), fc.integer({ min: 1, max: 6 }), fc.array(editArb, { minLength: 1, maxLength: 3 }), (fileIndex, limit, edits) => {
        const file = FILES[fileIndex];
        const mentions = new IncrementalModelMentions(16, limit);
        let text = file.text;
        assert.deepEqual(mentions.mentions('k', text), modelMentions(text, limit));
        for (const edit of edits) {
          text = applyEdit(text, edit);
          assert.deepEqual(mentions.mentions('k', text), modelMentions(text, limit), `${file.name} limit ${limit} after ${JSON.stringify(edits)}`);
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('IncrementalModelMentions: what it scans again', () => {
  const head = 'import openai\n\n';
  const body = Array.from({ length: 200 }, (_, i) => `def task_${i}():\n    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "task ${i}"}])\n`).join('\n');
  const text = head + body;

  it('after a one-line edit in the middle, re-reads only the quoted words near it', () => {
    const mentions = new IncrementalModelMentions();
    mentions.mentions('k', text);
    const total = mentions.lastScan.words;
    const middle = text.indexOf('def task_100');
    const edited = `${text.slice(0, middle)}# edited\n${text.slice(middle)}`;
    const found = mentions.mentions('k', edited);
    assert.deepEqual(found, modelMentions(edited));
    assert.equal(found.length, 200);
    assert.equal(mentions.lastScan.mode, 'incremental');
    assert.equal(mentions.lastScan.words, total);
    // The words whose search could read the edit (the last 123 characters before it) and the first one after it.
    assert.ok(mentions.lastScan.rescanned <= 8, JSON.stringify(mentions.lastScan));
  });

  it('after a lone quote, re-pairs the quotes that follow it and still equals the full pass', () => {
    const mentions = new IncrementalModelMentions();
    mentions.mentions('k', text);
    const at = text.indexOf('model=', text.indexOf('def task_50'));
    const edited = `${text.slice(0, at)}"${text.slice(at)}`;
    assert.deepEqual(mentions.mentions('k', edited), modelMentions(edited));
    // And back: the quote removed again.
    assert.deepEqual(mentions.mentions('k', text), modelMentions(text));
  });

  it('after an edit inside a quoted name, reports the new name in place', () => {
    const mentions = new IncrementalModelMentions();
    mentions.mentions('k', text);
    const at = text.indexOf('gpt-4o-mini', text.indexOf('def task_120')) + 'gpt-4o-'.length;
    const edited = `${text.slice(0, at)}nano${text.slice(at + 'mini'.length)}`;
    const found = mentions.mentions('k', edited);
    assert.deepEqual(found, modelMentions(edited));
    assert.deepEqual(found.filter((m) => m.name === 'gpt-4o-nano').length, 1);
  });

  it('answers the same text again from the last result', () => {
    const mentions = new IncrementalModelMentions();
    const first = mentions.mentions('k', text);
    assert.equal(mentions.mentions('k', text), first);
    assert.deepEqual(mentions.lastScan, { mode: 'unchanged', words: mentions.lastScan.words, rescanned: 0 });
  });

  it('keeps documents apart by key, and forgets the least recently used past its capacity', () => {
    const mentions = new IncrementalModelMentions(2);
    mentions.mentions('a', 'x = "gpt-4o"');
    mentions.mentions('b', 'y = "o3"');
    mentions.mentions('c', 'z = "claude-sonnet-4-5"');
    assert.deepEqual(mentions.mentions('a', 'x = "gpt-4o" '), modelMentions('x = "gpt-4o" '));
    assert.equal(mentions.lastScan.mode, 'full');
    assert.deepEqual(mentions.mentions('c', 'z = "claude-sonnet-4-5" '), modelMentions('z = "claude-sonnet-4-5" '));
    assert.equal(mentions.lastScan.mode, 'incremental');
  });
});
