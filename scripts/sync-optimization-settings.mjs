#!/usr/bin/env node
// Writes the `pepperpy.optimization.*` settings into package.json's
// contributes.configuration (descriptions as %keys%, their English text into package.nls.json) from settingsMapping() (src/shared/config.ts, through
// src/extension/benchmark/settingsContributions.ts), so the settings, their defaults and
// ranges come from the zod schemas and cannot drift. The unit test
// test/unit/benchmark/panelData.test.ts fails when package.json is out of date.
//
// Run: flock /tmp/pepperpy-npm.lock node scripts/sync-optimization-settings.mjs
// (under the lock, because other scripts edit package.json too).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-settings-')), 'settings.cjs');
const require = createRequire(import.meta.url);
require('esbuild').buildSync({ entryPoints: [path.join(repoRoot, 'src', 'extension', 'benchmark', 'settingsContributions.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning' });
const { optimizationSettingContributions, optimizationSettingDescriptions } = require(bundle);
fs.rmSync(path.dirname(bundle), { recursive: true, force: true });

const packageFile = path.join(repoRoot, 'package.json');
const pkg = JSON.parse(fs.readFileSync(packageFile, 'utf8'));
const properties = pkg.contributes.configuration.properties;
for (const key of Object.keys(properties)) if (key.startsWith('pepperpy.optimization.')) delete properties[key];
const settings = optimizationSettingContributions();
Object.assign(properties, settings);
fs.writeFileSync(packageFile, `${JSON.stringify(pkg, null, 2)}\n`);
// The English descriptions live in package.nls.json (package.json holds %keys%); the
// pt-BR ones in package.nls.pt-br.json are kept by hand (a unit test checks the keys match).
const nlsFile = path.join(repoRoot, 'package.nls.json');
const nls = JSON.parse(fs.readFileSync(nlsFile, 'utf8'));
for (const key of Object.keys(nls)) if (key.startsWith('config.optimization.')) delete nls[key];
Object.assign(nls, optimizationSettingDescriptions());
fs.writeFileSync(nlsFile, `${JSON.stringify(nls, null, 2)}\n`);
process.stdout.write(`package.json: ${Object.keys(settings).length} pepperpy.optimization.* settings\n`);
