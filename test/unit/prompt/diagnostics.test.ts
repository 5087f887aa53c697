// Diagnostics a user can trust, on real prompts: precision per kind from the hand judgements
// in test/fixtures/prompts/diagnostics-annotations.json (guide: DIAGNOSTICS.md), and the
// concrete findings that were wrong before (a separator reported as a repeated sentence, an
// offset in a message, a fix that handed the task to the speaker).
import * as assert from 'node:assert/strict';
import { collectFindings, corpusPrompts, loadAnnotations, measure } from '../../../bench/diagnostics';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sharedPriceCatalog } from '../../../src/shared/cost/pricing';
import { EDITOR_KINDS, PromptHintService } from '../../../src/shared/hints/hints';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { loadCorpus } from '../../fixtures/prompts/corpus';

const analyzer = new PromptAnalyzer();
const real = (id: string) => {
  const p = loadCorpus().find((x) => x.id === id);
  assert.ok(p, `${id} is in the corpus`);
  return p.text;
};
const literal = (source: string) => {
  const p = corpusPrompts().find((x) => x.source === source);
  assert.ok(p, `${source} is in the scan corpus`);
  return p.text;
};
/** The text after the suggestion's quick fix. */
const apply = (text: string, s: { range?: { start: number; end: number }; replacement?: string; fix?: { start: number; end: number; replacement: string } }) => {
  const edit = s.fix ?? { start: s.range!.start, end: s.range!.end, replacement: s.replacement! };
  return text.slice(0, edit.start) + edit.replacement + text.slice(edit.end);
};

