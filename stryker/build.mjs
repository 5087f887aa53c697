// Stryker's buildCommand (runs inside its sandbox): compiles one group's unit tests, and only
// what they import, into out/ with the repository's compiler settings. Usage: node stryker/build.mjs <group>
import { existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readGroup } from './groups.mjs';

const group = readGroup(process.argv[2]);
// A narrowed run (`--tests`, scripts/mutation.mjs) compiles the tests it runs, which may be outside the group's list.
const tests = process.env.PEPPERPY_MUTATION_TESTS ? process.env.PEPPERPY_MUTATION_TESTS.split(',').filter(Boolean) : group.tests;
const files = tests.filter((t) => existsSync(t));
writeFileSync('tsconfig.mutation.json', JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: false, outDir: 'out', rootDir: '.' }, files, include: [] }, null, 2));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.mutation.json'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
