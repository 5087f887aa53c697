// The English bundles are what @vscode/l10n-dev exports from today's code: the same
// extractor the README tells contributors to run (`npx @vscode/l10n-dev export`), called
// through its library API on the same files. A new `l10n.t('…')` that nobody exported (so
// it has no pt-BR translation either, and bundles.test.ts cannot see it) fails here, and
// so does a bundle entry whose string left the code.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import { repoRoot } from '../../helpers/paths';

/** The files the exporter's CLI globs for a folder argument: *.ts, *.tsx, *.js, *.jsx below it. */
function sources(...relative: string[]): { extension: string; contents: string }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|js|jsx)$/.test(entry.name)) files.push(full);
    }
  };
  for (const r of relative) {
    const full = path.join(repoRoot, r);
    if (/\.(ts|tsx|js|jsx)$/.test(full)) files.push(full);
    else walk(full);
  }
  return files.map((f) => ({ extension: path.extname(f), contents: readFileSync(f, 'utf8') }));
}

/** Keys the code has and the bundle lacks, and keys the bundle has and the code no longer uses. */
function drift(exported: Record<string, unknown>, bundle: Record<string, unknown>): { missing: string[]; stale: string[] } {
  return {
    missing: Object.keys(exported).filter((k) => !(k in bundle)),
    stale: Object.keys(bundle).filter((k) => !(k in exported)),
  };
}

const readBundle = (...parts: string[]) => JSON.parse(readFileSync(path.join(repoRoot, 'l10n', ...parts), 'utf8')) as Record<string, string>;

describe('l10n: the English bundles match the code', () => {
  it('l10n/bundle.l10n.json is what the exporter finds in src/extension, webview-ui/src, src/protocol/modelPanel.ts and src/protocol/benchmark.ts', async () => {
    // The Model Optimization panel's shared helpers (headline, warnings, search) translate in the protocol file the webview imports.
    const exported = await getL10nJson(sources('src/extension', 'webview-ui/src', 'src/protocol/modelPanel.ts', 'src/protocol/benchmark.ts'));
    const bundle = readBundle('bundle.l10n.json');
    assert.deepEqual(drift(exported, bundle), { missing: [], stale: [] }, 'run: npx @vscode/l10n-dev export -o ./l10n ./src/extension ./webview-ui/src ./src/protocol/modelPanel.ts ./src/protocol/benchmark.ts, then translate the new keys in l10n/bundle.l10n.pt-br.json');
    assert.deepEqual(bundle, exported);
  });

  it('l10n/cli/bundle.l10n.json is what the exporter finds in the CLI', async () => {
    const exported = await getL10nJson(sources('src/engine/cli', 'src/engine/cli.ts'));
    const bundle = readBundle('cli', 'bundle.l10n.json');
    assert.deepEqual(drift(exported, bundle), { missing: [], stale: [] }, 'run: npx @vscode/l10n-dev export -o ./l10n/cli ./src/engine/cli ./src/engine/cli.ts, then translate the new keys in l10n/cli/bundle.l10n.pt-br.json');
    assert.deepEqual(bundle, exported);
  });

  it('finds a string that is in no bundle (the check can fail)', async () => {
    const exported = await getL10nJson([{ extension: '.ts', contents: "import * as vscode from 'vscode';\nvscode.l10n.t('Not exported yet: {0}', 1);\n" }]);
    assert.deepEqual(drift(exported, readBundle('bundle.l10n.json')).missing, ['Not exported yet: {0}']);
  });
});
