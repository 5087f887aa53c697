// breakidx37 (session 37): the editor's per-folder indexes (src/extension/prompt/projectImports.ts, projectSchemas.ts)
// under saves and edits while they walk. On real folders in a temporary directory; `sendsOf` is the engine's
// `editor/promptSends` run in process (promptSends), as in importedSends.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesUnder } from '../../../src/extension/prompt/folderFiles';
import { ProjectImportIndexes } from '../../../src/extension/prompt/projectImports';
import { ProjectSchemaIndexes } from '../../../src/extension/prompt/projectSchemas';
import { promptSends } from '../../../src/shared/prompt/scanner/promptSends';

const PROMPTS = 'SYSTEM = "You are a careful assistant. Answer in one short paragraph and cite the sources you used."\n';
const AGENT = 'from anthropic import Anthropic\nfrom .prompts import SYSTEM\nclient = Anthropic()\nclient.messages.create(model="claude-3-5-haiku-20241022", system=SYSTEM, messages=[])\n';

/** Waits (a macrotask at a time) until `ok`; fails after `limit` turns. */
async function until(ok: () => boolean, what: string, limit = 200_000): Promise<void> {
  for (let i = 0; !ok(); i++) {
    if (i > limit) assert.fail(`never: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

interface Internals {
  folders: Map<string, { ready: boolean; walking: boolean; mtimes: Map<string, number>; facts?: Map<string, unknown> }>;
}

describe("the editor's per-folder indexes under saves and edits (breakidx37)", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-idx37-'));
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'prompts.py'), PROMPTS);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** 3,000 other Python files under filler/, read after app/ (the walk reads the folders it lists last first). */
  function filler(): void {
    for (let i = 0; i < 30; i++) {
      const d = path.join(dir, 'a-filler', `p${i}`);
      fs.mkdirSync(d, { recursive: true });
      for (let j = 0; j < 100; j++) fs.writeFileSync(path.join(d, `m${j}.py`), 'import os\n');
    }
  }

  it('imported sends: an import added to a file during the first walk, after the walk read it, is not lost', async () => {
    const agent = path.join(dir, 'app', 'agent.py');
    fs.writeFileSync(agent, 'import os\n');
    filler();
    const index = new ProjectImportIndexes(async (file, text, languageId) => promptSends(text, languageId, file));
    const target = path.join(dir, 'app', 'prompts.py');
    assert.equal(index.forFile(target, dir), undefined);
    const folder = (index as unknown as Internals).folders.get(path.resolve(dir));
    await until(() => folder?.mtimes.has(agent) === true, 'the walk read app/agent.py');
    assert.equal(folder?.ready, false, 'the walk was over before the test could change the file');
    fs.writeFileSync(agent, AGENT);
    fs.utimesSync(agent, new Date(), new Date(Date.now() + 5000));
    await index.fileChanged(agent, dir, 0);
    await index.whenBuilt(dir);
    index.forFile(target, dir);
    await index.whenBuilt(dir);
    assert.deepEqual(index.forFile(target, dir)?.map((s) => `${s.name} ${s.model?.name} ${s.file}`), ['SYSTEM claude-3-5-haiku-20241022 app/agent.py']);
    index.dispose();
  });

  it('project schemas: a class made a route\'s response during the first walk, after the walk read its file, is not lost', async () => {
    const models = path.join(dir, 'app', 'models.py');
    fs.writeFileSync(models, 'from pydantic import BaseModel, Field\nclass Step(BaseModel):\n    id: str = Field(description="The id of the step.")\n');
    const routes = path.join(dir, 'app', 'routes.py');
    fs.writeFileSync(routes, 'import os\n');
    filler();
    const index = new ProjectSchemaIndexes();
    assert.equal(index.forFile(models, 'python', dir), undefined);
    const folder = (index as unknown as Internals).folders.get(path.resolve(dir));
    await until(() => folder?.facts?.has(routes) === true, 'the walk read app/routes.py');
    assert.equal(folder?.ready, false, 'the walk was over before the test could change the file');
    fs.writeFileSync(routes, 'from .models import Step\n@router.get("/steps/{id}", response_model=Step)\ndef get_step(id: str):\n    pass\n');
    fs.utimesSync(routes, new Date(), new Date(Date.now() + 5000));
    await index.fileSaved(routes, dir, 0);
    await index.whenBuilt(dir);
    assert.deepEqual(index.forFile(models, 'python', dir), ['Step']);
    index.dispose();
  });

  it('imported sends: a save that changes no import of a file no document is priced with prices nothing again; an importer\'s save does', async () => {
    const agent = path.join(dir, 'app', 'agent.py');
    fs.writeFileSync(agent, AGENT);
    const other = path.join(dir, 'app', 'other.py');
    fs.writeFileSync(other, 'import os\nx = 1\n');
    let ready = 0;
    const index = new ProjectImportIndexes(async (file, text, languageId) => promptSends(text, languageId, file), () => ready++);
    const target = path.join(dir, 'app', 'prompts.py');
    index.forFile(target, dir);
    await index.whenBuilt(dir);
    index.forFile(target, dir);
    await index.whenBuilt(dir);
    await new Promise((r) => setTimeout(r, 20));
    ready = 0;
    // 50 saves of other.py, its imports the same.
    for (let i = 0; i < 50; i++) {
      fs.writeFileSync(other, `import os\nx = ${i}\n`);
      fs.utimesSync(other, new Date(), new Date(Date.now() + 1000 * (i + 1)));
      await index.fileChanged(other, dir, 0);
    }
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(ready, 0);
    // The sending file saved with another model: the document is priced again with it.
    fs.writeFileSync(agent, AGENT.replace('claude-3-5-haiku-20241022', 'claude-3-opus-20240229'));
    fs.utimesSync(agent, new Date(), new Date(Date.now() + 100_000));
    await index.fileChanged(agent, dir, 0);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(ready, 1);
    index.forFile(target, dir);
    await index.whenBuilt(dir);
    assert.deepEqual(index.forFile(target, dir)?.map((s) => s.model?.name), ['claude-3-opus-20240229']);
    // A file that starts importing the module: priced again.
    await new Promise((r) => setTimeout(r, 20));
    ready = 0;
    fs.writeFileSync(other, 'from .prompts import SYSTEM\nx = 1\n');
    fs.utimesSync(other, new Date(), new Date(Date.now() + 200_000));
    await index.fileChanged(other, dir, 0);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(ready, 1);
    index.dispose();
  });

  it('project schemas: a save that changes none of a file\'s facts scans no document again; one that does, once', async () => {
    const models = path.join(dir, 'app', 'models.py');
    fs.writeFileSync(models, 'from pydantic import BaseModel, Field\nclass Step(BaseModel):\n    id: str = Field(description="The id of the step.")\n');
    let ready = 0;
    const index = new ProjectSchemaIndexes(() => ready++);
    index.forFile(models, 'python', dir);
    await index.whenBuilt(dir);
    ready = 0;
    for (let i = 0; i < 50; i++) {
      fs.writeFileSync(models, `from pydantic import BaseModel, Field\nclass Step(BaseModel):\n    id: str = Field(description="The id of the step, ${i}.")\n`);
      fs.utimesSync(models, new Date(), new Date(Date.now() + 1000 * (i + 1)));
      await index.fileSaved(models, dir, 0);
    }
    assert.equal(ready, 0);
    const routes = path.join(dir, 'app', 'routes.py');
    fs.writeFileSync(routes, 'from .models import Step\n@router.get("/steps/{id}", response_model=Step)\ndef get_step(id: str):\n    pass\n');
    await index.fileSaved(routes, dir, 0);
    assert.equal(ready, 1);
    assert.deepEqual(index.forFile(models, 'python', dir), ['Step']);
    index.dispose();
  });

  /** Counts the folder listings the indexes make (folderFiles.ts reads `fs.promises.readdir`). */
  async function listings<T>(run: () => Promise<T>): Promise<number> {
    const promises = fs.promises as unknown as { readdir: (...args: unknown[]) => Promise<unknown> };
    const original = promises.readdir;
    let n = 0;
    promises.readdir = (...args: unknown[]) => {
      n++;
      return original.apply(fs.promises, args);
    };
    try {
      await run();
    } finally {
      promises.readdir = original;
    }
    return n;
  }

  it('a file in node_modules or .venv, asked for or saved, walks nothing and is not indexed (it walked the folder again per file)', async () => {
    for (const f of ['node_modules/pkg/index.js', 'node_modules/pkg/lib/prompts.js', '.venv/lib/site-packages/pkg/prompts.py', '.venv/lib/site-packages/pkg/agent.py']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), f.endsWith('.py') ? AGENT : 'const { SYSTEM } = require("./lib/prompts");\n');
    }
    const imports = new ProjectImportIndexes(async (file, text, languageId) => promptSends(text, languageId, file));
    const schemas = new ProjectSchemaIndexes();
    imports.forFile(path.join(dir, 'app', 'prompts.py'), dir);
    schemas.forFile(path.join(dir, 'app', 'prompts.py'), 'python', dir);
    await imports.whenBuilt(dir);
    await schemas.whenBuilt(dir);
    const n = await listings(async () => {
      for (const f of ['node_modules/pkg/index.js', 'node_modules/pkg/lib/prompts.js', '.venv/lib/site-packages/pkg/prompts.py', '.venv/lib/site-packages/pkg/agent.py']) {
        const file = path.join(dir, f);
        imports.forFile(file, dir);
        schemas.forFile(file, 'python', dir);
        await imports.fileChanged(file, dir, 0);
        await schemas.fileSaved(file, dir, 0);
        await imports.whenBuilt(dir);
        await schemas.whenBuilt(dir);
      }
    });
    assert.equal(n, 0);
    // The .venv's agent.py, saved, did not become an importer of its prompts.py.
    assert.deepEqual(imports.forFile(path.join(dir, '.venv/lib/site-packages/pkg/prompts.py'), dir), []);
    imports.dispose();
    schemas.dispose();
  });

  it('a folder with more files than the index takes is not walked again for each file asked for', async () => {
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, 'app', `m${i}.py`), 'import os\n');
    const imports = new ProjectImportIndexes(async (file, text, languageId) => promptSends(text, languageId, file), () => undefined, 3);
    const schemas = new ProjectSchemaIndexes(() => undefined, 3);
    const first = await listings(async () => {
      imports.forFile(path.join(dir, 'app', 'm0.py'), dir);
      schemas.forFile(path.join(dir, 'app', 'm0.py'), 'python', dir);
      await imports.whenBuilt(dir);
      await schemas.whenBuilt(dir);
    });
    // The two walks list the folder and app/.
    assert.equal(first, 4);
    const again = await listings(async () => {
      for (let i = 1; i < 5; i++) {
        imports.forFile(path.join(dir, 'app', `m${i}.py`), dir);
        schemas.forFile(path.join(dir, 'app', `m${i}.py`), 'python', dir);
        await imports.whenBuilt(dir);
        await schemas.whenBuilt(dir);
      }
    });
    assert.equal(again, 0);
    imports.dispose();
    schemas.dispose();
  });

  it('a folder removed from the workspace is forgotten: added again, it is walked again and sees what changed meanwhile', async () => {
    const agent = path.join(dir, 'app', 'agent.py');
    fs.writeFileSync(agent, AGENT);
    const index = new ProjectImportIndexes(async (file, text, languageId) => promptSends(text, languageId, file));
    const target = path.join(dir, 'app', 'prompts.py');
    index.forFile(target, dir);
    await index.whenBuilt(dir);
    index.forFile(target, dir);
    await index.whenBuilt(dir);
    assert.deepEqual(index.forFile(target, dir)?.map((s) => s.model?.name), ['claude-3-5-haiku-20241022']);
    // Removed; agent.py changed while it was out of the workspace (no watcher event reaches the index).
    index.forget(dir);
    fs.writeFileSync(agent, AGENT.replace('claude-3-5-haiku-20241022', 'claude-3-opus-20240229'));
    fs.utimesSync(agent, new Date(), new Date(Date.now() + 5000));
    // Added again: built anew.
    assert.equal(index.forFile(target, dir), undefined);
    await index.whenBuilt(dir);
    index.forFile(target, dir);
    await index.whenBuilt(dir);
    assert.deepEqual(index.forFile(target, dir)?.map((s) => s.model?.name), ['claude-3-opus-20240229']);
    index.dispose();
  });

  it('a walk lists at most 20 entries per file it may take: a folder of data files is too large, not listed whole', async () => {
    fs.mkdirSync(path.join(dir, 'data'));
    const images = (n: number): void => {
      for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, 'data', `img${i}.png`), '');
    };
    // Listed: the folder (app, data), app (prompts.py) and data's images; max 5 files, so 100 entries.
    images(97);
    assert.deepEqual(await filesUnder(dir, (name) => name.endsWith('.py'), 5), [path.join(dir, 'app', 'prompts.py')]);
    images(98);
    assert.equal(await filesUnder(dir, (name) => name.endsWith('.py'), 5), undefined);
    // More files than the maximum: too large too.
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, 'app', `m${i}.py`), '');
    fs.rmSync(path.join(dir, 'data'), { recursive: true });
    assert.equal(await filesUnder(dir, (name) => name.endsWith('.py'), 5), undefined);
    assert.equal((await filesUnder(dir, (name) => name.endsWith('.py'), 6))?.length, 6);
  });
});