describe('diagnostics on real prompts', () => {
  const findings = collectFindings(analyzer);
  const { kinds } = measure(findings, loadAnnotations());

  it('every kind shown in the editor has a judged precision of at least 0.9, over at least 90 % of what it fires', () => {
    for (const kind of EDITOR_KINDS) {
      const row = kinds.find((k) => k.kind === kind);
      if (!row) continue;
      process.stdout.write(`      ${kind}: ${row.correct}/${row.judged} correct (${row.fired} fired)\n`);
      assert.ok(row.judged >= 0.9 * row.fired, `${kind}: only ${row.judged} of ${row.fired} findings judged; run npm run bench:diagnostics -- --todo`);
      assert.ok(row.precision >= 0.9, `${kind}: precision ${row.precision.toFixed(3)}`);
    }
    assert.ok(kinds.some((k) => k.kind === 'verbosePhrase' && k.judged >= 100));
  });

  it('the kinds below 0.9 are not shown in the editor', () => {
    for (const row of kinds) if (row.judged >= 10 && row.precision < 0.9) assert.ok(!EDITOR_KINDS.has(row.kind), `${row.kind} (${row.precision.toFixed(3)}) is shown`);
    for (const kind of ['missingTask', 'missingOutputFormat', 'ambiguousWording'] as const) assert.ok(!EDITOR_KINDS.has(kind), kind);
  });

  it('no message shows an offset', () => {
    for (const f of findings) assert.doesNotMatch(f.message, /offset|\b\d{2,} ?\)/i, `${f.source}: ${f.message}`);
  });

  it('separators, file names and list markers are not repeated sentences (forensic-cinematic-analyst, LangChain refine prompts, aider)', () => {
    const aider = literal('scan:python/aider_editblock_prompts.py:38');
    assert.deepEqual(analyzer.analyze(aider).optimizationSuggestions.filter((s) => s.kind === 'repetition'), [], 'the file name "mathweb/flask/app.py" of two examples');
    for (const text of [real('acp:forensic-cinematic-analyst'), literal('scan:python/langchain_refine_prompts.py:12'), literal('scan:python/langchain_refine_prompts.py:45')]) {
      assert.deepEqual(analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === 'repetition'), []);
    }
    // Our own minimal case of the report: list markers on their own lines.
    const numbered = '1.\nSummarize the text.\n2.\nList the risks.\n1.\nSummarize the text.';
    const repeated = analyzer.analyze(numbered).optimizationSuggestions.filter((s) => s.kind === 'repetition');
    assert.deepEqual(repeated, [], 'short fragments ("Summarize the text.", 3 words) and markers are not reported');
  });

  it('a real repeated sentence is reported with the sentence quoted (Vercel ai-chatbot artifacts prompt)', () => {
    const text = literal('scan:ts/ai_chatbot_prompts.ts:4');
    const repeated = analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === 'repetition');
    assert.equal(repeated.length, 1);
    // The first time it is written in capitals, for emphasis; the message quotes that one.
    assert.equal(repeated[0].message, 'This repeats an earlier sentence, "WAIT FOR USER FEEDBACK OR REQUEST TO UPDATE IT."; keep one.');
    assert.equal(text.slice(repeated[0].range!.start, repeated[0].range!.end), 'Wait for user feedback or request to update it.');
    assert.ok(text.indexOf('WAIT FOR USER FEEDBACK OR REQUEST TO UPDATE IT.') < repeated[0].range!.start);
  });

  it('fixes keep a capital at the start of a sentence (Movie Critic: "Please avoid spoilers.")', () => {
    const text = real('acp:Movie Critic');
    const please = analyzer.analyze(text).optimizationSuggestions.find((s) => s.kind === 'politeness');
    assert.ok(please);
    assert.equal(please.message, 'Politeness adds tokens without changing the answer: remove "Please".');
    assert.equal(text.slice(please.range!.start, please.range!.end), 'Please', 'the diagnostic marks the word only');
    assert.ok(apply(text, please).includes('You can also be critical about the movie. Avoid spoilers. My first request'));
  });

  it('"and your task is to …" is not shortened into a sentence whose subject is the user (Debater), a sentence start is (Debater: "Your goal is to help")', () => {
    const text = real('acp:Debater');
    const verbose = analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === 'verbosePhrase');
    assert.ok(!verbose.some((s) => /your task is to/i.test(text.slice(s.range!.start, s.range!.end))));
    const goal = verbose.find((s) => text.slice(s.range!.start, s.range!.end).startsWith('Your goal is to'));
    assert.ok(goal);
    assert.ok(apply(text, goal).includes('based on evidence. Help people come away from the discussion'));
  });

  it('filler that carries meaning is left alone ("Include just the changing lines", "a very short summary")', () => {
    const aider = literal('scan:python/aider_editblock_prompts.py:120');
    assert.ok(!analyzer.analyze(aider).optimizationSuggestions.some((s) => s.kind === 'filler' && aider.slice(s.range!.start, s.range!.end).trim() === 'just'));
    const metagpt = literal('scan:python/metagpt_summarize.py:28');
    assert.ok(!analyzer.analyze(metagpt).optimizationSuggestions.some((s) => s.kind === 'filler'));
  });

  it('"honestly" after the verb says how to decline, it is no filler (CAMEL ai_society.py); "Honestly, …" at a clause start still is', () => {
    const rules = literal('scan:python/camel_ai_society.py:65');
    assert.ok(rules.includes('You must decline my instruction honestly if you cannot perform the instruction'));
    assert.deepEqual(analyzer.analyze(rules).optimizationSuggestions.filter((s) => s.kind === 'filler').map((s) => rules.slice(s.range!.start, s.range!.end)), []);
    const filler = 'Summarize the report in three bullet points. Honestly, keep each bullet under twenty words.';
    assert.deepEqual(analyzer.analyze(filler).optimizationSuggestions.filter((s) => s.kind === 'filler').map((s) => filler.slice(s.range!.start, s.range!.end).trim()), ['Honestly']);
  });

  it('in the editor: only the kinds at 0.9 or more, each marking a short range inside its prompt (gemini-fullstack prompts.py)', async () => {
    const file = path.resolve(__dirname, '../../../../test/fixtures/scan/python/gemini_fullstack_prompts.py');
    const text = readFileSync(file, 'utf8');
    const hints = await new PromptHintService(sharedPriceCatalog).compute({ text, languageId: 'python', fileName: file, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1, withSuggestions: true });
    const all = hints.prompts.flatMap((p) => p.suggestions.map((s) => ({ s, p })));
    assert.ok(all.length > 0);
    for (const { s, p } of all) {
      assert.ok(EDITOR_KINDS.has(s.kind), s.kind);
      assert.ok(s.documentRange, `${s.kind} has a range in the document`);
      assert.ok(s.documentRange.start.offset >= p.location.contentRange.start.offset && s.documentRange.end.offset <= p.location.contentRange.end.offset, `${s.kind} stays inside its prompt`);
      assert.ok(s.documentRange.end.offset - s.documentRange.start.offset <= 200, `${s.kind}: ${s.documentRange.end.offset - s.documentRange.start.offset} characters`);
    }
  });

  it('the quick fix of a repeated list item takes its line: no blank line inside the list (llamacoder getMainCodingPrompt)', () => {
    // test/fixtures/hints-real/llamacoder_prompts.ts lines 137-156 (SOURCES.md): line 155 repeats line 149.
    const source = readFileSync(path.resolve(__dirname, '../../../../test/fixtures/hints-real/llamacoder_prompts.ts'), 'utf8').split('\n');
    const text = source.slice(136, 156).join('\n');
    const repeated = analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === 'repetition');
    assert.equal(repeated.length, 1);
    assert.equal(text.slice(repeated[0].range!.start, repeated[0].range!.end), '- ALWAYS create multiple files - never put all code in one file');
    const expected = [...source.slice(136, 154), source[155]].join('\n');
    assert.equal(apply(text, repeated[0]), expected);
  });
});

