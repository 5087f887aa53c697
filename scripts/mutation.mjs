#!/usr/bin/env node
// `npm run bench:mutation -- <group>...` (cost, model, prompt or all): runs Stryker once per
// group (stryker.config.mjs, groups in stryker/groups.json), then prints the score of every
// module and each surviving mutant from Stryker's JSON report (reports/mutation/<group>.json).
// `--report-only` prints the last reports without running Stryker again.
// One module at a time: `-- prompt --mutate <file>[:lines] --tests <file,file> [--concurrency n]`
// mutates only that file (Stryker's `file:10-20` line ranges work) and runs only the listed test
// files (TypeScript paths, comma-separated; default: the group's). Its report goes to
// reports/mutation/<group>-<file name>[-<lines>].json, so the group's own report is left alone.
// Exits 1 when Stryker fails or a module is below its target score.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readGroups } from '../stryker/groups.mjs';

const groups = readGroups();
const args = process.argv.slice(2);
const reportOnly = args.includes('--report-only');
const VALUED = ['--mutate', '--tests', '--concurrency'];
const option = (flag) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
const mutateOnly = option('--mutate');
const testsOnly = option('--tests')?.split(',').filter(Boolean);
const concurrency = option('--concurrency');
let names = args.filter((a, i) => !a.startsWith('--') && !VALUED.includes(args[i - 1]));
if ((mutateOnly || testsOnly) && names.length !== 1) {
  process.stderr.write('--mutate and --tests need exactly one group name.\n');
  process.exit(2);
}
if (names.length === 0 || names.includes('all')) names = Object.keys(groups);
const unknown = names.filter((n) => !groups[n]);
if (unknown.length > 0) {
  process.stderr.write(`Unknown mutation group(s): ${unknown.join(', ')}. Use ${Object.keys(groups).join(', ')} or all.\n`);
  process.exit(2);
}

// The package's exports do not include its bin script, so it is found by path.
const strykerBin = join('node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
let failed = false;
const summary = [];

for (const name of names) {
  const group = groups[name];
  let seconds = null;
  if (!reportOnly) {
    const started = Date.now();
    process.stdout.write(`\n== mutation group "${name}": ${mutateOnly ?? group.mutate.join(', ')}${testsOnly ? ` (tests: ${testsOnly.join(', ')})` : ''}\n`);
    const run = spawnSync(process.execPath, [strykerBin, 'run', configFor(name)], { stdio: 'inherit', env: { ...process.env, PEPPERPY_MUTATION_GROUP: name, ...(testsOnly ? { PEPPERPY_MUTATION_TESTS: testsOnly.join(',') } : {}) } });
    seconds = Math.round((Date.now() - started) / 1000);
    if (run.status !== 0) {
      process.stdout.write(`Stryker failed for "${name}" (exit ${run.status}).\n`);
      failed = true;
      continue;
    }
  }
  const file = reportFile(name);
  if (!existsSync(file)) {
    process.stdout.write(`No report ${file}: run without --report-only first.\n`);
    failed = true;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const rows = [];
  const survivors = [];
  for (const [path, result] of Object.entries(report.files)) {
    const file = relative(process.cwd(), path) || path;
    const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
    for (const m of result.mutants) {
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const original = result.source.split('\n')[m.location.start.line - 1] ?? '';
        survivors.push({ file, line: m.location.start.line, column: m.location.start.column, mutator: m.mutatorName, status: m.status, replacement: m.replacement ?? '', original: original.trim() });
      }
    }
    // Stryker's mutation score: (killed + timeout) / (killed + timeout + survived + no coverage).
    const detected = counts.Killed + counts.Timeout;
    const valid = detected + counts.Survived + counts.NoCoverage;
    const score = valid > 0 ? (detected / valid) * 100 : 100;
    const target = group.targets?.[file] ?? group.target ?? 80;
    if (score < target) failed = true;
    rows.push({ file, score, target, ...counts });
  }
  summary.push({ name, rows, seconds });
  process.stdout.write(`\n== ${name}: score per module${seconds !== null ? ` (run took ${seconds} s)` : ''}\n`);
  process.stdout.write(table(['module', 'score', 'target', 'killed', 'timeout', 'survived', 'no cov.', 'ignored', 'errors'], rows.map((r) => [r.file, `${r.score.toFixed(1)} %`, `${r.target} %`, r.Killed, r.Timeout, r.Survived, r.NoCoverage, r.Ignored, r.CompileError + r.RuntimeError])));
  if (survivors.length > 0) {
    process.stdout.write(`\n${survivors.length} surviving mutant(s):\n`);
    survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    process.stdout.write(table(['where', 'mutator', 'status', 'replacement'], survivors.map((s) => [`${s.file}:${s.line}:${s.column}`, s.mutator, s.status, clip(s.replacement, 70)])));
  }
}

if (summary.length > 1) {
  process.stdout.write('\n== all groups\n');
  process.stdout.write(table(['group', 'module', 'score', 'target'], summary.flatMap((g) => g.rows.map((r) => [g.name, r.file, `${r.score.toFixed(1)} %`, `${r.target} %`]))));
}
process.exit(failed ? 1 : 0);

function reportFile(name) {
  if (!mutateOnly) return `reports/mutation/${name}.json`;
  // A line range gets its own report (prompt-compressor-434-624.json), so it does not overwrite the whole module's.
  const range = /:([\d-]+)$/.exec(mutateOnly)?.[1];
  return `reports/mutation/${name}-${basename(mutateOnly.replace(/:[\d-]+$/, '')).replace(/\.ts$/, '')}${range ? `-${range}` : ''}.json`;
}

/** stryker.config.mjs as is, or a config that imports it and narrows mutate, tests and concurrency. */
function configFor(name) {
  if (!mutateOnly && !testsOnly && !concurrency) return 'stryker.config.mjs';
  const missing = (testsOnly ?? []).filter((t) => !existsSync(t));
  if (missing.length > 0) {
    process.stderr.write(`No such test file(s): ${missing.join(', ')}\n`);
    process.exit(2);
  }
  mkdirSync('reports/mutation', { recursive: true });
  // One config per narrowed run (named like its report), so two modules can be measured side by side.
  const path = reportFile(name).replace(/\.json$/, '.narrow.config.mjs');
  const base = pathToFileURL(resolve('stryker.config.mjs')).href;
  const lines = [
    '// Written by scripts/mutation.mjs for --mutate/--tests/--concurrency; not committed.',
    `const { default: base } = await import(${JSON.stringify(base)});`,
    'export default {',
    '  ...base,',
    mutateOnly ? `  mutate: ${JSON.stringify([mutateOnly])},` : '',
    testsOnly ? `  mochaOptions: { ...base.mochaOptions, spec: ${JSON.stringify(testsOnly.map((t) => `out/${t.replace(/\.ts$/, '.js')}`))} },` : '',
    concurrency ? `  concurrency: ${Number(concurrency)},` : '',
    `  jsonReporter: { fileName: ${JSON.stringify(reportFile(name))} },`,
    '};',
  ];
  writeFileSync(path, lines.filter(Boolean).join('\n') + '\n');
  return path;
}

function clip(text, max) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function table(head, body) {
  const cells = [head, ...body].map((r) => r.map(String));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |\n`;
  return line(cells[0]) + line(widths.map((w) => '-'.repeat(w))) + cells.slice(1).map(line).join('');
}
