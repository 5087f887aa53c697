// A prompt module priced with the model of the file that imports and sends its prompts (newuser35's report on
// langchain-ai/open-canvas, MIT, commit 0310cecd51f31b3d37a52d6d1060137da3405280, test/fixtures/open-canvas/SOURCES.md):
// apps/agents/src/reflection/prompts.ts exports REFLECT_SYSTEM_PROMPT and names no model; reflection/index.ts imports it
// from "./prompts.js" and sends it (through `formattedSystemPrompt = REFLECT_SYSTEM_PROMPT.replace(…)`) to
// `new ChatAnthropic({ model: "claude-3-5-sonnet-20240620" })` (line 51), the one model that file sets. The lens of
// prompts.ts said gpt-5.4 (`pepperpy.defaultModel`). thread-title/index.ts sends TITLE_SYSTEM_PROMPT with gpt-4o-mini
// (line 38). Oracle: the files read by hand.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ImportedSend } from '../../../src/protocol/hints';
import { fitForRequest, ProjectImportIndexes } from '../../../src/extension/prompt/projectImports';
import { ImportedSendSchema } from '../../../src/protocol/hints';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { chooseModel } from '../../../src/shared/hints/modelChoice';
import { combineSends, importedModules, importTargets, promptSends } from '../../../src/shared/prompt/scanner/promptSends';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { distDir } from '../../helpers/paths';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => fs.readFileSync(path.join(root, 'test/fixtures/open-canvas', name), 'utf8');

