/**
 * Every prompt literal of the real-code scan corpus (test/fixtures/scan/**, third-party
 * files listed in its SOURCES.md) compressed (default and aggressive) and optimized
 * (efficiency and balanced, local) through the editor's path, then the edited file parsed
 * again: zero broken interpolations or placeholders, zero changes outside the literal.
 * Code files are checked with Lezer (rewritePath.ts's oracle), JSON and YAML files by
 * parsing both versions and comparing every value, Markdown and prompt files by the text
 * outside the edit.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { EDITOR_KINDS } from '../../../src/shared/hints/hints';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import type { PromptLocation } from '../../../src/protocol/scan';
import { describeOperation, oracleProblems, rewriteThroughEditorPath, type Operation } from './rewritePath';

const ROOT = path.resolve(__dirname, '../../../../test/fixtures/scan');
const OPS: Operation[] = [
  { kind: 'compress', level: 'medium' },
  { kind: 'compress', level: 'aggressive' },
  { kind: 'optimize', target: 'efficiency' },
  { kind: 'optimize', target: 'balanced' },
];

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (!/^(SOURCES|ANNOTATION|README)\.md$/i.test(entry.name) && entry.name !== 'annotations.json') out.push(full);
  }
  return out.sort();
}

/** Leaves of a parsed JSON/YAML value, by path. */
function leaves(value: unknown, at = '$', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
    out.set(at, Array.isArray(value) ? `[${value.length}]` : `{${entries.map(([k]) => k).join(',')}}`);
    for (const [k, v] of entries) leaves(v, `${at}.${k}`, out);
  } else out.set(at, value);
  return out;
}

/** JSON/YAML: both versions parse, and exactly the edited string changed (to the new text). */
function documentProblems(before: string, after: string, newText: string, parse: (s: string) => unknown, trimEnd: boolean): string[] {
  let a: Map<string, unknown>;
  let b: Map<string, unknown>;
  try {
    a = leaves(parse(before));
  } catch {
    return []; // the original does not parse: nothing to compare against
  }
  try {
    b = leaves(parse(after));
  } catch (error) {
    return [`the edited document does not parse: ${String(error)}`];
  }
  const keys = new Set([...a.keys(), ...b.keys()]);
  const changed = [...keys].filter((k) => a.get(k) !== b.get(k));
  if (changed.length > 1) return [`${changed.length} values changed: ${changed.slice(0, 3).join(', ')}`];
  if (changed.length === 1) {
    const v = b.get(changed[0]);
    const norm = (s: string): string => (trimEnd ? s.replace(/\s+$/, '') : s);
    if (typeof v !== 'string' || norm(v) !== norm(newText)) return [`${changed[0]} is ${JSON.stringify(v)}, not the new text`];
  }
  return [];
}

function languageOf(file: string): 'python' | 'typescript' | 'javascript' | 'json' | 'yaml' | 'other' {
  if (/\.pyi?$/.test(file)) return 'python';
  if (/\.(ts|tsx|mts|cts)$/.test(file)) return 'typescript';
  if (/\.(js|jsx|mjs|cjs)$/.test(file)) return 'javascript';
  if (/\.json$/.test(file)) return 'json';
  if (/\.ya?ml$/.test(file)) return 'yaml';
  return 'other';
}

