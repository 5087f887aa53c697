// Builds the three bundles from the design card: the extension (Node, CommonJS, `vscode`
// external), the engine process and the CLI (Node; onnxruntime-node and the tokenizer
// data stay external so they load lazily from node_modules), and the webview front end
// (browser). The engine bundle does NOT mark `vscode` external, so an accidental
// `import 'vscode'` in src/engine fails the build instead of failing at run time.
const esbuild = require('esbuild');
const path = require('node:path');
const fs = require('node:fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Modules loaded from node_modules at run time (native code or large data loaded lazily). */
const runtimeExternals = ['onnxruntime-node', 'gpt-tokenizer', 'gpt-tokenizer/*', 'js-tiktoken', 'js-tiktoken/*'];

const problemMatcherPlugin = {
  name: 'report',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        process.stderr.write(`✘ [ERROR] ${text}\n`);
        if (location) process.stderr.write(`    ${location.file}:${location.line}:${location.column}:\n`);
      }
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  define: { __PEPPERPY_VERSION__: JSON.stringify(require('./package.json').version) },
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcherPlugin],
  // jsonc-parser's `main` is a UMD build whose internal requires esbuild cannot follow;
  // its ES module build bundles cleanly (the same fix VS Code's own extensions use).
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

const configs = [
  {
    ...common,
    // (hintsWorker: the worker thread of an untrusted workspace's prompt hints, src/extension/prompt/hostHints.ts.)
    entryPoints: { extension: 'src/extension/extension.ts', hintsWorker: 'src/extension/prompt/hintsWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...runtimeExternals],
  },
  {
    ...common,
    entryPoints: { engine: 'src/engine/server.ts', cli: 'src/engine/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: runtimeExternals,
  },
  {
    ...common,
    entryPoints: { analysis: 'webview-ui/src/analysis.ts', cost: 'webview-ui/src/cost.ts', benchmark: 'webview-ui/src/benchmark.ts', model: 'webview-ui/src/model.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

async function main() {
  fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
  // The CLI is a `bin`: give it a shebang and make it executable.
  const cli = path.join(__dirname, 'dist', 'cli.js');
  const text = fs.readFileSync(cli, 'utf8');
  if (!text.startsWith('#!')) fs.writeFileSync(cli, `#!/usr/bin/env node\n${text}`);
  fs.chmodSync(cli, 0o755);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
