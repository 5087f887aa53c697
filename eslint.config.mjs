// Flat ESLint config. Besides the usual TypeScript rules, it enforces the process
// boundaries of the design card (docs/architecture.md): the engine, src/shared and the protocol
// never import `vscode`, the extension never imports the engine, src/shared imports neither side,
// the protocol imports no Node or DOM modules, and webview code imports no host modules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

/** Every Node built-in, bare and with the node: prefix (src/protocol and webviews may import none). */
const nodeBuiltins = ['node:*', ...builtinModules, ...builtinModules.map((m) => `${m}/**`)];

/**
 * no-restricted-imports does not look at `import()`: the same boundary for dynamic imports,
 * as a syntax rule on the literal specifier (a computed one cannot be checked, and is not used).
 */
const noDynamicImport = (pattern, message) => ['error', { selector: `ImportExpression[source.value=${pattern}]`, message }];

const noVscode = { name: 'vscode', message: 'src/engine and src/protocol must not import vscode: pass what they need from the extension.' };

export default tseslint.config(
  // test/fixtures/scan, scale and hints-real hold third-party source files the scanner is
  // measured on, and test/fixtures/workspace files that tests open in VS Code: not our code to lint.
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.test-work/**', '.vscode-test/**', 'demo-output/**', '.stryker-tmp/**', 'reports/**', 'test/protocol/fixtures/**/*.js', 'test/fixtures/scan/**', 'test/fixtures/scale/**', 'test/fixtures/hints-real/**', 'test/fixtures/workspace/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'test/ui/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      // Protocol messages are namespaces with a method and a type, as in vscode-eslint.
      '@typescript-eslint/no-namespace': 'off',
      // Handlers are async by contract even when their work is synchronous.
      '@typescript-eslint/require-await': 'off',
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [{ group: ['**/extension/**', '**/extension'], message: 'The engine is a separate process: it never imports the extension.' }],
      }],
    },
  },
  {
    // The boundary (docs/architecture.md): the extension talks to the engine over JSON-RPC
    // (src/protocol) and runs in-process only what lives in src/shared.
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/engine/**', '**/engine', '!**/protocol/engine'], message: 'src/extension never imports src/engine: send a request (src/protocol) or move the code both sides need to src/shared.' }],
      }],
      'no-restricted-syntax': noDynamicImport('/(^|\\/)engine(\\/|$)/', 'src/extension never imports src/engine, not even with import().'),
    },
  },
  {
    // Code both processes run: it imports neither side, and never vscode.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/shared runs in the engine process too: no vscode.' }],
        patterns: [{ group: ['**/engine/**', '**/engine', '!**/protocol/engine', '**/extension/**', '**/extension'], message: 'src/shared imports neither the engine nor the extension.' }],
      }],
      'no-restricted-syntax': noDynamicImport('/(^|\\/)(engine|extension)(\\/|$)/', 'src/shared imports neither the engine nor the extension, not even with import().'),
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode, { name: 'vscode-jsonrpc/node', message: 'The protocol is shared with webviews: import the common vscode-jsonrpc entry only.' }],
        patterns: [
          { group: nodeBuiltins, message: 'src/protocol is shared with webviews: no Node modules.' },
          { group: ['../*', '../**'], message: 'src/protocol imports only its own files and npm packages: it is the part every side may import, so it must not pull any side in.' },
        ],
      }],
      'no-restricted-syntax': noDynamicImport('/^\\.\\.\\//', 'src/protocol imports only its own files, not even with import().'),
    },
  },
  {
    files: ['webview-ui/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webview code runs in a browser: talk to the host with postMessage.' }, { name: 'onnxruntime-node', message: 'Webview code cannot load native modules.' }, { name: 'vscode-jsonrpc', message: 'Webviews use typed postMessage, not JSON-RPC.' }],
        patterns: [
          { group: [...nodeBuiltins, 'vscode-jsonrpc/**'], message: 'Webview code runs in a browser: no Node modules.' },
          // Matched on the written specifier: anything under src/ other than src/protocol/<file>
          // (so '../../src/protocol/../shared/x' and 'src/./shared' are refused too).
          { regex: '(^|/)src/(?!protocol/[A-Za-z0-9_-]+$)', message: 'Webview code must not import host modules (src/protocol is the shared part).' },
        ],
      }],
      'no-restricted-syntax': noDynamicImport('/(^|\\/)src\\//', 'Webview code loads host code neither statically nor with import().'),
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // UI tests run functions inside the page with page.evaluate().
    files: ['test/ui/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
