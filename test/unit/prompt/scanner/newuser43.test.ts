// newuser43 ran the extension on mem0ai/mem0 (Apache-2.0, commit 8d5b7865bd0521e75fe9ab1b260eeccc83f8a378) as a new
// user. The real files are in test/fixtures/hints-real (SOURCES.md); the oracle is the file read by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { schemaFacts, webOnlyClasses } from '../../../../src/shared/prompt/scanner/projectSchemas';

const root = path.resolve(__dirname, '../../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', rel), 'utf8');
const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind}`);

describe('findPrompts: SQL a database client runs is no prompt (newuser43, mem0-ts pgvector.ts)', () => {
  it("node-postgres' client.query of CREATE EXTENSION and CREATE DATABASE is not an LLM call", () => {
    // mem0-ts/src/oss/src/vector_stores/pgvector.ts (imports `pg`): 274 `this.client.query("CREATE EXTENSION IF NOT EXISTS
    // vector")` and 302 `` this.client.query(`CREATE DATABASE ${escapeIdentifier(dbName)}`) `` were user prompts "passed
    // to this.client.query (LLM call)"; the file sends nothing to a model.
    assert.deepEqual(found(fixture('mem0_pgvector.ts'), 'pgvector.ts'), []);
  });

  it('CREATE EXTENSION and CREATE DATABASE read as SQL to any caller; a query to a database driver is no LLM call', () => {
    // Without the `pg` import the statements are still SQL (the shape alone).
    assert.deepEqual(found('const client = makeClient();\nawait client.query("CREATE EXTENSION IF NOT EXISTS vector");\nawait client.query(`CREATE DATABASE ${name}`);\n', 'db.ts'), []);
    // Prose passed to client.query: a prompt where no database driver is imported, a value of the query where `pg` is.
    const ask = 'const client = makeClient();\nawait client.query("Summarize the meeting notes below in three short bullet points for the team.");\n';
    assert.deepEqual(found(ask, 'ask.ts'), ['2 user']);
    assert.deepEqual(found(`import pg from "pg";\n${ask}`, 'ask.ts'), []);
  });
});

describe('webOnlyClasses: a record the program builds from runtime values and returns as a dict is no schema (newuser43, mem0 MemoryItem)', () => {
  // mem0/configs/base.py's MemoryItem (a Field description on each of its 7 fields) is built in memory/main.py from a
  // vector store's hit and turned into the dict `get`/`search` return: `MemoryItem(id=memory.id, memory=memory.payload.get(
  // "data", ""), …).model_dump()`. No model fills it; its 7 descriptions were tool prompts (`prompt scan mem0`).
  const base = fixture('mem0_configs_base.py');
  const main = [
    'from mem0.configs.base import MemoryConfig, MemoryItem',
    '',
    'def _format(memory):',
    '    result_item = MemoryItem(',
    '        id=memory.id,',
    '        memory=memory.payload.get("data", ""),',
    '        hash=memory.payload.get("hash"),',
    '    ).model_dump()',
    '    return result_item',
    '',
  ].join('\n');

  it("MemoryItem is a record; base.py's other classes are not touched", () => {
    assert.deepEqual(schemaFacts(main).built, ['MemoryItem']);
    assert.deepEqual(webOnlyClasses([['mem0/configs/base.py', schemaFacts(base)], ['mem0/memory/main.py', schemaFacts(main)]]), new Map([['mem0/configs/base.py', new Set(['MemoryItem'])]]));
    // And the scanner, given that, reports no prompt in base.py (before: lines 17, 19, 21, 23, 24, 25, 26, tool).
    assert.deepEqual(findPrompts(base, undefined, { fileName: 'base.py', webOnlyClasses: new Set(['MemoryItem']) }).map((p) => p.range.start.line + 1), []);
  });

  it('an example of an answer (literal values, or JSON text) serialized at once is still no record', () => {
    for (const example of [
      'EXAMPLE = Answer(text="Paris is the capital of France.", score=0.9).model_dump()\n',
      'EXAMPLE = Answer(text=f"{city} is the capital", done=True).model_dump()\n',
      'EXAMPLE = Answer(items=["a", "b"]).dict()\n',
      'EXAMPLE = Answer(text=city.name).model_dump_json()\n',
    ]) assert.deepEqual(schemaFacts(example).built, [], example);
    assert.deepEqual(schemaFacts('row = Answer(text=hit.text, meta=dict(a=1)).dict()\n').built, ['Answer']);
  });
});