describe('a prompt module priced with the model of the file that sends it (imported sends)', function () {
  this.timeout(60_000);

  it('promptSends: open-canvas reflection/index.ts sends REFLECT_* from ./prompts.js with its only model, claude-3-5-sonnet (line 51)', () => {
    const sends = promptSends(fixture('reflection-index.ts.txt'), 'typescript', 'index.ts').filter((s) => s.module === './prompts.js');
    assert.deepEqual(sends, [
      { module: './prompts.js', name: 'REFLECT_SYSTEM_PROMPT', line: 12, model: { name: 'claude-3-5-sonnet-20240620', line: 51, how: 'file' }, provider: 'anthropic' },
      { module: './prompts.js', name: 'REFLECT_USER_PROMPT', line: 12, model: { name: 'claude-3-5-sonnet-20240620', line: 51, how: 'file' }, provider: 'anthropic' },
    ]);
    const title = promptSends(fixture('thread-title-index.ts.txt'), 'typescript', 'index.ts').find((s) => s.name === 'TITLE_SYSTEM_PROMPT');
    assert.deepEqual(title, { module: './prompts.js', name: 'TITLE_SYSTEM_PROMPT', line: 13, model: { name: 'gpt-4o-mini', line: 38, how: 'file' }, provider: 'openai' });
  });

  it('promptSends: the call that sends the name, an alias, a Python relative import; unused names and packages left out', () => {
    const py = [
      'from anthropic import Anthropic',
      'from .prompts import SYSTEM as S, UNUSED',
      'from openai import OpenAI',
      'client = Anthropic()',
      'def ask(q):',
      '    return client.messages.create(model="claude-sonnet-4-5", system=S, max_tokens=100, messages=[{"role": "user", "content": q}])',
    ].join('\n');
    // (Python cannot tell a package from a project module by its import: `anthropic` is a send too, which no project file matches.)
    assert.deepEqual(promptSends(py, 'python', 'agent.py').filter((s) => s.module === '.prompts'), [{ module: '.prompts', name: 'SYSTEM', local: 'S', line: 6, model: { name: 'claude-sonnet-4-5', line: 6, how: 'call' }, provider: 'anthropic' }]);
    // A file that sends it with no model it names: the provider of its call.
    const ts = ['import Anthropic from "@anthropic-ai/sdk";', 'import { SYSTEM } from "@/lib/prompts";', 'const c = new Anthropic();', 'export const ask = (model: string) => c.messages.create({ model, system: SYSTEM, max_tokens: 9, messages: [] });'].join('\n');
    assert.deepEqual(promptSends(ts, 'typescript', 'a.ts'), [{ module: '@/lib/prompts', name: 'SYSTEM', line: 4, provider: 'anthropic' }]);
    assert.deepEqual(promptSends('import { x } from "openai";\nx(1);', 'typescript', 'a.ts'), []);
    // A module imported whole, read through its members: `from . import prompts`, `import * as P from "./prompts"`.
    const whole = ['from anthropic import Anthropic', 'from . import prompts', 'client = Anthropic()', 'def ask(q):', '    return client.messages.create(model="claude-sonnet-4-5", system=prompts.SYSTEM, max_tokens=100, messages=[{"role": "user", "content": q}])'].join('\n');
    assert.deepEqual(promptSends(whole, 'python', 'agent.py').filter((s) => s.module === '.prompts'), [{ module: '.prompts', name: 'SYSTEM', line: 5, model: { name: 'claude-sonnet-4-5', line: 5, how: 'call' }, provider: 'anthropic' }]);
    const star = ['import OpenAI from "openai";', 'import * as P from "./prompts.js";', 'const c = new OpenAI();', 'c.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "system", content: P.SYSTEM }] });'].join('\n');
    assert.deepEqual(promptSends(star, 'typescript', 'a.ts'), [{ module: './prompts.js', name: 'SYSTEM', line: 4, model: { name: 'gpt-4o-mini', line: 4, how: 'call' }, provider: 'openai' }]);
    assert.deepEqual(promptSends('not ( valid', 'python', 'a.py'), []);
  });

  it('importTargets: relative modules resolved, .js for .ts, index and __init__, project paths end the target; others do not', () => {
    assert.equal(importTargets('./prompts.js', '/p/src/reflection/index.ts', '/p/src/reflection/prompts.ts'), true);
    assert.equal(importTargets('../prompts', '/p/src/nodes/a.ts', '/p/src/prompts.ts'), true);
    assert.equal(importTargets('../prompts', '/p/src/nodes/a.ts', '/p/src/nodes/prompts.ts'), false);
    assert.equal(importTargets('./lib', '/p/src/a.ts', '/p/src/lib/index.ts'), true);
    assert.equal(importTargets('@/agent/prompts', '/p/src/model/llm.ts', '/p/src/agent/prompts.ts'), true);
    assert.equal(importTargets('@/agent/prompts', '/p/src/model/llm.ts', '/p/src/other/prompts.ts'), false);
    assert.equal(importTargets('.prompts', '/p/app/agent.py', '/p/app/prompts.py'), true);
    assert.equal(importTargets('..prompts', '/p/app/sub/agent.py', '/p/app/prompts.py'), true);
    assert.equal(importTargets('.prompts', '/p/app/sub/agent.py', '/p/app/prompts.py'), false);
    assert.equal(importTargets('app.prompts', '/p/x/agent.py', '/p/app/prompts/__init__.py'), true);
    assert.equal(importTargets('myapp.prompts', '/p/x/agent.py', '/p/app/prompts.py'), false);
    assert.deepEqual(importedModules('from .prompts import A\nimport { B } from "./b.js";\nconst c = require("./c");\nimport "./d";'), ['.prompts', '.prompts.A', './b.js', './c', './d']);
    assert.deepEqual(importedModules('from . import prompts, tools\nimport app.prompts as P\nfrom app.agents import prompts as ap'), ['.', '.prompts', '.tools', 'app.prompts', 'app.agents', 'app.agents.prompts']);
  });

  it('combineSends: the first file naming a model by its call wins; others count the files with another model', () => {
    const send = (name: string, model: string | undefined, how: 'call' | 'file' = 'call') => ({ module: './p', name, line: 3, ...(model ? { model: { name: model, line: 2, how } } : {}), provider: 'openai' });
    assert.deepEqual(
      combineSends([
        { file: 'a.ts', sends: [send('P', 'gpt-4o', 'file'), send('Q', undefined)] },
        { file: 'b.ts', sends: [send('P', 'gpt-4o-mini')] },
        { file: 'c.ts', sends: [send('P', 'gpt-4o')] },
      ]),
      [
        { name: 'P', file: 'b.ts', line: 3, model: { name: 'gpt-4o-mini', line: 2, how: 'call' }, provider: 'openai', others: 2 },
        { name: 'Q', file: 'a.ts', line: 3, provider: 'openai' },
      ],
    );
  });

  it('fitForRequest: a send the hints request would refuse is left out or shortened (one odd file never fails the hints)', () => {
    const ok: ImportedSend = { name: 'P', file: 'a.ts', line: 1, model: { name: 'gpt-4o', line: 1, how: 'call' } };
    const fitted = fitForRequest([ok, { ...ok, name: 'N'.repeat(201) }, { ...ok, model: { name: 'm'.repeat(201), line: 1, how: 'call' } }, { ...ok, provider: 'p'.repeat(51) }, { ...ok, file: `${'d/'.repeat(400)}x.ts` }]);
    assert.equal(fitted.length, 2);
    assert.equal(fitted[1].file.length, 600);
    for (const s of fitted) assert.ok(ImportedSendSchema.safeParse(s).success);
    assert.equal(fitForRequest(Array.from({ length: 1500 }, (_, i) => ({ ...ok, name: `P${i}` }))).length, 1000);
  });

  it('chooseModel: the sending file\'s model (source imported), its provider\'s default, and the prompt\'s own call first', () => {
    const [loc] = findPrompts('export const SYSTEM_PROMPT = `You are a careful assistant. Answer the question in two sentences, citing the source.`;', 'typescript', { fileName: 'prompts.ts' });
    assert.equal(loc.boundName, 'SYSTEM_PROMPT');
    const sent: ImportedSend = { name: 'SYSTEM_PROMPT', file: 'app/agent.ts', line: 9, model: { name: 'claude-sonnet-4-5', line: 4, how: 'call' }, provider: 'anthropic' };
    assert.deepEqual(chooseModel(loc, { defaultModel: 'gpt-5.4', importedSends: [sent] }), { model: 'claude-sonnet-4-5', source: 'imported', via: 'sent from app/agent.ts (line 4)' });
    assert.deepEqual(chooseModel(loc, { defaultModel: 'gpt-5.4', importedSends: [{ ...sent, model: { name: 'gpt-4o', line: 2, how: 'file' }, others: 1 }] }), {
      model: 'gpt-4o',
      source: 'imported',
      via: 'the only model set in app/agent.ts (line 2), which imports it; 1 other file sends it with another model',
    });
    const { model: _m, ...providerOnly } = sent;
    void _m;
    assert.deepEqual(chooseModel(loc, { defaultModel: 'gpt-5.4', importedSends: [providerOnly] }), { model: 'claude-sonnet-4-5', source: 'provider', via: "Anthropic's default model (pepperpy.defaultModels; app/agent.ts sends it)" });
    assert.deepEqual(chooseModel(loc, { defaultModel: 'gpt-5.4', importedSends: [{ ...sent, name: 'OTHER' }] }), { model: 'gpt-5.4', source: 'default', via: 'pepperpy.defaultModel' });
    const [own] = findPrompts('const r = client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "system", content: "You are a careful assistant. Answer the question in two sentences." }] });', 'typescript', { fileName: 'a.ts' });
    assert.equal(chooseModel(own, { defaultModel: 'gpt-5.4', importedSends: [{ ...sent, name: own.boundName ?? 'x' }] }).model, 'gpt-4o-mini');
  });

  it('hints: open-canvas reflection/prompts.ts priced with claude-3-5-sonnet from reflection/index.ts (was gpt-5.4, default)', async () => {
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const importedSends = combineSends([{ file: 'apps/agents/src/reflection/index.ts', sends: promptSends(fixture('reflection-index.ts.txt'), 'typescript', 'index.ts') }]);
    const params = { text: fixture('reflection-prompts.ts.txt'), languageId: 'typescript', fileName: 'prompts.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false };
    const before = (await service.compute(params)).prompts.find((h) => h.location.boundName === 'REFLECT_SYSTEM_PROMPT');
    assert.equal(before?.model, 'gpt-5.4');
    const after = (await service.compute({ ...params, importedSends })).prompts.find((h) => h.location.boundName === 'REFLECT_SYSTEM_PROMPT');
    assert.equal(after?.model, 'claude-3-5-sonnet-20240620');
    assert.equal(after?.modelSource, 'imported');
    assert.equal(after?.modelVia, 'the only model set in apps/agents/src/reflection/index.ts (line 51), which imports it');
  });

  describe('on the real files laid out as in the repository', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-imports-'));
      for (const [from, to] of [
        ['reflection-index.ts.txt', 'apps/agents/src/reflection/index.ts'],
        ['reflection-prompts.ts.txt', 'apps/agents/src/reflection/prompts.ts'],
        ['thread-title-index.ts.txt', 'apps/agents/src/thread-title/index.ts'],
        ['thread-title-prompts.ts.txt', 'apps/agents/src/thread-title/prompts.ts'],
      ]) {
        fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
        fs.writeFileSync(path.join(dir, to), fixture(from));
      }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('the editor\'s index finds the importing file and what it sends (undefined until it is built, then onReady)', async () => {
      const ready: string[] = [];
      const index = new ProjectImportIndexes(async (file, text, languageId) => promptSends(text, languageId, file), (folder) => ready.push(folder));
      const target = path.join(dir, 'apps/agents/src/reflection/prompts.ts');
      // Passive (a file priced unopened, Plan Cost Reduction): nothing known yet, and nothing started.
      assert.equal(index.forFile(target, dir, { passive: true }), undefined);
      assert.equal(ready.length, 0);
      assert.equal(index.forFile(target, dir), undefined);
      await index.whenBuilt(dir);
      index.forFile(target, dir);
      await index.whenBuilt(dir);
      assert.deepEqual(index.forFile(target, dir), [
        { name: 'REFLECT_SYSTEM_PROMPT', file: 'apps/agents/src/reflection/index.ts', line: 12, model: { name: 'claude-3-5-sonnet-20240620', line: 51, how: 'file' }, provider: 'anthropic' },
        { name: 'REFLECT_USER_PROMPT', file: 'apps/agents/src/reflection/index.ts', line: 12, model: { name: 'claude-3-5-sonnet-20240620', line: 51, how: 'file' }, provider: 'anthropic' },
      ]);
      assert.deepEqual(index.forFile(target, dir, { passive: true })?.map((s) => s.name), ['REFLECT_SYSTEM_PROMPT', 'REFLECT_USER_PROMPT']);
      // A file no other file imports: nothing sent.
      assert.deepEqual(index.forFile(path.join(dir, 'apps/agents/src/reflection/index.ts'), dir), []);
      assert.ok(ready.length >= 1);
      // The sending file changed on disk with no watcher event: found on the next check, read again, and followed.
      assert.equal(await index.importersChanged(target, dir), false);
      const sender = path.join(dir, 'apps/agents/src/reflection/index.ts');
      fs.writeFileSync(sender, fixture('reflection-index.ts.txt').replace('"claude-3-5-sonnet-20240620"', '"claude-3-haiku-20240307"'));
      fs.utimesSync(sender, new Date(), new Date(Date.now() + 5000));
      assert.equal(await index.importersChanged(target, dir), true);
      index.forFile(target, dir);
      await index.whenBuilt(dir);
      assert.deepEqual(index.forFile(target, dir)?.map((s) => s.model?.name), ['claude-3-haiku-20240307', 'claude-3-haiku-20240307']);
      fs.writeFileSync(sender, fixture('reflection-index.ts.txt'));
      // Outside a workspace folder, or not a source file: no answer.
      assert.equal(index.forFile(target, undefined), undefined);
      assert.equal(index.forFile(path.join(dir, 'README.md'), dir), undefined);
      index.dispose();
    });

    it('files written after the index was built, with no watcher event, are found when the prompt module is asked for', async () => {
      const index = new ProjectImportIndexes(async (file, text, languageId) => promptSends(text, languageId, file));
      await index.whenBuilt(dir);
      const later = path.join(dir, 'later', 'reflection');
      fs.mkdirSync(later, { recursive: true });
      fs.writeFileSync(path.join(later, 'index.ts'), fixture('reflection-index.ts.txt'));
      fs.writeFileSync(path.join(later, 'prompts.ts'), fixture('reflection-prompts.ts.txt'));
      const target = path.join(later, 'prompts.ts');
      assert.deepEqual(index.forFile(target, dir) ?? [], []);
      await index.whenBuilt(dir);
      index.forFile(target, dir);
      await index.whenBuilt(dir);
      assert.deepEqual(index.forFile(target, dir)?.map((s) => `${s.name} ${s.model?.name} ${s.file}`), [
        'REFLECT_SYSTEM_PROMPT claude-3-5-sonnet-20240620 later/reflection/index.ts',
        'REFLECT_USER_PROMPT claude-3-5-sonnet-20240620 later/reflection/index.ts',
      ]);
      fs.rmSync(path.join(dir, 'later'), { recursive: true, force: true });
      index.dispose();
    });

    it('prompt scan prices the two prompt modules as the files that send them do', () => {
      const r = spawnSync(process.execPath, [path.join(distDir, 'cli.js'), 'prompt', 'scan', 'apps', '--json'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const prompts = (JSON.parse(r.stdout) as { prompts: Array<{ file: string; model: string; modelSource: string; modelVia?: string; name?: string }> }).prompts;
      const modules = prompts.filter((p) => p.file.endsWith('prompts.ts')).map((p) => `${p.file} ${p.model} ${p.modelSource}`);
      assert.deepEqual([...new Set(modules)].sort(), [
        'apps/agents/src/reflection/prompts.ts claude-3-5-sonnet-20240620 imported',
        'apps/agents/src/thread-title/prompts.ts gpt-4o-mini imported',
      ]);
    });
  });
});
