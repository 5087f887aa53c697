/**
 * New-user check of session 23 on stackblitz/bolt.new (test/fixtures/scan/ts/bolt_*.ts):
 * Compress on the enhancer's `` stripIndents`\n          I want you to…\n        ` `` wrote
 * `` stripIndents`          Improve the user prompt… `` — the first line glued to the
 * backtick with its indent kept, and the closing backtick pulled up onto the last line. The
 * edges of a literal are the code's layout; every rewrite keeps them. The expected edges are
 * read from the original file with the TypeScript compiler's parser, not with the code under test.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { keepLiteralEdges, rewriteForLiteral } from '../../../src/shared/prompt/rewriteGuard';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { OPERATIONS, describeOperation, oracleProblems, rewriteThroughEditorPath } from './rewritePath';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'scan', 'ts');

/** The cooked text of every template literal of a file, by the start offset of its backtick (TypeScript's parser). */
function templateTexts(source: string): Map<number, string> {
  const sf = ts.createSourceFile('case.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out = new Map<number, string>();
  const visit = (n: ts.Node): void => {
    if (ts.isTemplateExpression(n)) out.set(n.getStart(sf), [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join('\u0000'));
    else if (ts.isNoSubstitutionTemplateLiteral(n)) out.set(n.getStart(sf), n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const edges = (text: string): [string, string] => [/^\s*/.exec(text)?.[0] ?? '', /\s*$/.exec(text)?.[0] ?? ''];

describe('rewrites keep the edge whitespace of a literal in code (bolt.new)', () => {
  for (const file of ['bolt_api_enhancer.ts', 'bolt_prompts.ts']) {
    const source = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    const before = templateTexts(source);
    for (const op of OPERATIONS) {
      it(`${file}: ${describeOperation(op)} keeps each prompt's leading and trailing whitespace`, async () => {
        const prompts = findPrompts(source, undefined, { fileName: file }).filter((p) => p.quoting.style === 'template');
        assert.ok(prompts.length > 0, 'the scanner finds the template-literal prompts');
        let applied = 0;
        for (const p of prompts) {
          const out = await rewriteThroughEditorPath(source, { fileName: file }, p, op, 40);
          if (out.status !== 'applied') continue;
          applied++;
          assert.deepEqual(oracleProblems(source, out.edited, 'typescript', p, out.newText), []);
          const original = before.get(p.range.start.offset);
          const edited = templateTexts(out.edited).get(p.range.start.offset);
          assert.ok(original !== undefined && edited !== undefined, 'TypeScript finds the literal before and after');
          assert.deepEqual(edges(edited), edges(original), `${describeOperation(op)} at line ${p.range.start.line + 1}: ${JSON.stringify(edited.slice(0, 40))}`);
        }
        assert.ok(applied > 0, 'at least one prompt was rewritten');
      });
    }
  }

  it('the enhancer prompt compressed reads as the developer laid it out (exact text)', async () => {
    const file = 'bolt_api_enhancer.ts';
    const source = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    const [p] = findPrompts(source, undefined, { fileName: file }).filter((x) => x.quoting.style === 'template');
    const out = await rewriteThroughEditorPath(source, { fileName: file }, p, { kind: 'compress', level: 'medium' });
    assert.equal(out.status, 'applied');
    if (out.status !== 'applied') return;
    // The literal as written in the file after the edit: the layout of lines 21-29 is kept.
    const start = out.edited.indexOf('stripIndents`');
    const end = out.edited.indexOf('`,', start);
    assert.equal(
      out.edited.slice(start, end + 2),
      'stripIndents`\n          Improve the user prompt wrapped in \\`<original_prompt>\\` tags.\n\n          IMPORTANT: Only respond with improved prompt and nothing else!\n\n          <original_prompt>\n            ${message}\n          </original_prompt>\n        `,',
    );
  });

  it('keepLiteralEdges: puts back the edges, and leaves a blank text or a blank rewrite alone', () => {
    assert.equal(keepLiteralEdges('\n    Be brief.\n  ', '    Be brief'), '\n    Be brief\n  ');
    assert.equal(keepLiteralEdges('Be brief.', '\nBe brief\n'), 'Be brief');
    assert.equal(keepLiteralEdges('   ', 'x'), 'x');
    assert.equal(keepLiteralEdges('\nBe brief.\n', '  '), '  ');
  });

  it('a prompt file keeps what the rewriter returned (its edges are text, not layout)', () => {
    const file = { text: 'Be brief.\n', quoting: { language: 'promptFile', style: 'file' } } as unknown as Parameters<typeof rewriteForLiteral>[0];
    assert.equal(rewriteForLiteral(file, 'Brief.'), 'Brief.');
    const literal = { text: '\n  Be brief.\n', quoting: { language: 'python', style: 'string', quote: '"""', triple: true } } as unknown as Parameters<typeof rewriteForLiteral>[0];
    assert.equal(rewriteForLiteral(literal, 'Brief.'), '\n  Brief.\n');
  });
});
