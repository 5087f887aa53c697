// Session 50: the engine reads a document's imported constants (ImportedConstantReader.read) on every hint request. On
// real files it took 40–220 ms a request: langfuse's CreateLLMApiKeyForm.tsx imports ~30 components through the `@/`
// alias (~300 candidate files each, all asked of the file system, on every keystroke), and smolagents' agents.py ran one
// regular expression over the whole document per imported name (60 names). Now the spliced names are found in one pass
// (`namesInSplices`, checked here against the three expressions it replaces), folders are asked once per read, and a
// module's resolution is kept while the folders it looked in are unchanged (the resolved file itself is looked at on every
// read; session 51: it was kept 2 s, and a module created meanwhile was not found).
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { ImportedConstantReader, namesInSplices } from '../../../src/shared/prompt/scanner/importedModules';

/** What `read` asked of each imported name before: the three expressions, one pass over the text per name. */
function splicedOracle(text: string, name: string): boolean {
  const n = name.replace(/\$/g, '\\$');
  return new RegExp(`\\{\\s*${n}\\b|(?<![\\w$.])${n}\\s*\\+|\\+\\s*${n}(?![\\w$])`).test(text);
}

describe('imported constants, read on every request (session 50)', function () {
  this.timeout(60_000);

  it('namesInSplices holds exactly the names the per-name expressions find, on random texts', () => {
    const chars = fc.constantFrom('{', '}', '+', '$', '.', ' ', '\n', 'a', 'b', '_', '1', 'A', '(', '`');
    const names = ['a', 'b', 'ab', 'a$', '$a', 'a_b', 'A', 'ba', 'a1', '$', '_', 'aa', 'a$b', 'b$'];
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (list) => {
        const text = list.join('');
        const set = namesInSplices(text);
        for (const name of names) assert.equal(set.has(name), splicedOracle(text, name), `${JSON.stringify(text)} ${name}`);
      }),
      { numRuns: 3000, seed: 50 },
    );
  });

  it('namesInSplices on real forms: f-string and template fields, `+` on either side, and not an attribute or a longer word', () => {
    const text = 'x = f"{RULES}\\n{ P.TONE }"\ny = `${BASE}` + TAIL\nz = HEAD + "!"\nw = obj.PART + "x"\nv = {RULESET}';
    const set = namesInSplices(text);
    for (const name of ['RULES', 'P', 'BASE', 'TAIL', 'HEAD', 'RULESET']) assert.ok(set.has(name), name);
    for (const name of ['TONE', 'PART', 'RULE', 'obj']) assert.equal(set.has(name), splicedOracle(text, name), name);
    assert.ok(!set.has('PART') && !set.has('TONE'));
  });

  describe('a module resolution kept while the folders it looked in are unchanged (session 51)', () => {
    let dir: string;
    const old = new Date(Date.now() - 60_000);
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'pepperpy-reads-'));
      mkdirSync(join(dir, 'app', 'lib'), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const doc = () => join(dir, 'app', 'lib', 'prompts.ts');
    const text = "import { RULES } from './rules';\nexport const SYSTEM = `You are a helper. ${RULES}`;\n";
    /** The folders' times set a minute back: a resolution made now is kept (one made within 2 s of a change is not). */
    const settle = (): void => {
      for (const folder of [dir, join(dir, 'app'), join(dir, 'app', 'lib')]) utimesSync(folder, old, old);
    };
    /** How many times `read` asks the file system about a path (`statSync`). */
    function stats(run: () => void): number {
      // (The module object itself, which the reader's compiled `node_fs_1.statSync(…)` reads at each call.)
      const fs = createRequire(__filename)('node:fs') as { statSync: (...a: unknown[]) => unknown };
      const real = fs.statSync;
      let n = 0;
      fs.statSync = (...a: unknown[]) => {
        n++;
        return real(...a);
      };
      try {
        run();
      } finally {
        fs.statSync = real;
      }
      return n;
    }

    it('a module created after a read is found at the very next read (CI 2026-12-08: kept 2 s, it was not)', () => {
      settle();
      const reader = new ImportedConstantReader();
      assert.deepEqual(reader.read(text, 'typescript', doc()), []);
      assert.equal(stats(() => reader.read(text, 'typescript', doc())), 1, 'unchanged: only app/lib is asked (it would hold rules.ts, and the folder rules/ of rules/index.ts)');
      writeFileSync(join(dir, 'app', 'lib', 'rules.ts'), "export const RULES = 'Answer in French.';\n");
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Answer in French.']);
    });

    it('a folder that appears (an index module) or a file earlier in the candidates is found at the next read', () => {
      settle();
      const reader = new ImportedConstantReader();
      assert.deepEqual(reader.read(text, 'typescript', doc()), []);
      mkdirSync(join(dir, 'app', 'lib', 'rules'));
      writeFileSync(join(dir, 'app', 'lib', 'rules', 'index.ts'), "export const RULES = 'Be brief.';\n");
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Be brief.']);
      utimesSync(join(dir, 'app', 'lib', 'rules'), old, old);
      utimesSync(join(dir, 'app', 'lib'), old, old);
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Be brief.']);
      writeFileSync(join(dir, 'app', 'lib', 'rules.ts'), "export const RULES = 'Answer in French.';\n");
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Answer in French.'], 'rules.ts comes before rules/index.ts');
    });

    it('the resolved file is looked at on every read: a change is read at once, and a deleted file is resolved again', () => {
      const rules = join(dir, 'app', 'lib', 'rules.ts');
      writeFileSync(rules, "export const RULES = 'Answer in French.';\n");
      settle();
      const reader = new ImportedConstantReader();
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Answer in French.']);
      writeFileSync(rules, "export const RULES = 'Answer in Portuguese, always.';\n");
      utimesSync(rules, new Date(), new Date(Date.now() + 5_000));
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Answer in Portuguese, always.']);
      // Gone: the next candidate (rules/index.ts) is found, with no wait.
      unlinkSync(rules);
      mkdirSync(join(dir, 'app', 'lib', 'rules'));
      writeFileSync(join(dir, 'app', 'lib', 'rules', 'index.ts'), "export const RULES = 'Be brief.';\n");
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Be brief.']);
    });

    it('a resolution made within 2 s of a change of its folders is not kept (the folder time\'s clock is coarse)', () => {
      settle();
      const fresh = new ImportedConstantReader(() => old.getTime() + 1_000);
      fresh.read(text, 'typescript', doc());
      const again = stats(() => fresh.read(text, 'typescript', doc()));
      const kept = new ImportedConstantReader();
      kept.read(text, 'typescript', doc());
      assert.ok(again > stats(() => kept.read(text, 'typescript', doc())), `asked ${again} times`);
    });

    it('an alias with ~300 candidates asks only its folders again while they are unchanged', () => {
      const tsx = "import { Button } from '@/components/ui/button';\nexport const P = `Click ${Button}`;\n";
      // (Under the project's src/, as langfuse's `@/src/components/…`: the folders above it are not looked in.)
      mkdirSync(join(dir, 'src', 'components', 'ui'), { recursive: true });
      writeFileSync(join(dir, 'src', 'components', 'ui', 'button.tsx'), "export const Button = 'a button';\n");
      for (const folder of [join(dir, 'src'), join(dir, 'src', 'components'), join(dir, 'src', 'components', 'ui')]) utimesSync(folder, old, old);
      settle();
      const reader = new ImportedConstantReader();
      const first = stats(() => reader.read(tsx, 'typescriptreact', doc()));
      const second = stats(() => reader.read(tsx, 'typescriptreact', doc()));
      assert.ok(second < first, `first read ${first} stats, second ${second}`);
      assert.deepEqual(reader.read(tsx, 'typescriptreact', doc()).map((c) => c.text), ['a button']);
    });

    it('modulesRead names the files the imports resolved to, a module with no literal constant too', () => {
      writeFileSync(join(dir, 'app', 'lib', 'rules.ts'), 'export const RULES = String(process.env.RULES);\n');
      const read = new Set<string>();
      assert.deepEqual(new ImportedConstantReader().read(text, 'typescript', doc(), read), []);
      assert.deepEqual([...read], [join(dir, 'app', 'lib', 'rules.ts')]);
    });
  });
});
