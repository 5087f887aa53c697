// breaker42 (session 42, issue 12 items 1 and 3): quick fixes and rewrites tried on real prompts and real files.
// Each finding names the input, what went wrong before, and checks the fixed behaviour with exact texts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EDITOR_KINDS } from '../../../src/shared/hints/hints';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import type { OptimizationSuggestion } from '../../../src/protocol/prompt';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import { findAtoms } from '../../../src/shared/prompt/scanner/atoms';
import { oracleProblems, rewriteThroughEditorPath, OPERATIONS, describeOperation } from './rewritePath';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { parse as parseYaml } from 'yaml';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');
const analyzer = new PromptAnalyzer();

/** The prompts of one of test/fixtures/prompts' JSON collections (real, SOURCES.md), by id. */
function collection(file: string): Map<string, string> {
  const data = JSON.parse(readFileSync(path.join(FIXTURES, 'prompts', file), 'utf8')) as { prompts: Array<{ id: string; text: string }> };
  return new Map(data.prompts.map((p) => [p.id, p.text]));
}

/** The text after a suggestion's quick fix, as src/extension/prompt/codeActions.ts applies it. */
function applyFix(text: string, s: OptimizationSuggestion): string {
  const edit = s.fix ?? { start: s.range!.start, end: s.range!.end, replacement: s.replacement! };
  return text.slice(0, edit.start) + edit.replacement + text.slice(edit.end);
}

function fixesOf(text: string): OptimizationSuggestion[] {
  return analyzer.suggestions(text, { model: 'gpt-4o', kinds: EDITOR_KINDS }).filter((s) => s.range && s.replacement !== undefined);
}

