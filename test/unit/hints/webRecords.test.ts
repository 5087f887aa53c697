// The editor's side of "web API records are not prompts" (issue 12, item 6; session 31): the extension indexes a
// workspace folder's Python files off the typing path (ProjectSchemaIndexes), then sends each Python document's
// web-only classes with its hint request; the incremental scanner applies them as findPrompts does. Oracle: the
// real letta and browser-use excerpts of test/fixtures/web-records (SOURCES.md), read by hand — letta's Step is a
// REST response model (no lens on its 31 field descriptions), browser-use's action models are tool parameters.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProjectSchemaIndexes } from '../../../src/extension/prompt/projectSchemas';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';

const root = path.resolve(__dirname, '../../../..');
const fixtures = path.join(root, 'test/fixtures/web-records');

describe("the editor: a project's web API records get no prompt lens (letta), its tool parameter models keep theirs (browser-use)", function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hints = async (file: string, text: string, webOnlyClasses?: string[]): Promise<number[]> => {
    const result = await service.compute({ text, languageId: 'python', fileName: file, uri: `file://${file}`, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...(webOnlyClasses ? { webOnlyClasses } : {}) });
    return result.prompts.map((p) => p.location.range.start.line + 1);
  };

  it("indexes a folder's Python files: letta's Step is web-only in letta/schemas/step.py, not in the test file that defines its own Step", async () => {
    const indexes = new ProjectSchemaIndexes();
    const folder = path.join(fixtures, 'letta');
    const step = path.join(folder, 'letta', 'schemas', 'step.py');
    // Before the folder is indexed: nothing known, the document is judged alone.
    assert.equal(indexes.forFile(step, 'python', folder), undefined);
    await indexes.whenBuilt(folder);
    assert.deepEqual(indexes.forFile(step, 'python', folder), ['Step', 'StepBase']);
    assert.deepEqual(indexes.forFile(path.join(folder, 'tests', 'test_tool_schema_parsing_files', 'list_of_pydantic_example.py'), 'python', folder), []);
    assert.equal(indexes.forFile(step, 'typescript', folder), undefined);
    const browserUse = path.join(fixtures, 'browser-use');
    await indexes.whenBuilt(browserUse);
    assert.deepEqual(indexes.forFile(path.join(browserUse, 'browser_use', 'tools', 'views.py'), 'python', browserUse), []);
  });

  it("step.py: every lens before the index, none with it, and none after an edit (the incremental scan applies it too)", async () => {
    const file = path.join(fixtures, 'letta', 'letta', 'schemas', 'step.py');
    const text = fs.readFileSync(file, 'utf8');
    assert.equal((await hints(file, text)).length, 29);
    assert.deepEqual(await hints(file, text, ['Step', 'StepBase']), []);
    const edited = text.replace('Metadata tags.', 'Metadata tags of the step, set by the client when it creates the step.');
    assert.deepEqual(await hints(file, edited, ['Step', 'StepBase']), []);
    // The index dropped (a route removed and the file saved): the lenses are back.
    assert.equal((await hints(file, edited)).length, 30);
  });

  it('a saved file is read again: a route added in another file makes its class web-only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-web-records-'));
    try {
      fs.writeFileSync(path.join(dir, 'models.py'), 'from pydantic import BaseModel, Field\n\nclass Answer(BaseModel):\n    text: str = Field(description="The answer, in one sentence.")\n');
      fs.writeFileSync(path.join(dir, 'api.py'), 'from models import Answer\n');
      let ready = 0;
      const indexes = new ProjectSchemaIndexes(() => ready++);
      await indexes.whenBuilt(dir);
      assert.deepEqual(indexes.forFile(path.join(dir, 'models.py'), 'python', dir), []);
      fs.writeFileSync(path.join(dir, 'api.py'), 'from models import Answer\n\n@router.get("/answer", response_model=Answer)\ndef answer():\n    ...\n');
      await indexes.fileSaved(path.join(dir, 'api.py'), dir, 0);
      assert.deepEqual(indexes.forFile(path.join(dir, 'models.py'), 'python', dir), ['Answer']);
      assert.equal(ready, 2);
      // Files brought by a checkout while no watcher told the index: opening one the index does not know walks the
      // folder again (only new or changed files are read), and the answer follows once it is done.
      fs.mkdirSync(path.join(dir, 'pkg'));
      fs.writeFileSync(path.join(dir, 'pkg', 'records.py'), 'from pydantic import BaseModel, Field\n\nclass Record(BaseModel):\n    id: str = Field(description="The id of the record.")\n');
      fs.writeFileSync(path.join(dir, 'pkg', 'routes.py'), 'from pkg.records import Record\n\n@router.get("/records/{id}")\ndef get_record(id: str) -> Record:\n    ...\n');
      assert.deepEqual(indexes.forFile(path.join(dir, 'pkg', 'records.py'), 'python', dir), []);
      await indexes.whenBuilt(dir);
      while (ready < 3) await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(indexes.forFile(path.join(dir, 'pkg', 'records.py'), 'python', dir), ['Record']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a new file the watcher reports walks the folder again: a burst whose other events were dropped is still read (session 32)', async () => {
    // The code-server integration run copied letta's folder into the workspace: the watcher told the index of step.py,
    // not of its steps router, and step.py kept its 29 lenses.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-web-records-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.py'), 'print("hello")\n');
      const indexes = new ProjectSchemaIndexes();
      await indexes.whenBuilt(dir);
      fs.writeFileSync(path.join(dir, 'records.py'), 'from pydantic import BaseModel, Field\n\nclass Record(BaseModel):\n    id: str = Field(description="The id of the record.")\n');
      fs.writeFileSync(path.join(dir, 'routes.py'), 'from records import Record\n\n@router.get("/records/{id}")\ndef get_record(id: str) -> Record:\n    ...\n');
      // Only records.py's event arrives.
      await indexes.fileSaved(path.join(dir, 'records.py'), dir, 0);
      await indexes.whenBuilt(dir);
      assert.deepEqual(indexes.forFile(path.join(dir, 'records.py'), 'python', dir), ['Record']);
      // A known file saved again walks nothing: its own facts are read.
      fs.writeFileSync(path.join(dir, 'main.py'), 'print("hello again")\n');
      await indexes.fileSaved(path.join(dir, 'main.py'), dir, 0);
      assert.deepEqual(indexes.forFile(path.join(dir, 'records.py'), 'python', dir), ['Record']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
