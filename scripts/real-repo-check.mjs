// Tries the prompt features on a real repository checked out on this machine, as a new user's
// workspace would: every Python/TypeScript/JavaScript file is scanned (time per file, the
// slowest listed), and every prompt found goes through the editor's rewrite path for each
// operation (compress medium/aggressive, distill, optimize ×3: the engine's handler, then the
// guard the extension runs before it applies an edit), each applied edit checked by the
// independent oracle of test/unit/prompt/rewritePath.ts (interpolations, code outside the
// literal, parse errors). Prints the counts, the refusals by reason, and every problem.
//
//   npx tsc -p tsconfig.test.json && node scripts/real-repo-check.mjs <folder> [folder ...]
//
// Exits 1 when an applied edit breaks something or a scan throws. No timing thresholds.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const out = resolve(import.meta.dirname, '..', 'out');
const { findPrompts } = require(join(out, 'src/shared/prompt/scanner'));
const { rewriteThroughEditorPath, oracleProblems, OPERATIONS, describeOperation } = require(join(out, 'test/unit/prompt/rewritePath'));
// The folders `prompt scan` and the extension leave out (node_modules, .git, .venv, dist…), no more: bolt.new keeps its prompts
// in app/lib/.server/llm/, which a skip of every dot folder left out of this check (newuser39).
const { SKIPPED_DIRS } = require(join(out, 'src/shared/prompt/scanner/scanFiles'));

const roots = process.argv.slice(2);
if (roots.length === 0) {
  process.stderr.write('Usage: node scripts/real-repo-check.mjs <folder> [folder ...] (after npx tsc -p tsconfig.test.json)\n');
  process.exit(2);
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.(py|ts|tsx|js|jsx|mjs)$/.test(entry.name) && !/\.d\.ts$|\.min\.js$/.test(entry.name)) yield path;
  }
}

const languageOf = (file) => (file.endsWith('.py') ? 'python' : /\.tsx?$/.test(file) ? 'typescript' : 'javascript');
const stats = { files: 0, prompts: 0, applied: 0, unchanged: 0, refusedByEngine: 0, refusedByGuard: 0, broken: 0, errors: 0 };
const reasons = new Map();
const times = [];
for (const root of roots) {
  for (const file of walk(root)) {
    const source = readFileSync(file, 'utf8');
    if (source.length > 1_000_000) continue;
    const name = relative(process.cwd(), file);
    let prompts;
    const started = performance.now();
    try {
      prompts = findPrompts(source, undefined, { fileName: file });
    } catch (error) {
      stats.errors++;
      process.stdout.write(`SCAN ERROR ${name}: ${error}\n`);
      continue;
    }
    times.push([performance.now() - started, name, source.split('\n').length, prompts.length]);
    stats.files++;
    stats.prompts += prompts.length;
    for (const prompt of prompts) {
      if (prompt.unterminated) continue;
      for (const op of OPERATIONS) {
        let outcome;
        try {
          outcome = await rewriteThroughEditorPath(source, { fileName: file }, prompt, op);
        } catch (error) {
          stats.errors++;
          process.stdout.write(`ERROR ${name}:${prompt.range.start.line + 1} ${describeOperation(op)}: ${error}\n`);
          continue;
        }
        if (outcome.status === 'unchanged') stats.unchanged++;
        else if (outcome.status === 'refused') {
          stats[outcome.stage === 'engine' ? 'refusedByEngine' : 'refusedByGuard']++;
          const key = `${outcome.stage}: ${outcome.reason.replace(/\s+/g, ' ').slice(0, 100)}`;
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        } else {
          stats.applied++;
          const problems = oracleProblems(source, outcome.edited, languageOf(file), prompt, outcome.newText);
          if (problems.length > 0) {
            stats.broken++;
            process.stdout.write(`BROKEN ${name}:${prompt.range.start.line + 1} ${describeOperation(op)}: ${problems.join('; ')}\n`);
          }
        }
      }
    }
  }
}
times.sort((a, b) => b[0] - a[0]);
const median = times.length === 0 ? 0 : times.map((t) => t[0]).sort((a, b) => a - b)[times.length >> 1];
process.stdout.write(`${stats.files} files, ${stats.prompts} prompts; scan per file: median ${median.toFixed(1)} ms, slowest:\n`);
for (const [ms, name, lines, n] of times.slice(0, 5)) process.stdout.write(`  ${ms.toFixed(0).padStart(6)} ms  ${name} (${lines} lines, ${n} prompts)\n`);
process.stdout.write(`rewrites through the editor path (${OPERATIONS.length} operations per prompt): ${stats.applied} applied, ${stats.broken} of them broken per the oracle; ${stats.unchanged} unchanged; refused by the engine ${stats.refusedByEngine}, by the guard ${stats.refusedByGuard}; errors ${stats.errors}\n`);
for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10)) process.stdout.write(`  ${String(n).padStart(4)} × ${reason}\n`);
if (stats.broken > 0 || stats.errors > 0) process.exitCode = 1;