/** A comma or colon left alone by a fix: after a space, at a line's or a sentence's start, or doubled. */
const STRAY = /(?:^|[.!?;:(]|\s)[ \t]*,|,[ \t]*,|\(\s*\)|\*\*\*\*/m;

describe('breaker42 finding 1: a quick fix leaves no stray comma (filler, politeness and verbose phrases next to punctuation)', () => {
  it('fabric create_network_threat_landscape: "think step-by-step about how to achieve the best possible results by following the steps below" becomes "step-by-step, following…", not "step-by-step , following…"', () => {
    const text = collection('fabric-patterns.json').get('create_network_threat_landscape')!;
    const s = fixesOf(text).find((x) => x.kind === 'verbosePhrase' && text.slice(x.range!.start, x.range!.end).startsWith('about how to achieve'));
    assert.ok(s, 'the verbose phrase is reported');
    // The diagnostic still marks the phrase; the fix takes the space before it too.
    assert.equal(text.slice(s.range!.start, s.range!.end), 'about how to achieve the best possible results by following the steps below');
    assert.ok(applyFix(text, s).includes('Take a step back and think step-by-step, following these steps.'), applyFix(text, s).slice(0, 400));
  });

  it('fabric create_prediction_block: "And honestly, we’re getting so close" becomes "And we’re getting so close", not "And , we’re"', () => {
    const text = collection('fabric-patterns-rest.json').get('create_prediction_block')!;
    const s = fixesOf(text).find((x) => x.kind === 'filler' && text.slice(x.range!.start, x.range!.end) === 'honestly');
    assert.ok(s, 'the filler word is reported');
    const after = applyFix(text, s);
    assert.ok(after.includes('And we’re getting so close'), after);
    assert.ok(!after.includes('And , we’re'));
  });

  it('ChatGPT-Shortcut card 139 (Portuguese): "Por favor, responda-me" becomes "Responda-me", not ", responda-me"', () => {
    const text = collection('chatgpt-shortcut-pt.json').get('card-139')!;
    const s = fixesOf(text).find((x) => x.kind === 'politeness' && text.slice(x.range!.start, x.range!.end) === 'Por favor');
    assert.ok(s, 'the politeness is reported');
    assert.ok(applyFix(text, s).startsWith('Confirme o meu pedido abaixo. Responda-me como gestor de produto.'), applyFix(text, s).slice(0, 120));
  });

  it('every quick fix of the three real collections: none leaves a stray comma, empty brackets or empty emphasis', () => {
    const stray: string[] = [];
    let fixes = 0;
    for (const file of ['fabric-patterns.json', 'fabric-patterns-rest.json', 'chatgpt-shortcut-pt.json']) {
      for (const [id, text] of collection(file)) {
        for (const s of fixesOf(text)) {
          if (s.kind === 'repetition' || s.kind === 'whitespace') continue;
          fixes++;
          const edit = s.fix ?? { start: s.range!.start, end: s.range!.end, replacement: s.replacement! };
          const after = applyFix(text, s);
          const around = (t: string, end: number) => t.slice(Math.max(0, edit.start - 20), end + 20);
          if (STRAY.test(around(after, edit.start + edit.replacement.length)) && !STRAY.test(around(text, edit.end))) stray.push(`${file} ${id}: ${JSON.stringify(around(after, edit.start + edit.replacement.length))}`);
        }
      }
    }
    assert.ok(fixes > 100, `only ${fixes} fixes`);
    assert.deepEqual(stray, []);
  });

  it('the punctuation around a deleted word, by hand: a comma after it, commas on both sides, brackets, emphasis', () => {
    const cases: Array<[string, string]> = [
      ['Summarize it. Basically, keep it short.', 'Summarize it. Keep it short.'],
      ['- Really, be brief.', '- Be brief.'],
      ['1. Basically, keep it short.', '1. Keep it short.'],
      ['Summarize it; basically, be brief.', 'Summarize it; be brief.'],
      ['You should, basically, be concise.', 'You should be concise.'],
      ['Answer, basically: yes or no.', 'Answer: yes or no.'],
      ['Summarize it (basically) now.', 'Summarize it now.'],
      ['**Basically**, be brief.', 'Be brief.'],
      ['Summarize it. Please, be concise.', 'Summarize it. Be concise.'],
      // Unchanged behaviour: a word with a space after it.
      ['You should be really concise.', 'You should be concise.'],
    ];
    for (const [text, expected] of cases) {
      const s = fixesOf(text).find((x) => x.kind === 'filler' || x.kind === 'politeness');
      assert.ok(s, `a suggestion for ${text}`);
      assert.equal(applyFix(text, s), expected);
    }
  });
});

describe('breaker42 finding 2: a quick fix at the start of a folded YAML block\'s second paragraph is applied, not refused', () => {
  // SWE-agent's `edit` tool docstring (test/fixtures/real-extra/SOURCES.md): `docstring: >` with two paragraphs.
  const source = readFileSync(path.join(FIXTURES, 'real-extra/swe_agent_windowed_edit_linting_config.yaml.txt'), 'utf8');
  const fileName = 'tools/windowed_edit_linting/config.yaml';
  const prompt = findPrompts(source, undefined, { fileName }).find((p) => p.text.startsWith('Replaces lines'));

  it('removing "Please" keeps the blank line and the indentation: the YAML parser reads the new text, and nothing else changed', () => {
    assert.ok(prompt, 'the docstring is found');
    const please = fixesOf(prompt.text).find((s) => s.kind === 'politeness' && prompt.text.slice(s.range!.start, s.range!.end) === 'Please');
    assert.ok(please, 'the politeness is reported');
    const newText = applyFix(prompt.text, please);
    const verdict = planLiteralEdit(source, prompt, newText, { fileName });
    assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
    // The independent oracle: the yaml package parses both versions; the docstring (a clipped folded block ends with one
    // line break) is the new text, and the document is otherwise the same.
    const before = parseYaml(source) as { tools: Record<string, { docstring: string }> };
    const after = parseYaml(verdict.edited) as { tools: Record<string, { docstring: string }> };
    assert.equal(after.tools.edit.docstring, `${newText}\n`);
    assert.ok(after.tools.edit.docstring.includes('formatted properly.\nNote that THIS COMMAND REQUIRES PROPER INDENTATION.'));
    after.tools.edit.docstring = before.tools.edit.docstring;
    assert.deepEqual(after, before);
    assert.ok(verdict.edited.includes('      sure your indentation is formatted properly.\n\n      Note that THIS COMMAND'), 'the blank line and the indentation stay');
  });

  it('every operation (compress, distill, optimize) on the two-paragraph docstring is applied and the YAML parser reads its text (all 6 were refused: a folded block could not hold a line break)', async () => {
    assert.ok(prompt, 'the docstring is found');
    const before = parseYaml(source) as { tools: Record<string, { docstring: string }> };
    for (const op of OPERATIONS) {
      const outcome = await rewriteThroughEditorPath(source, { fileName }, prompt, op);
      assert.equal(outcome.status, 'applied', `${describeOperation(op)}: ${outcome.status === 'refused' ? outcome.reason : outcome.status}`);
      if (outcome.status !== 'applied') continue;
      assert.ok(outcome.newText.includes('\n'), 'the rewrite keeps the paragraph break');
      const after = parseYaml(outcome.edited) as { tools: Record<string, { docstring: string }> };
      assert.equal(after.tools.edit.docstring, `${outcome.newText}\n`, describeOperation(op));
      after.tools.edit.docstring = before.tools.edit.docstring;
      assert.deepEqual(after, before, describeOperation(op));
    }
  });

  it('every quick fix of the file is applied (none was before: each was refused as "a folded YAML block … keeps line breaks")', () => {
    let applied = 0;
    for (const p of findPrompts(source, undefined, { fileName })) {
      for (const s of fixesOf(p.text)) {
        const verdict = planLiteralEdit(source, p, applyFix(p.text, s), { fileName });
        assert.ok(verdict.ok, verdict.ok ? '' : `${s.kind}: ${verdict.reason}`);
        applied++;
      }
    }
    assert.ok(applied >= 2, `${applied} fixes`);
  });
});

describe('breaker42 finding 3: a regular expression inside a template literal\'s interpolation is part of it, for the engine too', () => {
  // Our own case (unit test): the engine masks atoms without the literal's interpolation list (findAtoms(text)); it cut
  // `${/[}`]/.test(name) ? "}" : '{'}` at its first `}`, a rewrite then changed the rest, and the guard (which reads the
  // literal's interpolations from the parser) refused every operation on the prompt.
  const source = [
    "import OpenAI from 'openai';",
    'const client = new OpenAI();',
    'export async function answer(name: string, text: string) {',
    '  const systemPrompt = `Please kindly note that you are basically a very helpful assistant in order to help the user. Greet ${/[}`]/.test(name) ? "}" : \'{\'} and really, please, quote ${text.replace(/\'/g, "")} in order to answer.`;',
    "  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: systemPrompt }] });",
    '}',
    '',
  ].join('\n');

  it('findAtoms without the list reads each interpolation whole', () => {
    const text = 'Greet ${/[}`]/.test(name) ? "}" : \'{\'} and quote ${text.replace(/\'/g, "")} now; ${a / b} and ${c /* } */}.';
    assert.deepEqual(
      findAtoms(text).map((a) => a.text),
      ['${/[}`]/.test(name) ? "}" : \'{\'}', '${text.replace(/\'/g, "")}', '${a / b}', '${c /* } */}'],
    );
  });

  it('every operation through the editor path is applied, and the oracle finds the interpolations and the code unchanged', async () => {
    const prompt = findPrompts(source, undefined, { fileName: 'answer.ts' }).find((p) => p.boundName === 'systemPrompt');
    assert.ok(prompt, 'the prompt is found');
    for (const op of OPERATIONS) {
      const outcome = await rewriteThroughEditorPath(source, { fileName: 'answer.ts' }, prompt, op);
      assert.equal(outcome.status, 'applied', `${describeOperation(op)}: ${outcome.status === 'refused' ? outcome.reason : outcome.status}`);
      if (outcome.status === 'applied') assert.deepEqual(oracleProblems(source, outcome.edited, 'typescript', prompt, outcome.newText), [], describeOperation(op));
    }
  });
});
