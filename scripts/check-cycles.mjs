// Fails when TypeScript files import each other in a cycle (issue 13: "no import cycle").
// Takes every relative specifier of every .ts file under the given folders with the
// TypeScript parser (every module specifier in the syntax tree: static, side-effect and
// type-only imports, `export ... from` and `export * as ns from`, `import = require`,
// `import()` and `import('…').T` type queries — a type cycle still ties two modules together) and reports each strongly connected group of more than
// one file (Tarjan's algorithm).
// Usage: node scripts/check-cycles.mjs [folder ...]   (default: src webview-ui/src)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

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

/** Every module specifier written in a file, wherever the syntax puts it. */
function specifiers(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found = [];
  const literal = (node) => {
    if (node && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) literal(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const graph = new Map();
for (const file of files) {
  const deps = [];
  for (const specifier of specifiers(file)) {
    if (!specifier.startsWith('.')) continue;
    const base = resolve(dirname(file), specifier.replace(/\.js$/, ''));
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
