/**
 * `hasErrors` (scanner/treeErrors.ts): whether a Lezer tree holds a syntax error node, read
 * through the trees' buffers. The oracle is a walk of every node of the tree asking
 * `NodeType.isError`, on the annotated corpus (test/fixtures/scan/python and ts, sources in
 * test/fixtures/scan/SOURCES.md) and the editor bench's generated files, as they are, with one
 * character deleted or inserted (most such edits leave an error node, some do not), and parsed
 * incrementally from the previous version's tree (whose subtrees the new tree reuses).
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Tree } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
import * as fc from 'fast-check';
import { generatePython, generateTypeScript } from '../../../../bench/prompt-scan';
import { loadJavaScriptParser, loadPythonParser, loadTreeFragment } from '../../../../src/shared/prompt/scanner/parsers';
import { hasErrors } from '../../../../src/shared/prompt/scanner/treeErrors';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan');

const FILES = [
  ...['python', 'ts'].flatMap((dir) =>
    readdirSync(join(FIXTURES, dir))
      .filter((f) => /\.(py|ts)$/.test(f))
      .sort()
      .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(FIXTURES, dir, f), 'utf8'), python: dir === 'python' })),
  ),
  { name: 'bench Python', text: generatePython(), python: true },
  { name: 'bench TypeScript', text: generateTypeScript(), python: false },
];

function parserFor(python: boolean): LRParser {
  return python ? loadPythonParser() : loadJavaScriptParser(true, false);
}

/** The oracle: any node of the tree whose type is an error. */
function walkFindsError(tree: Tree): boolean {
  let found = false;
  tree.iterate({
    enter(node) {
      if (node.type.isError) found = true;
      return !found;
    },
  });
  return found;
}

describe('hasErrors (a syntax error node anywhere in a Lezer tree)', function () {
  this.timeout(120_000);

  it('says what a walk of every node says, on each corpus file and the bench files', () => {
    let withErrors = 0;
    for (const { name, text, python } of FILES) {
      const tree = parserFor(python).parse(text);
      const expected = walkFindsError(tree);
      if (expected) withErrors++;
      assert.equal(hasErrors(tree), expected, name);
    }
    // The bench files parse clean; the check is not all one answer.
    assert.equal(hasErrors(parserFor(true).parse(generatePython())), false);
    assert.ok(FILES.length - withErrors > 10, 'error-free files');
  });

  it('finds one error deep in a 3,000-line file (inside a buffer of a nested subtree), and none once it is fixed', () => {
    const text = generatePython();
    const at = text.lastIndexOf('(');
    const broken = `${text.slice(0, at)}(]${text.slice(at + 1)}`;
    const parser = parserFor(true);
    assert.equal(hasErrors(parser.parse(broken)), true);
    assert.equal(hasErrors(parser.parse('def f(x):\n    return (x,\n')), true);
    assert.equal(hasErrors(parser.parse('def f(x):\n    return (x,)\n')), false);
    assert.equal(hasErrors(loadJavaScriptParser(true, false).parse('const x: number = ;\n')), true);
    assert.equal(hasErrors(loadJavaScriptParser(true, false).parse('const x: number = 1;\n')), false);
  });

  it('agrees with the walk after one character is deleted or inserted, parsed whole and incrementally', () => {
    const TreeFragment = loadTreeFragment();
    const samples = FILES.filter((f) => f.text.length < 60_000);
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('', '(', ')', '"', ':', '{', '\n'), (fileIndex, where, inserted) => {
        const { text, python } = samples[fileIndex];
        const parser = parserFor(python);
        const at = Math.min(text.length - 1, Math.floor(where * text.length));
        // An empty insertion deletes the character at `at`.
        const edited = inserted === '' ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + inserted + text.slice(at);
        const whole = parser.parse(edited);
        assert.equal(hasErrors(whole), walkFindsError(whole));
        const before = parser.parse(text);
        const fragments = TreeFragment.applyChanges(TreeFragment.addTree(before), [{ fromA: at, toA: inserted === '' ? at + 1 : at, fromB: at, toB: at + inserted.length }]);
        const incremental = parser.parse(edited, fragments);
        assert.equal(hasErrors(incremental), walkFindsError(incremental));
      }),
      { numRuns: 60, seed: 28 },
    );
  });
});
