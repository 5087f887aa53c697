// Fails when TypeScript files import each other in a cycle (issue 13: "no import cycle").
// Reads the relative `import`/`export ... from` specifiers of every .ts file under the given
// folders (type-only imports included: a type cycle still ties two modules together) and
// reports each strongly connected group of more than one file (Tarjan's algorithm).
// Usage: node scripts/check-cycles.mjs [folder ...]   (default: src webview-ui/src)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'webview-ui/src'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts')) files.push(resolve(path));
  }
};
for (const root of roots) walk(root);

const importPattern = /^\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/gms;
const graph = new Map();
for (const file of files) {
  const deps = [];
  for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
    const base = resolve(dirname(file), match[1].replace(/\.js$/, ''));
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (target) deps.push(target);
  }
  graph.set(file, deps);
}

let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const groups = [];
function connect(node) {
  index.set(node, counter);
  low.set(node, counter);
  counter++;
  stack.push(node);
  onStack.add(node);
  for (const next of graph.get(node) ?? []) {
    if (!index.has(next)) {
      connect(next);
      low.set(node, Math.min(low.get(node), low.get(next)));
    } else if (onStack.has(next)) {
      low.set(node, Math.min(low.get(node), index.get(next)));
    }
  }
  if (low.get(node) === index.get(node)) {
    const group = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) groups.push(group);
  }
}
for (const file of files) if (!index.has(file)) connect(file);

if (groups.length > 0) {
  process.stderr.write(`Import cycles among ${files.length} files (${roots.join(', ')}):\n`);
  for (const group of groups) process.stderr.write(`  ${group.map((f) => relative(process.cwd(), f)).sort().join(' <-> ')}\n`);
  process.stderr.write('Break each cycle: move what both files need into a third file they both import.\n');
  process.exit(1);
}
process.stdout.write(`No import cycles among ${files.length} files (${roots.join(', ')}).\n`);
