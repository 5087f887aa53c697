/**
 * Diagnostics benchmark: the precision of each suggestion kind on real prompts, judged by
 * hand in test/fixtures/prompts/diagnostics-annotations.json (guide: DIAGNOSTICS.md). The
 * prompts are the corpus of test/fixtures/prompts (loadCorpus) and every prompt literal the
 * scanner finds in test/fixtures/scan/**, analyzed as the editor does (PromptAnalyzer on the
 * decoded literal). A kind is shown in the editor only when its precision is ≥ 0.9
 * (EDITOR_KINDS in src/shared/hints/hints.ts).
 *
 *   npm run bench:diagnostics               precision per kind
 *   npm run bench:diagnostics -- --todo     also print the findings nobody has judged yet, as JSON to paste
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { SuggestionKind } from '../src/protocol/prompt';
import { EDITOR_KINDS } from '../src/shared/hints/hints';
import { PromptAnalyzer } from '../src/shared/prompt/analyzer';
import { findPrompts } from '../src/shared/prompt/scanner';
import { loadCorpus } from '../test/fixtures/prompts/corpus';

const ROOT = resolve(__dirname, '..', '..');
const SCAN = join(ROOT, 'test', 'fixtures', 'scan');
export const ANNOTATIONS = join(ROOT, 'test', 'fixtures', 'prompts', 'diagnostics-annotations.json');

/** One finding as a person judges it: where, which kind, and the text it marks. */
export interface Finding {
  /** `acp:<act>` / `gai:<id>` for corpus prompts, `scan:<path>:<line>` for literals. */
  source: string;
  kind: SuggestionKind;
  /** The marked text (trimmed, at most 80 characters); "" for a finding about the whole prompt. */
  text: string;
  /** 1 for the first finding with the same source, kind and text, 2 for the second… */
  n: number;
  message: string;
}

export interface Annotation {
  source: string;
  kind: SuggestionKind;
  text: string;
  n: number;
  correct: boolean;
  note?: string;
}

export interface KindPrecision {
  kind: SuggestionKind;
  fired: number;
  judged: number;
  correct: number;
  precision: number;
  shownInEditor: boolean;
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name !== 'SOURCES.md' && entry.name !== 'annotations.json') yield path;
  }
}

/** Every prompt of the two corpora, with a stable name. */
export function corpusPrompts(): Array<{ source: string; text: string }> {
  const out = loadCorpus().map((p) => ({ source: p.id, text: p.text }));
  for (const file of [...files(SCAN)].sort()) {
    const text = readFileSync(file, 'utf8');
    const name = relative(SCAN, file).split('\\').join('/');
    for (const location of findPrompts(text, undefined, { fileName: file })) out.push({ source: `scan:${name}:${location.range.start.line + 1}`, text: location.text });
  }
  return out;
}

const excerpt = (text: string) => text.trim().replace(/\s+/g, ' ').slice(0, 80);

/** The findings the analyzer reports on every corpus prompt. */
export function collectFindings(analyzer = new PromptAnalyzer()): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  for (const prompt of corpusPrompts()) {
    for (const s of analyzer.analyze(prompt.text).optimizationSuggestions) {
      if (s.kind === 'length') continue;
      const text = s.range ? excerpt(prompt.text.slice(s.range.start, s.range.end)) : '';
      const key = `${prompt.source}\u0000${s.kind}\u0000${text}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      findings.push({ source: prompt.source, kind: s.kind, text, n, message: s.message });
    }
  }
  return findings;
}

export function loadAnnotations(): Annotation[] {
  const raw = JSON.parse(readFileSync(ANNOTATIONS, 'utf8')) as { annotations: Annotation[] };
  return raw.annotations;
}

const keyOf = (a: { source: string; kind: string; text: string; n: number }) => `${a.source}\u0000${a.kind}\u0000${a.text}\u0000${a.n}`;

/** Precision per kind over the findings that have a judgement; findings without one are counted apart. */
export function measure(findings: readonly Finding[], annotations: readonly Annotation[]): { kinds: KindPrecision[]; unjudged: Finding[] } {
  const verdicts = new Map(annotations.map((a) => [keyOf(a), a.correct]));
  const byKind = new Map<SuggestionKind, KindPrecision>();
  const unjudged: Finding[] = [];
  for (const f of findings) {
    const row = byKind.get(f.kind) ?? { kind: f.kind, fired: 0, judged: 0, correct: 0, precision: 0, shownInEditor: EDITOR_KINDS.has(f.kind) };
    byKind.set(f.kind, row);
    row.fired++;
    const verdict = verdicts.get(keyOf(f));
    if (verdict === undefined) {
      unjudged.push(f);
      continue;
    }
    row.judged++;
    if (verdict) row.correct++;
  }
  for (const row of byKind.values()) row.precision = row.judged === 0 ? 0 : row.correct / row.judged;
  return { kinds: [...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind)), unjudged };
}

function main(): void {
  const findings = collectFindings();
  const { kinds, unjudged } = measure(findings, loadAnnotations());
  const prompts = new Set(findings.map((f) => f.source)).size;
  process.stdout.write(`Diagnostics precision on ${corpusPrompts().length} real prompts (${prompts} with findings), judged in ${relative(ROOT, ANNOTATIONS)}\n`);
  process.stdout.write(`${'kind'.padEnd(22)}${'fired'.padStart(7)}${'judged'.padStart(8)}${'correct'.padStart(9)}${'precision'.padStart(11)}  editor\n`);
  for (const k of kinds) {
    process.stdout.write(`${k.kind.padEnd(22)}${String(k.fired).padStart(7)}${String(k.judged).padStart(8)}${String(k.correct).padStart(9)}${(k.judged === 0 ? '-' : k.precision.toFixed(3)).padStart(11)}  ${k.shownInEditor ? 'shown' : 'hidden (panel only)'}\n`);
  }
  process.stdout.write(`${unjudged.length} finding(s) not judged yet${unjudged.length > 0 ? ' (run with --todo to list them)' : ''}.\n`);
  if (process.argv.includes('--todo')) {
    process.stdout.write(`${JSON.stringify(unjudged.map(({ source, kind, text, n, message }) => ({ source, kind, text, n, correct: null, message })), null, 1)}\n`);
  }
}

if (require.main === module) main();
