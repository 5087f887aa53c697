/**
 * Scan benchmark: precision and recall of `findPrompts` against the hand annotations in
 * test/fixtures/scan/annotations.json, and the time to scan a generated 3,000-line
 * Python file and a 3,000-line TypeScript file with 100 prompts each (median of warm
 * runs, plus the first, cold run that loads the parser).
 *
 *   npm run bench:prompt-scan
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts } from '../src/engine/prompt/scanner';

interface Annotation {
  startLine: number;
  endLine: number;
  kind: string;
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
}

export function scoreCorpus(): Scores {
  const annotations = JSON.parse(readFileSync(join(FIXTURES, 'annotations.json'), 'utf8')) as Record<string, Annotation[] | string>;
  const scores: Scores = { predicted: 0, annotated: 0, matched: 0, kindCorrect: 0, misses: [], extras: [] };
  for (const [file, expectedRaw] of Object.entries(annotations)) {
    if (file.startsWith('$') || typeof expectedRaw === 'string') continue;
    const expected = [...expectedRaw];
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const found = findPrompts(text, undefined, { fileName: file });
    scores.predicted += found.length;
    scores.annotated += expected.length;
    const used = new Set<number>();
    for (const p of found) {
      const start = p.range.start.line + 1;
      const end = p.range.end.line + 1;
      // Same lines and, among several on a line, the same kind first.
      let best = -1;
      for (const [i, a] of expected.entries()) {
        if (used.has(i) || a.startLine > end || a.endLine < start) continue;
        if (best < 0 || (a.kind === p.kind && expected[best].kind !== p.kind)) best = i;
      }
      if (best < 0) {
        scores.extras.push(`${file}:${start}-${end} ${p.kind} "${p.text.slice(0, 40)}"`);
        continue;
      }
      used.add(best);
      scores.matched++;
      if (expected[best].kind === p.kind) scores.kindCorrect++;
    }
    for (const [i, a] of expected.entries()) if (!used.has(i)) scores.misses.push(`${file}:${a.startLine}-${a.endLine} ${a.kind}`);
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
    `Scan corpus (test/fixtures/scan, ${s.annotated} annotated prompts):`,
    `  precision ${precision.toFixed(3)} (${s.matched}/${s.predicted})  recall ${recall.toFixed(3)} (${s.matched}/${s.annotated})  kind accuracy ${(s.matched ? s.kindCorrect / s.matched : 1).toFixed(3)}`,
    ...s.misses.map((m) => `  missed: ${m}`),
    ...s.extras.map((e) => `  extra:  ${e}`),
  ];
  for (const [name, text, lang] of [
    ['Python', generatePython(), 'python'],
    ['TypeScript', generateTypeScript(), 'typescript'],
  ] as const) {
    const t = timeScan(text, lang);
    lines.push(`${name}: ${text.split('\n').length} lines, ${t.prompts} prompts found (100 planted): cold ${t.coldMs.toFixed(1)} ms, median warm ${t.medianMs.toFixed(1)} ms`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (precision < 0.95 || recall < 0.9) process.exitCode = 1;
}

if (require.main === module) main();
