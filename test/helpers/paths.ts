import * as path from 'node:path';

/** The repository root, from out/test/helpers/ (compiled) or test/helpers/ (source). */
export const repoRoot = path.resolve(__dirname, '..', '..', ...(path.basename(path.resolve(__dirname, '..', '..')) === 'out' ? ['..'] : []));
export const distDir = path.join(repoRoot, 'dist');
export const fixturesDir = path.join(repoRoot, 'test', 'protocol', 'fixtures');
