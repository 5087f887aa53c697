#!/usr/bin/env node
// `npm run screenshots:update`: copies the screenshots the UI tests saved under
// .test-work/screenshots/ to docs/images/, where the README and docs use them. Tests never
// write to docs/images/ themselves, so a test run leaves the tracked images alone; run the UI
// tests (`npm test`, or one `node test/ui/<name>.ui.mjs`), look at the new images, then run this.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.join(root, '.test-work', 'screenshots');
const to = path.join(root, 'docs', 'images');
const shots = fs.existsSync(from) ? fs.readdirSync(from).filter((f) => f.endsWith('.png')) : [];
if (shots.length === 0) {
  process.stderr.write(`No screenshots in ${path.relative(root, from)}: run the UI tests first (npm test, or node test/ui/<name>.ui.mjs).\n`);
  process.exit(1);
}
fs.mkdirSync(to, { recursive: true });
for (const f of shots) {
  fs.copyFileSync(path.join(from, f), path.join(to, f));
  process.stdout.write(`docs/images/${f}\n`);
}
