// Reads stryker/groups.json (the module groups of `npm run bench:mutation`).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Every group by name. */
export function readGroups() {
  const all = JSON.parse(readFileSync(join(here, 'groups.json'), 'utf8'));
  delete all.$comment;
  return all;
}

/** One group, or an error naming the known ones. */
export function readGroup(name) {
  const all = readGroups();
  if (!name || !all[name]) throw new Error(`Unknown mutation group "${name ?? ''}": use one of ${Object.keys(all).join(', ')}.`);
  return all[name];
}
