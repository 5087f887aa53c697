// `prompt scan --exclude GLOB` and `--skip-tests` (newuser34: on bytedance/deer-flow, 752 of the 912 prompts found under
// backend/ were test fixtures). The tree is built here; the oracle is the list of files each option must leave in.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { runCli } from '../../../../src/engine/cli/framework';
import { scanCommand } from '../../../../src/engine/cli/scanCommand';
import { isTestFolder } from '../../../../src/shared/prompt/scanner/scanFiles';

const PROMPT = 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "You are a terse assistant. Answer in one sentence."}])\n';

async function scan(args: string[]): Promise<{ code: number; json?: { prompts: Array<{ file: string }>; filesScanned: number; filesExcluded: number }; err: string; out: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['prompt', 'scan', ...args], [scanCommand], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve('') });
  return { code, err, out, ...(args.includes('--json') && code === 0 ? { json: JSON.parse(out) as { prompts: Array<{ file: string }>; filesScanned: number; filesExcluded: number } } : {}) };
}

describe('prompt scan --exclude and --skip-tests', () => {
  const root = mkdtempSync(join(tmpdir(), 'pepperpy-exclude-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const files = ['app/agent.py', 'app/tests/test_agent.py', 'app/agent_test.py', 'app/conftest.py', 'web/chat.ts', 'web/chat.test.ts', 'web/__tests__/chat.ts', 'web/fixtures/sample.py', 'guide/notes.md'];
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), f.endsWith('.md') ? '# Notes\n\nYou are a terse assistant. Answer in one sentence.\n' : f.endsWith('.ts') ? 'import OpenAI from "openai";\nconst client = new OpenAI();\nawait client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: "You are a terse assistant. Answer in one sentence." }] });\n' : PROMPT);
  }
  // (The CLI prints paths relative to the working directory: resolved here, then read below the tree's root.)
  const scanned = (json: { prompts: Array<{ file: string }> }) => [...new Set(json.prompts.map((p) => relative(root, resolve(p.file)).split(sep).join('/')))].sort();

  it('finds the prompt in every file without options', async () => {
    const r = await scan([root, '--json']);
    assert.equal(r.code, 0);
    assert.deepEqual(scanned(r.json!), files.filter((f) => !f.endsWith('.md')).sort());
    assert.equal(r.json!.filesExcluded, 0);
  });

  it('--skip-tests leaves out test folders and test files of pytest and Jest/Vitest/Mocha, and counts them', async () => {
    const r = await scan([root, '--skip-tests', '--json']);
    assert.deepEqual(scanned(r.json!), ['app/agent.py', 'web/chat.ts', 'web/fixtures/sample.py']);
    assert.equal(r.json!.filesExcluded, 5);
    const text = await scan([root, '--skip-tests']);
    assert.match(text.out, /3 prompts in \d+ files \(0 skipped, 5 excluded\)/);
  });

  it('--exclude takes globs below the folder named, a slash-less glob matching names; repeatable; a named file is always scanned', async () => {
    const r = await scan([root, '--exclude', '**/fixtures/**', '--exclude', '*.ts', '--json']);
    assert.deepEqual(scanned(r.json!), ['app/agent.py', 'app/agent_test.py', 'app/conftest.py', 'app/tests/test_agent.py']);
    const named = await scan([join(root, 'web/chat.test.ts'), '--skip-tests', '--json']);
    assert.deepEqual(scanned(named.json!), ['web/chat.test.ts']);
  });

  // break34b: `--exclude fixtures`, `web/fixtures`, `web/fixtures/` (a folder, as .gitignore reads them), `/app/tests`
  // (anchored at the folder named) and the folder's own absolute path left nothing out (0 excluded, no word of it).
  it('a folder named by its name, its path, its path with a slash, anchored with a leading slash or by its absolute path is left out whole', async () => {
    const cases: Array<[string, string[]]> = [
      ['fixtures', ['web/fixtures/sample.py']],
      ['web/fixtures', ['web/fixtures/sample.py']],
      ['web/fixtures/', ['web/fixtures/sample.py']],
      ['/app/tests', ['app/tests/test_agent.py']],
      ['/agent.py', []],
      [join(root, 'web') + '/**', ['web/__tests__/chat.ts', 'web/chat.test.ts', 'web/chat.ts', 'web/fixtures/sample.py']],
      [join(root, 'app/tests'), ['app/tests/test_agent.py']],
    ];
    const all = files.filter((f) => !f.endsWith('.md')).sort();
    for (const [glob, left] of cases) {
      const r = await scan([root, '--exclude', glob, '--json']);
      assert.deepEqual(scanned(r.json!), all.filter((f) => !left.includes(f)), glob);
      assert.equal(r.json!.filesExcluded, left.length, glob);
    }
  });

  // break35: `--exclude /`, `./` and the folder's absolute path with a slash crashed ("Expected pattern to be a non-empty
  // string … This is a bug in PepperPy"); `.` left out nothing while the absolute path left out everything.
  it('the folder scanned itself (`/`, `.`, `./`, its absolute path with or without a slash) leaves out every file, and says so', async () => {
    for (const glob of ['/', '.', './', root, `${root}/`, `${root}//`]) {
      const r = await scan([root, '--exclude', glob, '--json']);
      assert.equal(r.code, 0, `${glob}: ${r.err}`);
      assert.deepEqual(scanned(r.json!), [], glob);
      // (guide/notes.md too: it is walked, and holds no prompt.)
      assert.equal(r.json!.filesExcluded, files.length, glob);
    }
  });

  // break35: a `!glob` left out every file it did not match (`--exclude '!app/**'` scanned app/ only, and
  // `--exclude 'app/tests/**' --exclude '!app/tests/test_agent.py'` scanned nothing of app/tests/ nor anything else).
  it('`!glob` takes back in what an earlier glob left out, as .gitignore reads it; alone it leaves out nothing', async () => {
    const all = files.filter((f) => !f.endsWith('.md')).sort();
    const cases: Array<[string[], string[]]> = [
      [['!app/**'], []],
      [['app/tests/**', '!app/tests/test_agent.py'], []],
      [['web', '!web/chat.ts'], ['web/__tests__/chat.ts', 'web/chat.test.ts', 'web/fixtures/sample.py']],
      [['*.ts', '!web/__tests__', 'web/__tests__/*.ts'], ['web/__tests__/chat.ts', 'web/chat.test.ts', 'web/chat.ts']],
    ];
    for (const [globs, left] of cases) {
      const r = await scan([root, ...globs.flatMap((g) => ['--exclude', g]), '--json']);
      assert.deepEqual(scanned(r.json!), all.filter((f) => !left.includes(f)), globs.join(' '));
      assert.equal(r.json!.filesExcluded, left.length, globs.join(' '));
    }
    // With --skip-tests, a `!glob` keeps one test file: the test globs come first.
    const kept = await scan([root, '--skip-tests', '--exclude', '!app/conftest.py', '--json']);
    assert.deepEqual(scanned(kept.json!), ['app/agent.py', 'app/conftest.py', 'web/chat.ts', 'web/fixtures/sample.py']);
    assert.equal(kept.json!.filesExcluded, 4);
  });

  // left35: `prompt scan app/tests --skip-tests` scanned app/tests/helpers.py (the globs read paths below the folder named,
  // where helpers.py is no test file), with no word that the folder named is test code.
  it('--skip-tests on a folder named that is itself a test folder leaves it out whole, and says so; its parent is walked as before', async () => {
    writeFileSync(join(root, 'app/tests/helpers.py'), PROMPT);
    mkdirSync(join(root, 'app/tests/data'), { recursive: true });
    writeFileSync(join(root, 'app/tests/data/prompts.py'), PROMPT);
    try {
      const r = await scan([join(root, 'app/tests'), '--skip-tests', '--json']);
      assert.equal(r.code, 0);
      assert.deepEqual(scanned(r.json!), []);
      assert.equal(r.json!.filesExcluded, 3);
      assert.deepEqual((r.json as unknown as { testFoldersExcluded: string[] }).testFoldersExcluded, [join(root, 'app/tests')]);
      const text = await scan([join(root, 'app/tests'), '--skip-tests']);
      assert.equal(text.out.split('\n')[0], `${join(root, 'app/tests')} is a test folder: --skip-tests leaves out all of it; scan it without --skip-tests to see its prompts`);
      // Without --skip-tests it is scanned; named from its parent, its files are left out by the globs alone.
      assert.deepEqual(scanned((await scan([join(root, 'app/tests'), '--json'])).json!), ['app/tests/data/prompts.py', 'app/tests/helpers.py', 'app/tests/test_agent.py']);
      const parent = await scan([join(root, 'app'), '--skip-tests', '--json']);
      assert.deepEqual(scanned(parent.json!), ['app/agent.py']);
      assert.equal((parent.json as unknown as { testFoldersExcluded?: string[] }).testFoldersExcluded, undefined);
    } finally {
      rmSync(join(root, 'app/tests/helpers.py'));
      rmSync(join(root, 'app/tests/data'), { recursive: true });
    }
  });

  it('a path as the scan prints it (relative to the working directory) is read below the folder, as its absolute path is', async () => {
    // break36: `prompt scan backend --exclude backend/tests` left nothing out (0 excluded, no word of it): the glob was read
    // below backend/ only, and the files it printed were named from the working directory.
    const folder = relative(process.cwd(), root).split(sep).join('/');
    const r = await scan([folder, '--exclude', `${folder}/web/fixtures`, '--exclude', `${folder}/app/tests/**`, '--json']);
    assert.equal(r.code, 0);
    assert.deepEqual(scanned(r.json!), ['app/agent.py', 'app/agent_test.py', 'app/conftest.py', 'web/__tests__/chat.ts', 'web/chat.test.ts', 'web/chat.ts']);
    assert.equal(r.json!.filesExcluded, 2);
    // Re-included the same way, and a glob below the folder still reads as before.
    const back = await scan([folder, '--exclude', 'app/**', '--exclude', `!${folder}/app/agent.py`, '--json']);
    assert.deepEqual(scanned(back.json!).filter((f) => f.startsWith('app/')), ['app/agent.py']);
  });

  it('isTestFolder reads the path as given (relative to the working directory), never the folders above it', () => {
    const cwd = process.cwd();
    assert.equal(isTestFolder('tests'), true);
    assert.equal(isTestFolder('tests/'), true);
    assert.equal(isTestFolder('./backend/tests/unit'), true);
    assert.equal(isTestFolder('backend/__tests__'), true);
    assert.equal(isTestFolder(join(cwd, 'spec', 'models')), true);
    assert.equal(isTestFolder('backend'), false);
    assert.equal(isTestFolder('testing'), false);
    assert.equal(isTestFolder('.'), ['test', 'tests', '__tests__', 'spec'].includes(basename(cwd)));
    // Outside the working directory, only the folder's own name: a checkout under /srv/test/app is no test code.
    assert.equal(isTestFolder(join(dirname(cwd), 'test', 'app')), false);
    assert.equal(isTestFolder(join(dirname(cwd), 'app', 'tests')), true);
    // A relative path that climbs out first: the folders typed after the '..' are named too (was false: only 'unit' was read).
    assert.equal(isTestFolder('../backend/tests/unit'), true);
    assert.equal(isTestFolder('../../tests/e2e/'), true);
    assert.equal(isTestFolder('../backend/app'), false);
    assert.equal(isTestFolder('..'), ['test', 'tests', '__tests__', 'spec'].includes(basename(dirname(cwd))));
  });

  it('an empty glob is a usage error that says what to give', async () => {
    const r = await scan([root, '--exclude', ' ']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--exclude needs a glob, such as tests\/\*\* or \*\.md\./);
  });

  // break37: Django's tests.py (khoj/src/khoj/database/tests.py), Playwright's e2e/ folders (VoltAgent packages/e2e/src/,
  // open-swe tests/e2e/) and Jest's __mocks__/ (Roo-Code/src/__mocks__/) were scanned with --skip-tests.
  it('--skip-tests leaves out Django tests.py, e2e/ and __mocks__/ folders too', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'pepperpy-exclude-more-'));
    const more = ['app/views.py', 'app/tests.py', 'e2e/src/chat.shared.py', 'web/__mocks__/llm.py', 'web/e2e_helpers.py'];
    for (const f of more) {
      mkdirSync(join(tree, f, '..'), { recursive: true });
      writeFileSync(join(tree, f), PROMPT);
    }
    try {
      const r = await scan([tree, '--skip-tests', '--json']);
      assert.deepEqual([...new Set(r.json!.prompts.map((p) => relative(tree, resolve(p.file)).split(sep).join('/')))].sort(), ['app/views.py', 'web/e2e_helpers.py']);
      assert.equal(r.json!.filesExcluded, 3);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
