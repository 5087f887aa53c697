// breaker51: stale or wrong imported constants (ImportedConstantReader.read) when a project's modules are replaced on disk
// in ways a folder's or a file's modification time does not show, and Python's rule for a package beside a module.
// Expected texts: what the language itself imports (Python 3 run on the same tree: `from .prompts import RULES` gives the
// package's; TypeScript's resolution of `./p/rules` takes `p/rules.ts` before `p/rules/index.ts`), and what a reader made
// after the change reads (no cache).
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ImportedConstantReader } from '../../../src/shared/prompt/scanner/importedModules';

describe('imported constants: modules replaced on disk, and a package beside a module (breaker51)', function () {
  this.timeout(30_000);
  let dir: string;
  const old = new Date(Date.now() - 100_000);
  const write = (file: string, text: string): void => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  /** Times set back, as `tar -x`, `cp -a` and `rsync -a` leave them (the archive's times, not the time of the copy). */
  const age = (...paths: string[]): void => {
    for (const p of paths) utimesSync(join(dir, p), old, old);
  };
  // (A clock 10 s ahead: no resolution is left out as made too soon after its folders changed.)
  const reader = () => new ImportedConstantReader(() => Date.now() + 10_000);
  const texts = (r: ImportedConstantReader, text: string, languageId: string, doc: string) => r.read(text, languageId, join(dir, doc)).map((c) => `${c.name}=${c.text} (${c.file})`);
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pepperpy-b51-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('Python: a package `prompts/__init__.py` beside `prompts.py` is the one imported, relative and absolute', () => {
    write('app/__init__.py', '');
    write('app/prompts.py', 'RULES = "from the module"\n');
    write('app/prompts/__init__.py', 'RULES = "from the package"\n');
    write('app/x/__init__.py', '');
    assert.deepEqual(texts(reader(), 'from .prompts import RULES\ns = f"{RULES}"\n', 'python', 'app/main.py'), ['RULES=from the package (prompts/__init__.py)']);
    assert.deepEqual(texts(reader(), 'from app.prompts import RULES\ns = f"{RULES}"\n', 'python', 'app/x/y.py'), ['RULES=from the package (../prompts/__init__.py)']);
  });

  it('a folder swapped for another with the same times (`mv p old && mv new p`, the new one unpacked from an archive)', () => {
    write('p/rules/index.ts', 'export const RULES = "the old index";\n');
    write('new/rules.ts', 'export const RULES = "the new file";\n');
    write('new/rules/index.ts', 'export const RULES = "the new index";\n');
    age('p/rules', 'p', 'new/rules', 'new');
    const text = "import { RULES } from './p/rules';\nconst s = `${RULES}`;\n";
    const r = reader();
    assert.deepEqual(texts(r, text, 'typescript', 'a.ts'), ['RULES=the old index (p/rules/index.ts)']);
    renameSync(join(dir, 'p'), join(dir, 'old'));
    renameSync(join(dir, 'new'), join(dir, 'p'));
    assert.deepEqual(texts(reader(), text, 'typescript', 'a.ts'), ['RULES=the new file (p/rules.ts)']);
    assert.deepEqual(texts(r, text, 'typescript', 'a.ts'), ['RULES=the new file (p/rules.ts)']);
  });

  it('a symbolic link to a folder pointed at another release (`ln -sfn v2 current`)', () => {
    write('v1/rules/index.ts', 'export const RULES = "v1 index";\n');
    write('v2/rules.ts', 'export const RULES = "v2 file";\n');
    write('v2/rules/index.ts', 'export const RULES = "v2 index";\n');
    age('v1/rules', 'v1', 'v2/rules', 'v2');
    symlinkSync('v1', join(dir, 'current'));
    const text = "import { RULES } from './current/rules';\nconst s = `${RULES}`;\n";
    const r = reader();
    assert.deepEqual(texts(r, text, 'typescript', 'a.ts'), ['RULES=v1 index (current/rules/index.ts)']);
    unlinkSync(join(dir, 'current'));
    symlinkSync('v2', join(dir, 'current'));
    assert.deepEqual(texts(r, text, 'typescript', 'a.ts'), ['RULES=v2 file (current/rules.ts)']);
  });

  it('a module replaced by a copy of another version with the same size and time (`cp -p`)', () => {
    write('rules.ts', 'export const RULES = "version A";\n');
    write('other/rules.ts', 'export const RULES = "version B";\n');
    age('rules.ts', 'other/rules.ts');
    const text = "import { RULES } from './rules';\nconst s = `${RULES}`;\n";
    const r = reader();
    assert.deepEqual(texts(r, text, 'typescript', 'a.ts'), ['RULES=version A (rules.ts)']);
    copyFileSync(join(dir, 'other/rules.ts'), join(dir, 'rules.ts'));
    age('rules.ts');
    assert.deepEqual(texts(r, text, 'typescript', 'a.ts'), ['RULES=version B (rules.ts)']);
  });
});
