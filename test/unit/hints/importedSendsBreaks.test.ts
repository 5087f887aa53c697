// Breaks of imported sends (session 36, breakimp36), each on what real repositories do.
// 1. A local of the same name shadows the import: FoundationAgents/MetaGPT (MIT, commit
//    1dfce070d29041fbd10dc9deb4a2db48bd5aebc7) tests/metagpt/provider/test_openai.py imports `prompt` from
//    req_resp_const.py (line 21) and, in test_gen_image, binds a local `prompt = 'a logo with word "MetaGPT"'` that it
//    sends to gen_image with model="dall-e-3" (lines 135-137). `prompt scan` priced req_resp_const.py's `prompt = "who are
//    you?"` with dall-e-3, "sent from test_openai.py (line 135)". The imported `prompt` is only passed to a helper.
// 2. A module matched in the other language: DB-GPT's Python tests `from types import …` (the standard library) matched
//    web/components/chart/autoChart/types.ts (189 such pairs in eosphoros-ai/DB-GPT 651fc13e); agno's `import agno`
//    matched a frontend's agno.ts (cookbook/…/frontend/src); a Python `index.py` was read as its folder (MetaGPT's metagpt/rag/factories/index.py
//    matched `metagpt.rag.factories`).
// 3. A path alias matched in another package of a monorepo (`@/prompts` of apps/web read as apps/api/src/prompts.ts).
// Oracle: the files read by hand.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { combineSends, importTargets, promptSends } from '../../../src/shared/prompt/scanner/promptSends';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => fs.readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');
const brief = (src: string, languageId: string, fileName: string, module: RegExp): string[] =>
  promptSends(src, languageId, fileName)
    .filter((s) => module.test(s.module))
    .map((s) => `${s.name} ${s.line} ${s.model ? `${s.model.name}/${s.model.how}` : '-'} ${s.provider ?? '-'}`);

describe('imported sends: breaks (a shadowing local, another language, another package)', function () {
  this.timeout(60_000);

  it('MetaGPT test_openai.py: the local `prompt` sent with dall-e-3 is not the imported one (was dall-e-3, line 135)', async () => {
    const sends = promptSends(fixture('metagpt_test_openai.py'), 'python', 'test_openai.py').filter((s) => s.name === 'prompt');
    assert.deepEqual(sends, [{ module: 'tests.metagpt.provider.req_resp_const', name: 'prompt', line: 21, provider: 'openai' }]);
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const importedSends = combineSends([{ file: 'tests/metagpt/provider/test_openai.py', sends }]);
    const hints = await service.compute({ text: fixture('metagpt_req_resp_const.py'), languageId: 'python', fileName: 'req_resp_const.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false, importedSends });
    const prompt = hints.prompts.find((h) => h.location.boundName === 'prompt');
    assert.deepEqual([prompt?.model, prompt?.modelSource], ['gpt-5.4', 'provider']);
  });

  it('a function\'s own binding shadows the import (parameter, assignment, for, const); a keyword argument does not', () => {
    const py = (...body: string[]): string => ['from openai import OpenAI', 'from .prompts import prompt', 'c = OpenAI()', ...body].join('\n');
    const local = /^\.prompts$/;
    // A keyword argument on its own line (`prompt=prompt,`) sends the import.
    assert.deepEqual(brief(py('def ask(q):', '    return c.completions.create(', '        model="gpt-4o",', '        prompt=prompt,', '    )'), 'python', 'a.py', local), ['prompt 7 gpt-4o/call openai']);
    assert.deepEqual(brief(py('def ask(prompt):', '    return c.completions.create(model="gpt-4o", prompt=prompt)'), 'python', 'a.py', local), []);
    assert.deepEqual(brief(py('def ask(items):', '    for i, prompt in enumerate(items):', '        c.completions.create(model="gpt-4o", prompt=prompt)'), 'python', 'a.py', local), []);
    // The local in one function, the import sent by another.
    assert.deepEqual(brief(py('def ask():', '    prompt = "x"', '    return c.completions.create(model="gpt-4o", prompt=prompt)', 'def two():', '    return c.completions.create(model="gpt-4o-mini", prompt=prompt)'), 'python', 'a.py', local), ['prompt 8 gpt-4o-mini/call openai']);
    // `global prompt`: the module's name, not a local.
    assert.deepEqual(brief(py('def ask():', '    global prompt', '    prompt = prompt + "x"', '    return c.completions.create(model="gpt-4o", prompt=prompt)'), 'python', 'a.py', local), ['prompt 5 gpt-4o/call openai']);
    const ts = (...body: string[]): string => ['import OpenAI from "openai";', 'import { SYSTEM } from "./prompts";', 'const c = new OpenAI();', ...body].join('\n');
    const send = 'c.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM }] })';
    assert.deepEqual(brief(ts('export async function ask() {', '  const SYSTEM = "x";', `  return ${send};`, '}'), 'typescript', 'a.ts', /prompts/), []);
    assert.deepEqual(brief(ts(`export const ask = (SYSTEM: string) => ${send};`), 'typescript', 'a.ts', /prompts/), []);
    assert.deepEqual(brief(ts('export async function ask(q: string) {', `  return ${send};`, '}'), 'typescript', 'a.ts', /prompts/), ['SYSTEM 5 gpt-4o/call openai']);
  });

  it('importTargets: never a file of the other language, a Python index.py is a module, an alias stays in its package', () => {
    assert.equal(importTargets('types', '/p/packages/app/tests/test_api.py', '/p/web/components/chart/types.ts'), false);
    assert.equal(importTargets('agno', '/p/libs/agno/agno/os/router.py', '/p/cookbook/frontend/src/agno.ts'), false);
    assert.equal(importTargets('./prompts', '/p/app/a.ts', '/p/app/prompts.py'), false);
    assert.equal(importTargets('metagpt.rag.factories', '/p/examples/rag/rag_bm.py', '/p/metagpt/rag/factories/index.py'), false);
    assert.equal(importTargets('metagpt.rag.factories', '/p/examples/rag/rag_bm.py', '/p/metagpt/rag/factories/__init__.py'), true);
    assert.equal(importTargets('metagpt.rag.factories.index', '/p/examples/rag/rag_bm.py', '/p/metagpt/rag/factories/index.py'), true);
    // A path alias: the importer's own src (or root), or the src beside its folder; not another app's.
    assert.equal(importTargets('@/prompts', '/p/apps/web/src/chat/a.ts', '/p/apps/api/src/prompts.ts'), false);
    assert.equal(importTargets('@/prompts', '/p/apps/web/src/chat/a.ts', '/p/apps/web/src/prompts.ts'), true);
    assert.equal(importTargets('~/lib/prompts', '/p/apps/web/tests/a.test.ts', '/p/apps/web/src/lib/prompts.ts'), true);
    assert.equal(importTargets('@/lib/prompts', 'C:\\p\\web\\src\\app\\page.tsx', 'C:\\p\\web\\src\\lib\\prompts.ts'), true);
  });
});
