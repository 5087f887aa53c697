/**
 * Scan benchmark: precision and recall of `findPrompts` against the hand annotations in
 * test/fixtures/scan/annotations.json, overall and per category (ANNOTATION.md: how each
 * prompt is written; a composed prompt counts only when one reported prompt covers all its
 * pieces), and the time to scan a generated 3,000-line
 * Python file and a 3,000-line TypeScript file with 100 prompts each (median of warm
 * runs, plus the first, cold run that loads the parser).
 *
 *   npm run bench:prompt-scan
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PromptLocation } from '../src/protocol/scan';
import { findPrompts } from '../src/shared/prompt/scanner';

interface Annotation {
  startLine: number;
  endLine: number;
  kind: string;
  /** How the prompt is written (test/fixtures/scan/ANNOTATION.md); older annotations may lack it. */
  category?: string;
  /** Composed prompts: the lines of each literal piece; one reported prompt must cover them all. */
  pieces?: Array<[number, number]>;
}

/** Categories of ANNOTATION.md, in report order. */
export const CATEGORIES = ['message', 'named', 'composed', 'fewShot', 'tool', 'catalog', 'configTemplate', 'promptFile'] as const;

/** Precision/recall counts of one category. */
export interface CategoryScore {
  annotated: number;
  matched: number;
  /** Reported prompts attributed to this category that matched no annotation. */
  extra: number;
}

const FIXTURES = resolve(__dirname, '..', '..', 'test', 'fixtures', 'scan');

/** A Python file of `blocks` 30-line blocks, each with one prompt among logs, SQL, errors and docstrings. */
export function generatePython(blocks = 100): string {
  const out: string[] = ['import logging', 'from openai import OpenAI', '', 'client = OpenAI()', 'log = logging.getLogger(__name__)', ''];
  for (let i = 0; i < blocks; i++) {
    out.push(
      `def task_${i}(text, cur):`,
      `    """Run task ${i} on the given text and return the model's answer."""`,
      `    log.info("starting task ${i} for a text of %d characters", len(text))`,
      `    cur.execute("SELECT id, body FROM documents WHERE task = %s", (${i},))`,
      `    rows = cur.fetchall()`,
      `    if not rows:`,
      `        raise ValueError("No documents found for task ${i}; check the table")`,
      `    response = client.chat.completions.create(`,
      `        model="gpt-4o-mini",`,
      `        messages=[`,
      `            {"role": "system", "content": f"You are assistant number ${i}. Answer the question about {text[:20]} briefly and cite the document ids."},`,
      `            {"role": "user", "content": text},`,
      `        ],`,
      `        temperature=0,`,
      `    )`,
      `    answer = response.choices[0].message.content`,
      `    log.debug("task ${i} answered with %d characters", len(answer))`,
      `    headers = {"Content-Type": "application/json", "X-Task": "task-${i}"}`,
      `    path = "/var/data/tasks/${i}/output.json"`,
      `    if answer.startswith("ERROR"):`,
      `        print("The model returned an error for task ${i}")`,
      `    result = {`,
      `        "id": ${i},`,
      `        "answer": answer,`,
      `        "headers": headers,`,
      `        "path": path,`,
      `    }`,
      `    assert result["id"] == ${i}, "the result id must match the task"`,
      `    return result`,
      ``,
    );
  }
  return out.join('\n');
}

/** The same in TypeScript: Vercel AI SDK calls among logs, errors, SQL and UI strings. */
export function generateTypeScript(blocks = 100): string {
  const out: string[] = ["import { generateText } from 'ai';", "import { openai } from '@ai-sdk/openai';", ''];
  for (let i = 0; i < blocks; i++) {
    out.push(
      `/** Runs task ${i}: asks the model about the given text. */`,
      `export async function task${i}(text: string, db: Db): Promise<Result> {`,
      `  console.log(\`starting task ${i} for \${text.length} characters\`);`,
      `  const rows = await db.query('SELECT id, body FROM documents WHERE task = $1', [${i}]);`,
      `  if (rows.length === 0) {`,
      `    throw new Error('No documents found for task ${i}; check the table');`,
      `  }`,
      `  const { text: answer } = await generateText({`,
      `    model: openai('gpt-4o-mini'),`,
      `    system: \`You are assistant number ${i}. Answer questions about \${text.slice(0, 20)} briefly and cite the document ids.\`,`,
      `    prompt: text,`,
      `    temperature: 0,`,
      `  });`,
      `  logger.debug('task ${i} answered', { length: answer.length });`,
      `  const headers = { 'Content-Type': 'application/json', 'X-Task': 'task-${i}' };`,
      `  const path = '/var/data/tasks/${i}/output.json';`,
      `  if (answer.startsWith('ERROR')) {`,
      `    console.error('The model returned an error for task ${i}');`,
      `  }`,
      `  const label = 'Show results';`,
      `  const result = {`,
      `    id: ${i},`,
      `    answer,`,
      `    headers,`,
      `    path,`,
      `    label,`,
      `  };`,
      `  return result;`,
      `}`,
      ``,
    );
  }
  return out.join('\n');
}

