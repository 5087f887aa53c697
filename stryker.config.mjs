// Stryker (mutation testing) for `npm run bench:mutation -- <group>` (scripts/mutation.mjs),
// which sets PEPPERPY_MUTATION_GROUP. Groups, their source files and their tests: stryker/groups.json.
import { existsSync } from 'node:fs';
import { readGroup } from './stryker/groups.mjs';

const name = process.env.PEPPERPY_MUTATION_GROUP ?? 'cost';
const group = readGroup(name);
const specs = group.tests.filter((t) => existsSync(t)).map((t) => `out/${t.replace(/\.ts$/, '.js')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  mutate: group.mutate,
  buildCommand: `node stryker/build.mjs ${name}`,
  mochaOptions: { spec: specs, config: '.mocharc.json' },
  coverageAnalysis: 'perTest',
  ignoreStatic: group.ignoreStatic ?? false,
  concurrency: 2,
  timeoutMS: 10000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 10,
  reporters: ['json', 'clear-text'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  // Only the sources get Stryker's `// @ts-nocheck` header: the default pattern also covers test/, whose real fixture files
  // (test/fixtures/**/*.ts) would get a line more, and every test that checks a line number in them fails.
  disableTypeChecks: 'src/**/*.{js,ts,jsx,tsx,cts,mts}',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['/out', '/dist', '/.test-work', '/.vscode-test', '/test-results', '/demo-output', '/reports', '/webview-ui/node_modules', '/.gpu', '/.gl', '/.whl', '*.vsix'],
};
