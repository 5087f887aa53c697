// Imported sends left by breakimp36 (session 36), on what real repositories do:
// 1. A test's mock sets "the file's one model": FoundationAgents/MetaGPT (MIT, 1dfce070) tests/metagpt/tools/test_ut_writer.py
//    imports YFT_PROMPT_PREFIX from metagpt/tools/ut_writer.py and passes it to UTGenerator(template_prefix=…); its only
//    model is a canned `ChatCompletion(model="gpt-4-turbo", …)` answer (line 59). `prompt scan` priced ut_writer.py's
//    prompt with gpt-4-turbo, "sent from test_ut_writer.py".
// 2. A Python absolute import that several files match: MetaGPT's `from metagpt.actions import …` matches both
//    metagpt/actions/__init__.py and tests/metagpt/actions/__init__.py; agno's `from db import …` in
//    cookbook/01_demo/agents/ matches thirty db.py files under cookbook/90_models/. The first by path was taken.
// Oracle: the files and Python's import rule (the running script's folder first), read by hand.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { combineSends, importerIsTest, ImportResolver, promptSends } from '../../../src/shared/prompt/scanner/promptSends';
import { spawnSync } from 'node:child_process';
import { distDir } from '../../helpers/paths';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => fs.readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('imported sends: a test\'s mock model, and an absolute import several files match', function () {
  this.timeout(120_000);

  it('MetaGPT test_ut_writer.py: its mock\'s model does not price ut_writer.py\'s prompt (was gpt-4-turbo)', () => {
    const sends = promptSends(fixture('metagpt_test_ut_writer.py'), 'python', 'tests/metagpt/tools/test_ut_writer.py').filter((s) => s.name === 'YFT_PROMPT_PREFIX');
    assert.deepEqual(sends, [{ module: 'metagpt.tools.ut_writer', name: 'YFT_PROMPT_PREFIX', line: 25, model: { name: 'gpt-4-turbo', line: 59, how: 'file' }, provider: 'openai' }]);
    assert.deepEqual(combineSends([{ file: 'tests/metagpt/tools/test_ut_writer.py', sends, test: true }]), []);
    // The same send from app code stands.
    assert.deepEqual(combineSends([{ file: 'metagpt/tools/run.py', sends, test: false }]).map((s) => [s.name, s.model?.name]), [['YFT_PROMPT_PREFIX', 'gpt-4-turbo']]);
    // A test's call that names the model stands too.
    const call = [{ ...sends[0], model: { name: 'gpt-4o', line: 70, how: 'call' as const } }];
    assert.deepEqual(combineSends([{ file: 'tests/test_a.py', sends: call, test: true }]).map((s) => s.model?.name), ['gpt-4o']);
  });

  it('prompt scan: ut_writer.py\'s prompt is priced with the default, not the test\'s mock', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-resolve-'));
    try {
      fs.mkdirSync(path.join(dir, 'metagpt/tools'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'tests/metagpt/tools'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'metagpt/tools/ut_writer.py'), fixture('metagpt_ut_writer.py'));
      fs.writeFileSync(path.join(dir, 'tests/metagpt/tools/test_ut_writer.py'), fixture('metagpt_test_ut_writer.py'));
      const r = spawnSync(process.execPath, [path.join(distDir, 'cli.js'), 'prompt', 'scan', '.', '--json'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const prompts = (JSON.parse(r.stdout) as { prompts: Array<{ file: string; model: string; modelSource: string; boundName?: string }> }).prompts;
      const yft = prompts.filter((p) => p.file === 'metagpt/tools/ut_writer.py' && p.boundName === 'YFT_PROMPT_PREFIX').map((p) => `${p.model} ${p.modelSource}`);
      assert.deepEqual(yft, ['gpt-5.4 default']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('importerIsTest reads the path below the folder both files share', () => {
    assert.equal(importerIsTest('/w/test/fixtures/app/tests/metagpt/tools/test_ut_writer.py', '/w/test/fixtures/app/metagpt/tools/ut_writer.py'), true);
    assert.equal(importerIsTest('/w/test/proj/src/agent.py', '/w/test/proj/src/prompts.py'), false);
    assert.equal(importerIsTest('/w/app/src/chat.spec.ts', '/w/app/src/prompts.ts'), true);
    assert.equal(importerIsTest('/w/app/tests_helpers/run.py', '/w/app/prompts.py'), false);
    assert.equal(importerIsTest('C:\\w\\app\\__tests__\\a.ts', 'C:\\w\\app\\prompts.ts'), true);
  });

  it('ImportResolver: of several files an absolute import matches, the nearest root holding the importer, else none', () => {
    const files = ['/p/metagpt/actions/__init__.py', '/p/tests/metagpt/actions/__init__.py', '/p/examples/run.py', '/p/tests/metagpt/actions/test_x.py'];
    const r = new ImportResolver(files);
    assert.equal(r.resolves('metagpt.actions', '/p/examples/run.py', '/p/metagpt/actions/__init__.py'), true);
    assert.equal(r.resolves('metagpt.actions', '/p/examples/run.py', '/p/tests/metagpt/actions/__init__.py'), false);
    assert.equal(r.resolves('metagpt.actions', '/p/tests/metagpt/actions/test_x.py', '/p/tests/metagpt/actions/__init__.py'), true);
    assert.equal(r.resolves('metagpt.actions', '/p/tests/metagpt/actions/test_x.py', '/p/metagpt/actions/__init__.py'), false);
    // agno: thirty db.py under cookbook/90_models/, none holding the importer: none is it.
    const agno = ['/a/cookbook/90_models/openai/db.py', '/a/cookbook/90_models/groq/db.py', '/a/cookbook/01_demo/agents/x.py'];
    const ra = new ImportResolver(agno);
    assert.equal(ra.resolves('db', '/a/cookbook/01_demo/agents/x.py', '/a/cookbook/90_models/openai/db.py'), false);
    assert.equal(ra.resolves('db', '/a/cookbook/01_demo/agents/x.py', '/a/cookbook/90_models/groq/db.py'), false);
    // One that holds it wins; a single match stands whatever its folder (an installed monorepo package).
    const rb = new ImportResolver([...agno, '/a/cookbook/01_demo/db.py']);
    assert.equal(rb.resolves('db', '/a/cookbook/01_demo/agents/x.py', '/a/cookbook/01_demo/db.py'), true);
    assert.equal(rb.resolves('db', '/a/cookbook/01_demo/agents/x.py', '/a/cookbook/90_models/groq/db.py'), false);
    const rc = new ImportResolver(['/m/packages/core/src/dbgpt/prompts.py', '/m/packages/app/src/dbgpt_app/run.py']);
    assert.equal(rc.resolves('dbgpt.prompts', '/m/packages/app/src/dbgpt_app/run.py', '/m/packages/core/src/dbgpt/prompts.py'), true);
    // Relative imports and TypeScript are as importTargets says.
    assert.equal(r.resolves('.actions', '/p/metagpt/run.py', '/p/metagpt/actions/__init__.py'), true);
    assert.equal(new ImportResolver([]).resolves('./prompts', '/t/src/a.ts', '/t/src/prompts.ts'), true);
  });

  // break37: what the resolver and importerIsTest did with real layouts.
  it('ImportResolver: a package and a module file on one root are the package, as Python takes it (was the module file)', () => {
    const files = ['/p/pkg/prompts.py', '/p/pkg/prompts/__init__.py', '/p/pkg/agent.py'];
    const r = new ImportResolver(files);
    assert.equal(r.resolves('pkg.prompts', '/p/pkg/agent.py', '/p/pkg/prompts/__init__.py'), true);
    assert.equal(r.resolves('pkg.prompts', '/p/pkg/agent.py', '/p/pkg/prompts.py'), false);
    // Listed the other way round, the same.
    const rr = new ImportResolver([...files].reverse());
    assert.equal(rr.resolves('pkg.prompts', '/p/pkg/agent.py', '/p/pkg/prompts/__init__.py'), true);
  });

  // openai/openai-agents-python (MIT, 7f7a44f8): examples/agent_patterns/agents_as_tools.py has `from agents import Agent, …`,
  // the SDK installed from openai-agents-python/src/agents/; three example folders have an `agents` module of their own, none holding the
  // importer. 325 of 352 ambiguous absolute imports of the repository resolved to none (node script over its 920 Python files).
  it('ImportResolver: no root holds the importer, one file is read from a src folder: the installed src-layout package (was none)', () => {
    const files = ['/o/examples/financial_research_agent/agents/__init__.py', '/o/examples/realtime/twilio_sip/agents.py', '/o/examples/research_bot/agents/__init__.py', '/o/src/agents/__init__.py', '/o/examples/agent_patterns/agents_as_tools.py'];
    const r = new ImportResolver(files);
    assert.deepEqual(files.slice(0, 4).filter((f) => r.resolves('agents', '/o/examples/agent_patterns/agents_as_tools.py', f)), ['/o/src/agents/__init__.py']);
    // examples/research_bot/ is a package (its __init__.py): manager.py's `from agents import Runner` is the SDK too (its own
    // package it imports as `.agents`); it was examples/research_bot/agents/, the root holding it. A folder that is no
    // package is still read first.
    assert.deepEqual(files.slice(0, 4).filter((f) => r.resolves('agents', '/o/examples/research_bot/manager.py', f)), ['/o/examples/research_bot/agents/__init__.py']);
    const withPackages = [...files, '/o/examples/__init__.py', '/o/examples/research_bot/__init__.py', '/o/examples/financial_research_agent/__init__.py', '/o/examples/realtime/twilio_sip/__init__.py'];
    const rpk = new ImportResolver(withPackages);
    assert.deepEqual(files.slice(0, 4).filter((f) => rpk.resolves('agents', '/o/examples/research_bot/manager.py', f)), ['/o/src/agents/__init__.py']);
    assert.deepEqual(files.slice(0, 4).filter((f) => rpk.resolves('agents', '/o/examples/agent_patterns/agents_as_tools.py', f)), ['/o/src/agents/__init__.py']);
    // A monorepo's app importing another package's src layout; two src roots are no answer; a root that is no src none.
    const m = ['/m/packages/core/src/dbgpt/prompts.py', '/m/examples/dbgpt/prompts.py', '/m/apps/web/run.py'];
    const rm = new ImportResolver(m);
    assert.deepEqual(m.filter((f) => rm.resolves('dbgpt.prompts', '/m/apps/web/run.py', f)), ['/m/packages/core/src/dbgpt/prompts.py']);
    const two = [...m, '/m/packages/extra/src/dbgpt/prompts.py'];
    const rt = new ImportResolver(two);
    assert.deepEqual(two.filter((f) => rt.resolves('dbgpt.prompts', '/m/apps/web/run.py', f)), []);
    // pipecat (BSD-2-Clause): tests/test_azure_stt.py's `import types` is the standard library, not pipecat/src/pipecat/flows/types.py.
    const pc = ['/c/src/pipecat/flows/types.py', '/c/src/pipecat/utils/types.py', '/c/tests/test_azure_stt.py'];
    const rp = new ImportResolver(pc);
    assert.deepEqual(pc.filter((f) => rp.resolves('types', '/c/tests/test_azure_stt.py', f)), []);
  });

  it('importerIsTest: Django tests.py, e2e/ and __mocks__/ folders, and a drive letter of another case', () => {
    // khoj-ai/khoj/src/khoj/database/tests.py; VoltAgent packages/e2e/src/; RooCodeInc/Roo-Code/src/__mocks__/.
    assert.equal(importerIsTest('/k/src/khoj/database/tests.py', '/k/src/khoj/processor/conversation/prompts.py'), true);
    assert.equal(importerIsTest('/v/packages/e2e/src/message-persistence.shared.ts', '/v/packages/core/src/prompts.ts'), true);
    assert.equal(importerIsTest('/r/src/__mocks__/vscode.js', '/r/src/core/prompts/responses.ts'), true);
    assert.equal(importerIsTest('/p/app/x.test.py', '/p/app/prompts.py'), true);
    assert.equal(importerIsTest('c:\\w\\test\\proj\\src\\agent.py', 'C:\\w\\test\\proj\\src\\prompts.py'), false);
    // Not test code: a `testing/` package of a library, a `specs/` folder.
    assert.equal(importerIsTest('/o/src/agents/testing/model.py', '/o/src/agents/prompts.py'), false);
    assert.equal(importerIsTest('/p/app/specs/x.ts', '/p/app/prompts.ts'), false);
  });
});
