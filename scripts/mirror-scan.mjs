// Scan-only walk of real repositories (no rewrites): the CLI's `prompt scan` file filter and
// `findPrompts` (src/shared/prompt/scanner/scanFiles.ts, compiled to out/), then the prompts per
// file, the totals, and breakdowns by kind, by the strongest positive evidence and by folder.
// For measuring a scanner change on the mirrors before and after (export a mirror with
// `git --git-dir=… archive <commit> [paths] | tar -x -C dir`).
//
//   npx tsc -p tsconfig.test.json && node scripts/mirror-scan.mjs [--files] [--lines] [--no-index] [--depth N] <folder> [folder ...]
//
// --files prints every file with prompts; --lines prints every prompt (file:line kind evidence preview);
// --no-index scans each file alone (no project-level evidence, as the editor's incremental scan);
// --depth N groups folders by their first N path parts under each root (default 2).
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
const out = resolve(import.meta.dirname, '..', 'out');
const { listScanFiles, projectWebOnlyClasses, scanFile } = require(join(out, 'src/shared/prompt/scanner/scanFiles'));

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
const showFiles = flag('--files');
const showLines = flag('--lines');
const noIndex = flag('--no-index');
let depth = 2;
const d = args.indexOf('--depth');
if (d >= 0) {
  depth = Number(args[d + 1]);
  args.splice(d, 2);
}
if (args.length === 0) {
  process.stderr.write('Usage: node scripts/mirror-scan.mjs [--files] [--lines] [--no-index] [--depth N] <folder> [folder ...] (after npx tsc -p tsconfig.test.json)\n');
  process.exit(2);
}

const bump = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
const sorted = (map) => [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
/** The strongest positive evidence of a prompt: what made it one. */
const mainEvidence = (p) => {
  const best = [...p.evidence].filter((e) => e.weight > 0).sort((a, b) => b.weight - a.weight)[0];
  return best ? `${best.kind}: ${best.detail.replace(/\b[A-Z]\w*[a-z]\w*(?=,| \()/g, 'X').replace(/@[\w.]+/g, '@…').slice(0, 90)}` : '(none)';
};

let grand = 0;
for (const root of args) {
  let files = 0;
  let total = 0;
  let errors = 0;
  const byKind = new Map();
  const byEvidence = new Map();
  const byFolder = new Map();
  // As `prompt scan` does (scanPaths): the project-level evidence from every Python file of the root, then each file.
  const list = listScanFiles([root]);
  const options = noIndex ? {} : { webOnlyClasses: projectWebOnlyClasses(list) };
  for (const { file } of list) {
    files++;
    let result;
    try {
      result = scanFile(file, file, options);
    } catch (error) {
      errors++;
      process.stdout.write(`SCAN ERROR ${file}: ${error}\n`);
      continue;
    }
    const n = result.prompts.length;
    if (n === 0) continue;
    total += n;
    const rel = relative(root, file);
    const folder = rel.split(sep).slice(0, -1).slice(0, depth).join('/') || '.';
    bump(byFolder, folder, n);
    if (showFiles) process.stdout.write(`${String(n).padStart(5)}  ${rel}\n`);
    for (const p of result.prompts) {
      bump(byKind, p.kind);
      bump(byEvidence, mainEvidence(p));
      if (showLines) process.stdout.write(`      ${rel}:${p.range.start.line + 1} ${p.kind} [${mainEvidence(p)}] ${p.text.replace(/\s+/g, ' ').trim().slice(0, 60)}\n`);
    }
  }
  grand += total;
  process.stdout.write(`\n== ${root}: ${total} prompts in ${files} files${errors ? `, ${errors} scan errors` : ''}\n`);
  process.stdout.write(`  by kind: ${sorted(byKind).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  process.stdout.write('  by main evidence:\n');
  for (const [k, v] of sorted(byEvidence).slice(0, 25)) process.stdout.write(`    ${String(v).padStart(5)}  ${k}\n`);
  process.stdout.write(`  by folder (depth ${depth}):\n`);
  for (const [k, v] of sorted(byFolder).slice(0, 25)) process.stdout.write(`    ${String(v).padStart(5)}  ${k}\n`);
}
if (args.length > 1) process.stdout.write(`\nTOTAL ${grand} prompts\n`);