describe('rewrite safety: every prompt literal of the scan corpus', function () {
  this.timeout(900_000);
  it('compress (default, aggressive) and optimize (efficiency, balanced): zero broken interpolations, zero changes outside literals', async () => {
    const files = listFiles(ROOT);
    const tally = { files: files.length, prompts: 0, interpolated: 0, runs: 0, applied: 0, unchanged: 0, refused: 0, broken: 0 };
    const refusals = new Map<string, number>();
    const failures: string[] = [];
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8');
      const rel = path.relative(ROOT, file);
      const prompts: PromptLocation[] = findPrompts(source, undefined, { fileName: rel });
      const lang = languageOf(file);
      for (const prompt of prompts) {
        tally.prompts++;
        if (prompt.placeholders.length > 0) tally.interpolated++;
        for (const op of OPS) {
          tally.runs++;
          const outcome = await rewriteThroughEditorPath(source, { fileName: rel }, prompt, op, undefined);
          if (outcome.status === 'unchanged') {
            tally.unchanged++;
            continue;
          }
          if (outcome.status === 'refused') {
            tally.refused++;
            const key = `${outcome.stage}: ${outcome.reason.replace(/"[^"]*"/g, '"…"').slice(0, 110)}`;
            refusals.set(key, (refusals.get(key) ?? 0) + 1);
            continue;
          }
          tally.applied++;
          const { edited, edit, newText } = outcome;
          let problems: string[];
          if (lang === 'python' || lang === 'typescript' || lang === 'javascript') problems = oracleProblems(source, edited, lang, prompt, newText);
          else if (lang === 'json') problems = documentProblems(source, edited, newText, (s) => JSON.parse(s) as unknown, false);
          else if (lang === 'yaml') problems = documentProblems(source, edited, newText, (s) => parseYaml(s) as unknown, true);
          else problems = [];
          // In every language: the text outside the edit is the same, and the edit lies inside the prompt.
          if (edited.slice(0, edit.start) !== source.slice(0, edit.start) || edited.slice(edit.start + edit.text.length) !== source.slice(edit.end)) problems.push('text outside the edit changed');
          if (edit.start < prompt.range.start.offset || edit.end > prompt.range.end.offset) problems.push('the edit reaches outside the prompt');
          if (problems.length > 0) {
            tally.broken++;
            failures.push(`${rel} @${prompt.range.start.line + 1} (${describeOperation(op)}): ${problems.join('; ')}`);
          }
        }
      }
    }
    process.stdout.write(
      `      corpus: ${tally.files} files, ${tally.prompts} prompts (${tally.interpolated} with placeholders or interpolations), ${tally.runs} rewrites: ${tally.applied} applied, ${tally.unchanged} unchanged, ${tally.refused} refused, ${tally.broken} broken\n`,
    );
    for (const [reason, n] of [...refusals].sort((x, y) => y[1] - x[1]).slice(0, 8)) process.stdout.write(`        refused ${n}× — ${reason}\n`);
    assert.deepEqual(failures.slice(0, 5), []);
    assert.equal(tally.broken, 0);
    assert.ok(tally.prompts >= 20, `only ${tally.prompts} prompts in the corpus`);
  });

  // Session 42 (breaker42): the quick fixes, which are rewrites too (issue 12 item 3: "every quick fix is checked like a
  // rewrite"). Each fix the editor offers (src/extension/prompt/codeActions.ts: the suggestion's fix, or its range and
  // replacement, applied to the decoded text, then the guard) is checked by the same oracles as the rewrites above.
  it('every quick fix the editor offers: zero broken interpolations, zero changes outside literals; a refused one says why', () => {
    const analyzer = new PromptAnalyzer();
    const tally = { prompts: 0, fixes: 0, applied: 0, refused: 0, broken: 0 };
    const failures: string[] = [];
    for (const file of listFiles(ROOT)) {
      const source = fs.readFileSync(file, 'utf8');
      const rel = path.relative(ROOT, file);
      const lang = languageOf(file);
      for (const prompt of findPrompts(source, undefined, { fileName: rel })) {
        tally.prompts++;
        for (const s of analyzer.suggestions(prompt.text, { model: 'gpt-4o', kinds: EDITOR_KINDS })) {
          if (!s.range || s.replacement === undefined) continue;
          tally.fixes++;
          const fix = s.fix ?? { start: s.range.start, end: s.range.end, replacement: s.replacement };
          const newText = prompt.text.slice(0, fix.start) + fix.replacement + prompt.text.slice(fix.end);
          const verdict = planLiteralEdit(source, prompt, newText, { fileName: rel });
          if (!verdict.ok) {
            tally.refused++;
            if (!/^The rewrite was not applied: .{10,}/.test(verdict.reason)) failures.push(`${rel} @${prompt.range.start.line + 1} (${s.kind}): refused without a reason: ${verdict.reason}`);
            continue;
          }
          tally.applied++;
          const { edited, edit } = verdict;
          let problems: string[];
          if (lang === 'python' || lang === 'typescript' || lang === 'javascript') problems = oracleProblems(source, edited, lang, prompt, newText);
          else if (lang === 'json') problems = documentProblems(source, edited, newText, (x) => JSON.parse(x) as unknown, false);
          else if (lang === 'yaml') problems = documentProblems(source, edited, newText, (x) => parseYaml(x) as unknown, true);
          else problems = [];
          if (edited.slice(0, edit.start) !== source.slice(0, edit.start) || edited.slice(edit.start + edit.text.length) !== source.slice(edit.end)) problems.push('text outside the edit changed');
          if (edit.start < prompt.range.start.offset || edit.end > prompt.range.end.offset) problems.push('the edit reaches outside the prompt');
          if (problems.length > 0) {
            tally.broken++;
            failures.push(`${rel} @${prompt.range.start.line + 1} (${s.kind} fix): ${problems.join('; ')}`);
          }
        }
      }
    }
    process.stdout.write(`      quick fixes: ${tally.prompts} prompts, ${tally.fixes} fixes: ${tally.applied} applied, ${tally.refused} refused, ${tally.broken} broken\n`);
    assert.deepEqual(failures.slice(0, 5), []);
    assert.equal(tally.broken, 0);
    assert.ok(tally.fixes >= 100, `only ${tally.fixes} quick fixes in the corpus`);
  });
});
