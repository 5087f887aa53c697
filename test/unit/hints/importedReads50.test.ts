// Session 50: the engine reads a document's imported constants (ImportedConstantReader.read) on every hint request. On
// real files it took 40–220 ms a request: langfuse's CreateLLMApiKeyForm.tsx imports ~30 components through the `@/`
// alias (~300 candidate files each, all asked of the file system, on every keystroke), and smolagents' agents.py ran one
// regular expression over the whole document per imported name (60 names). Now the spliced names are found in one pass
// (`splicedNames`, checked here against the three expressions it replaces), folders are asked once per read, and a
// module's resolution is kept for a short time (the resolved file itself is looked at on every read).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { ImportedConstantReader, splicedNames } from '../../../src/shared/prompt/scanner/importedModules';

/** What `read` asked of each imported name before: the three expressions, one pass over the text per name. */
function splicedOracle(text: string, name: string): boolean {
  const n = name.replace(/\$/g, '\\$');
  return new RegExp(`\\{\\s*${n}\\b|(?<![\\w$.])${n}\\s*\\+|\\+\\s*${n}(?![\\w$])`).test(text);
}

describe('imported constants, read on every request (session 50)', function () {
  this.timeout(60_000);

  it('splicedNames holds exactly the names the per-name expressions find, on random texts', () => {
    const chars = fc.constantFrom('{', '}', '+', '$', '.', ' ', '\n', 'a', 'b', '_', '1', 'A', '(', '`');
    const names = ['a', 'b', 'ab', 'a$', '$a', 'a_b', 'A', 'ba', 'a1', '$', '_', 'aa', 'a$b', 'b$'];
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (list) => {
        const text = list.join('');
        const set = splicedNames(text);
        for (const name of names) assert.equal(set.has(name), splicedOracle(text, name), `${JSON.stringify(text)} ${name}`);
      }),
      { numRuns: 3000, seed: 50 },
    );
  });

  it('splicedNames on real forms: f-string and template fields, `+` on either side, and not an attribute or a longer word', () => {
    const text = 'x = f"{RULES}\\n{ P.TONE }"\ny = `${BASE}` + TAIL\nz = HEAD + "!"\nw = obj.PART + "x"\nv = {RULESET}';
    const set = splicedNames(text);
    for (const name of ['RULES', 'P', 'BASE', 'TAIL', 'HEAD', 'RULESET']) assert.ok(set.has(name), name);
    for (const name of ['TONE', 'PART', 'RULE', 'obj']) assert.equal(set.has(name), splicedOracle(text, name), name);
    assert.ok(!set.has('PART') && !set.has('TONE'));
  });

  describe('a module resolution kept for a short time', () => {
    let dir: string;
    let clock = 0;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'pepperpy-reads-'));
      mkdirSync(join(dir, 'app', 'lib'), { recursive: true });
      clock = 0;
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const doc = () => join(dir, 'app', 'lib', 'prompts.ts');
    const text = "import { RULES } from './rules';\nexport const SYSTEM = `You are a helper. ${RULES}`;\n";

    it('a module created after a read is found once the time has passed, not before', () => {
      const reader = new ImportedConstantReader(2_000, () => clock);
      assert.deepEqual(reader.read(text, 'typescript', doc()), []);
      writeFileSync(join(dir, 'app', 'lib', 'rules.ts'), "export const RULES = 'Answer in French.';\n");
      clock = 1_000;
      assert.deepEqual(reader.read(text, 'typescript', doc()), [], 'within the time, the missing module is not asked for again');
      clock = 2_500;
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Answer in French.']);
    });

    it('the resolved file is looked at on every read: a change is read at once, and a deleted file is resolved again', () => {
      const reader = new ImportedConstantReader(60_000, () => clock);
      const rules = join(dir, 'app', 'lib', 'rules.ts');
      writeFileSync(rules, "export const RULES = 'Answer in French.';\n");
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Answer in French.']);
      writeFileSync(rules, "export const RULES = 'Answer in Portuguese, always.';\n");
      utimesSync(rules, new Date(), new Date(Date.now() + 5_000));
      clock = 10;
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Answer in Portuguese, always.']);
      // Gone: the next candidate (rules/index.ts) is found, with no wait.
      unlinkSync(rules);
      mkdirSync(join(dir, 'app', 'lib', 'rules'));
      writeFileSync(join(dir, 'app', 'lib', 'rules', 'index.ts'), "export const RULES = 'Be brief.';\n");
      clock = 20;
      assert.deepEqual(reader.read(text, 'typescript', doc()).map((c) => c.text), ['Be brief.']);
    });
  });
});
