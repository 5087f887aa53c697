/**
 * Test code, by the conventions of pytest, unittest, Django, Jest, Vitest, Mocha and Playwright: test folders and test
 * files. Read in two places, which must agree: `prompt scan --skip-tests` (scanFiles.ts) leaves them out, and an imported
 * send (promptSends.ts `importerIsTest`) counts a test file's model only from the call that sends the prompt.
 */
export const TEST_FOLDERS: readonly string[] = ['test', 'tests', '__tests__', 'spec', 'e2e', '__mocks__'];

/** Test files by name: pytest's `test_x.py`/`x_test.py`/`conftest.py`, Django's `tests.py`, `x.test.ts`, `x.spec.ts`. */
export const TEST_FILE_GLOBS: readonly string[] = ['**/test_*.py', '**/*_test.py', '**/conftest.py', '**/tests.py', '**/*.test.*', '**/*.spec.*'];

export const TEST_GLOBS: readonly string[] = [...TEST_FOLDERS.map((f) => `**/${f}/**`), ...TEST_FILE_GLOBS];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** TEST_GLOBS as one expression over a `/`-separated relative path. */
export const TEST_CODE = new RegExp(
  `(?:^|/)(?:${TEST_FOLDERS.map(escape).join('|')})/|(?:^|/)(?:test_[^/]*\\.py|[^/]*_test\\.py|conftest\\.py|tests\\.py|[^/]*\\.(?:test|spec)\\.[^/]*)$`,
);