interface Scores {
  predicted: number;
  annotated: number;
  matched: number;
  kindCorrect: number;
  misses: string[];
  extras: string[];
  files: number;
  byCategory: Record<string, CategoryScore>;
}

/**
 * The category a reported prompt that matched nothing is charged to: the category of the
 * annotation it overlaps (a piece of a composed prompt reported on its own, a duplicate), or
 * else the category its own shape implies.
 */
function impliedCategory(p: PromptLocation, file: string): string {
  if ((p.pieces?.length ?? 0) > 1) return 'composed';
  if (p.kind === 'tool') return 'tool';
  if (p.kind === 'fewShot') return 'fewShot';
  if (p.quoting.language === 'promptFile' || p.quoting.language === 'markdown') return 'promptFile';
  if (p.quoting.language === 'yaml' || p.quoting.language === 'json') return /\{\{|\{%|\{[A-Za-z_]\w*\}/.test(p.text) ? 'configTemplate' : 'catalog';
  if (p.api && !p.boundName) return 'message';
  return /\.(py|[cm]?[jt]sx?)$/.test(file) ? 'named' : 'message';
}

/** Lines (1-based, inclusive) a prompt spans, all its pieces included. */
function linesOf(p: PromptLocation): { start: number; end: number; pieces: Array<[number, number]> } {
  const ranges = p.pieces && p.pieces.length > 0 ? p.pieces.map((x) => x.range) : p.segments.length > 0 ? p.segments.map((x) => x.range) : [p.range];
  const pieces = ranges.map((r) => [r.start.line + 1, r.end.line + 1] as [number, number]);
  return { start: Math.min(p.range.start.line + 1, ...pieces.map((x) => x[0])), end: Math.max(p.range.end.line + 1, ...pieces.map((x) => x[1])), pieces };
}

/** True when every annotated piece overlaps a piece of the reported prompt. */
function coversPieces(a: Annotation, pieces: Array<[number, number]>): boolean {
  if (!a.pieces) return true;
  return a.pieces.every(([s, e]) => pieces.some(([ps, pe]) => ps <= e && pe >= s));
}

/**
 * Held-out rounds (`$heldOut…` lists in annotations.json): files annotated before the scanner
 * was run on them or changed for them. Each round's recall is printed apart: the held-out figure.
 */
export function heldOutRounds(): Array<[string, string[]]> {
  const annotations = JSON.parse(readFileSync(join(FIXTURES, 'annotations.json'), 'utf8')) as Record<string, unknown>;
  return Object.entries(annotations).filter((e): e is [string, string[]] => e[0].startsWith('$heldOut') && Array.isArray(e[1])).map(([k, v]) => [k.slice(1), v]);
}

export function scoreCorpus(only?: ReadonlySet<string>): Scores {
  const annotations = JSON.parse(readFileSync(join(FIXTURES, 'annotations.json'), 'utf8')) as Record<string, Annotation[] | string>;
  const scores: Scores = { predicted: 0, annotated: 0, matched: 0, kindCorrect: 0, misses: [], extras: [], files: 0, byCategory: {} };
  const cat = (name: string): CategoryScore => (scores.byCategory[name] ??= { annotated: 0, matched: 0, extra: 0 });
  for (const c of CATEGORIES) cat(c);
  for (const [file, expectedRaw] of Object.entries(annotations)) {
    if (file.startsWith('$') || typeof expectedRaw === 'string' || (only && !only.has(file))) continue;
    scores.files++;
    const expected = [...expectedRaw];
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const found = findPrompts(text, undefined, { fileName: file });
    scores.predicted += found.length;
    scores.annotated += expected.length;
    for (const a of expected) cat(a.category ?? 'uncategorized').annotated++;
    const used = new Set<number>();
    for (const p of found) {
      const { start, end, pieces } = linesOf(p);
      // Same lines (every piece of a composed prompt) and, among several on a line, the same kind first.
      let best = -1;
      let overlapped = -1;
      for (const [i, a] of expected.entries()) {
        if (a.startLine > end || a.endLine < start) continue;
        if (overlapped < 0) overlapped = i;
        if (used.has(i) || !coversPieces(a, pieces)) continue;
        if (best < 0 || (a.kind === p.kind && expected[best].kind !== p.kind)) best = i;
      }
      if (best < 0) {
        const charged = overlapped >= 0 ? (expected[overlapped].category ?? 'uncategorized') : impliedCategory(p, file);
        cat(charged).extra++;
        scores.extras.push(`${file}:${start}-${end} ${p.kind} [${charged}] "${p.text.slice(0, 40).replace(/\s+/g, ' ')}"`);
        continue;
      }
      used.add(best);
      scores.matched++;
      cat(expected[best].category ?? 'uncategorized').matched++;
      if (expected[best].kind === p.kind) scores.kindCorrect++;
    }
    for (const [i, a] of expected.entries()) if (!used.has(i)) scores.misses.push(`${file}:${a.startLine}-${a.endLine} ${a.kind} [${a.category ?? 'uncategorized'}]`);
  }
  return scores;
}

export function timeScan(text: string, languageId: string, runs = 15): { coldMs: number; medianMs: number; prompts: number } {
  let started = performance.now();
  const prompts = findPrompts(text, languageId).length;
  const coldMs = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    started = performance.now();
    findPrompts(text, languageId);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { coldMs, medianMs: times[Math.floor(times.length / 2)], prompts };
}

function main(): void {
  const s = scoreCorpus();
  const precision = s.predicted === 0 ? 1 : s.matched / s.predicted;
  const recall = s.annotated === 0 ? 1 : s.matched / s.annotated;
  const lines = [
    `Scan corpus (test/fixtures/scan, ${s.files} files, ${s.annotated} annotated prompts):`,
    `  precision ${precision.toFixed(3)} (${s.matched}/${s.predicted})  recall ${recall.toFixed(3)} (${s.matched}/${s.annotated})  kind accuracy ${(s.matched ? s.kindCorrect / s.matched : 1).toFixed(3)}`,
    ...Object.entries(s.byCategory).map(([name, c]) => {
      const p = c.matched + c.extra === 0 ? 1 : c.matched / (c.matched + c.extra);
      const r = c.annotated === 0 ? 1 : c.matched / c.annotated;
      return `  ${name.padEnd(15)} precision ${p.toFixed(3)} (${c.matched}/${c.matched + c.extra})  recall ${r.toFixed(3)} (${c.matched}/${c.annotated})`;
    }),
    ...s.misses.map((m) => `  missed: ${m}`),
    ...s.extras.map((e) => `  extra:  ${e}`),
  ];
  for (const [round, files] of heldOutRounds()) {
    const h = scoreCorpus(new Set(files));
    lines.push(`${round} (${h.files} files, annotated before the scanner was run on them): precision ${(h.predicted ? h.matched / h.predicted : 1).toFixed(3)} (${h.matched}/${h.predicted})  recall ${(h.annotated ? h.matched / h.annotated : 1).toFixed(3)} (${h.matched}/${h.annotated})`);
    for (const [name, c] of Object.entries(h.byCategory)) if (c.annotated + c.extra > 0) lines.push(`  ${round} ${name.padEnd(15)} ${c.matched}/${c.annotated} found, ${c.extra} extra`);
  }
  for (const [name, text, lang] of [
    ['Python', generatePython(), 'python'],
    ['TypeScript', generateTypeScript(), 'typescript'],
  ] as const) {
    const t = timeScan(text, lang);
    lines.push(`${name}: ${text.split('\n').length} lines, ${t.prompts} prompts found (100 planted): cold ${t.coldMs.toFixed(1)} ms, median warm ${t.medianMs.toFixed(1)} ms`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (precision < 0.95 || recall < 0.9) process.exitCode = 1;
  for (const c of Object.values(s.byCategory)) {
    if (c.matched + c.extra > 0 && c.matched / (c.matched + c.extra) < 0.95) process.exitCode = 1;
    if (c.annotated > 0 && c.matched / c.annotated < 0.9) process.exitCode = 1;
  }
}

if (require.main === module) main();
