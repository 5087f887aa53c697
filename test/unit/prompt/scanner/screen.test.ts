/**
 * The context screen of the incremental scanner (issue 12, item 8): `candidatesInTree` with a
 * screen skips decoding the literals that no text could make a prompt, and `judge` is split in
 * two (`judgeContext`, then `judgeText`) so the screen can ask the context alone. The oracle is
 * the unscreened pass and the one-piece `judge`, on every source file of the annotated corpus
 * (test/fixtures/scan/python and ts, sources in test/fixtures/scan/SOURCES.md) and on
 * randomly edited versions of them: the screen may drop exactly the candidates that are bound to
 * no name and that `judge(text, ctx, PROMPT_THRESHOLD)` rejects without looking at the text,
 * and nothing else; every other candidate is the same, in the same order, with the same judgement.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as fc from 'fast-check';
import { candidateText } from '../../../../src/shared/prompt/scanner/build';
import type { Candidate } from '../../../../src/shared/prompt/scanner/candidate';
import { candidatesInTree, collectImports } from '../../../../src/shared/prompt/scanner/code';
import { judge, judgeContext, judgeText, PROMPT_THRESHOLD, ruledOutByContext } from '../../../../src/shared/prompt/scanner/evidence';
import { loadJavaScriptParser, loadPythonParser } from '../../../../src/shared/prompt/scanner/parsers';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan');

const FILES = ['python', 'ts'].flatMap((dir) =>
  readdirSync(join(FIXTURES, dir))
    .filter((f) => /\.(py|ts)$/.test(f))
    .sort()
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(FIXTURES, dir, f), 'utf8'), lang: dir === 'python' ? ('python' as const) : ('javascript' as const) })),
);

interface Compared {
  /** Candidates the screen dropped. */
  dropped: number;
  kept: number;
}

/** Runs the scan with and without the screen on one text and checks the screened result against the unscreened one. */
function compare(name: string, text: string, lang: 'python' | 'javascript'): Compared {
  const parser = lang === 'python' ? loadPythonParser() : loadJavaScriptParser(true, false);
  const tree = parser.parse(text);
  const imports = collectImports(text, tree, lang);
  const all = candidatesInTree(text, tree, parser, lang, imports);
  const screenedOut: number[] = [];
  const screen = (ctx: Candidate['context']): boolean => ctx.boundName !== undefined || !ruledOutByContext(judgeContext(ctx), PROMPT_THRESHOLD);
  const kept = candidatesInTree(text, tree, parser, lang, imports, 0, text.length, screen, (start, decodes) => {
    if (decodes()) screenedOut.push(start);
  });
  let k = 0;
  const dropped: number[] = [];
  for (const c of all) {
    const unscreened = judge(candidateText(c), c.context, PROMPT_THRESHOLD);
    if (k < kept.length && kept[k].segments[0].start === c.segments[0].start) {
      // Kept: the same candidate, and the two-step judgement equals the one-piece one.
      assert.deepEqual(kept[k], c, `${name}: kept candidate at ${c.segments[0].start}`);
      assert.deepEqual(judgeText(candidateText(c), c.context, judgeContext(c.context)), judge(candidateText(c), c.context), `${name}: judgement at ${c.segments[0].start}`);
      k++;
      continue;
    }
    // Dropped: only a candidate bound to no name that its context alone rules out (it can play no part, incremental.ts `plays`).
    assert.equal(c.context.boundName, undefined, `${name}: dropped a bound candidate at ${c.segments[0].start}`);
    assert.equal(unscreened, undefined, `${name}: dropped a candidate its context does not rule out at ${c.segments[0].start}`);
    dropped.push(c.segments[0].start);
  }
  assert.equal(k, kept.length, `${name}: the screen found candidates the unscreened pass did not`);
  // Every dropped candidate is reported where it starts, and nothing else (literals that would not decode are not candidates either way).
  assert.deepEqual(screenedOut, dropped, `${name}: screened-out starts`);
  return { dropped: dropped.length, kept: kept.length };
}

describe('context screen (candidatesInTree with a screen, judgeContext/judgeText)', function () {
  this.timeout(120_000);

  it('drops only unbound candidates that judge rejects on context alone, on every corpus file', () => {
    let dropped = 0;
    let kept = 0;
    for (const f of FILES) {
      const r = compare(f.name, f.text, f.lang);
      dropped += r.dropped;
      kept += r.kept;
    }
    assert.ok(FILES.length >= 40, `corpus files: ${FILES.length}`);
    // The screen does something on real code: most literals there are log lines, errors, keys and docstrings.
    assert.ok(dropped > 0 && kept > 0, `dropped ${dropped}, kept ${kept}`);
  });

  it('holds on randomly edited corpus files (lines deleted, duplicated, cut, or broken quotes)', () => {
    const edit = fc.record({
      file: fc.integer({ min: 0, max: FILES.length - 1 }),
      line: fc.nat(),
      op: fc.constantFrom('delete', 'duplicate', 'cut', 'quote', 'paren'),
      cut: fc.integer({ min: 1, max: 40 }),
    });
    fc.assert(
      fc.property(edit, ({ file, line, op, cut }) => {
        const f = FILES[file];
        const lines = f.text.split('\n');
        const at = line % lines.length;
        if (op === 'delete') lines.splice(at, 1);
        else if (op === 'duplicate') lines.splice(at, 0, lines[at]);
        else if (op === 'cut') lines[at] = lines[at].slice(0, Math.max(0, lines[at].length - cut));
        else if (op === 'quote') lines[at] += '"';
        else lines[at] += '(';
        compare(`${f.name} (${op} line ${at + 1})`, lines.join('\n'), f.lang);
      }),
      { numRuns: 150, seed: 1221 },
    );
  });
});
