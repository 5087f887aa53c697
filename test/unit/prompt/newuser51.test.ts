// newuser51 ran the extension on HKUDS/MiniRAG (MIT, commit 4fe2fba1bee7e18262bdbe6568644feed94d2f77) and n4ze3m/page-assist
// (MIT, commit 87808cf884596d1e9df40dc28965b212f2e5ccdf); excerpts in test/fixtures/hints-real (SOURCES.md there).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { localeCatalogFile } from '../../../src/shared/prompt/scanner/documents';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('MiniRAG and page-assist (newuser51)', () => {
  it("a language's UI strings under a locale folder are no prompts", () => {
    // page-assist/src/assets/locale/<lang>/*.json: `"webSearchPromptHelp": "Do not remove \`{search_results}\` from the
    // prompt."`, `"systemPrompt": "System Prompt"`, the help text of the knowledge base's system prompt: 237 of the
    // repository's 293 prompts (17 languages), each with a lens and a price.
    for (const [name, fileName] of [
      ['pageassist_locale_en_settings_rag.json', 'app/src/assets/locale/en/settings.json'],
      ['pageassist_locale_en_knowledge_edit_settings.json', 'app/src/assets/locale/en/knowledge.json'],
    ]) {
      const found = findPrompts(fixture(name), 'json', { fileName });
      assert.deepEqual(found.map((p) => `${fileName} ${p.boundName}: ${p.text}`), []);
    }
  });

  it('the same JSON elsewhere is still read for prompts', () => {
    // The path is the evidence: the same text in a file that is no language's catalog keeps what it had.
    const found = findPrompts(fixture('pageassist_locale_en_settings_rag.json'), 'json', { fileName: 'config/settings.json' });
    assert.ok(found.some((p) => p.boundName === 'rag.prompt.webSearchFollowUpPromptHelp'));
  });

  it('tells a locale catalog from its path', () => {
    const catalogs = ['app/src/assets/locale/en/settings.json', 'public/locales/zh-CN/common.json', 'ext/_locales/pt_BR/messages.json', 'app/src/i18n/en.json', 'app/locales/pt-BR.json', 'C:\\app\\lang\\de\\ui.json', 'locales/ja-JP/nested/menu.json'];
    assert.deepEqual(catalogs.filter((f) => !localeCatalogFile(f)), []);
    const others = ['prompts/en/system.json', 'app/src/locale/en/settings.yaml', 'app/src/locale/prompts.json', 'app/src/i18n/config.json', 'data/en/prompts.json', 'app/src/locales.json', 'locales/README.md'];
    assert.deepEqual(others.filter((f) => localeCatalogFile(f)), []);
  });

  it('SQL MERGE statements are no prompts', () => {
    // minirag/kg/oracle_impl.py SQL_TEMPLATES: "merge_doc_full", "merge_chunk", "upsert_llm_response_cache", "merge_node" and
    // "merge_edge" (`MERGE INTO LIGHTRAG_GRAPH_NODES a USING DUAL ON (…)`) were 53–143-token "template" prompts; the SELECTs
    // beside them were not.
    const found = findPrompts(fixture('minirag_oracle_sql_templates.py'), 'python', { fileName: 'minirag/kg/oracle_impl.py' });
    assert.deepEqual(found.map((p) => `${p.boundName}: ${p.text.slice(0, 40)}`), []);
  });

  it("a pydantic class with a function field is no schema, so its Field descriptions are no tool prompts", () => {
    // minirag/llm.py `class Model(BaseModel)`: `gen_func: Callable[[Any], str] = Field(..., description="A function that
    // generates the response from the llm. …")` and `kwargs: Dict[str, Any] = Field(..., description="The arguments to pass
    // to the callable function. …")`, a function and its arguments for MultiModel: two "tool" prompts. pydantic gives no
    // JSON schema of a Callable field, so the class is never sent as one.
    const found = findPrompts(fixture('minirag_llm_model.py'), 'python', { fileName: 'minirag/llm.py' });
    assert.deepEqual(found.map((p) => `${p.kind}: ${p.text}`), []);
  });

  it('a schema class beside it keeps its descriptions', () => {
    const src = [
      'from typing import Callable',
      'from pydantic import BaseModel, Field',
      '',
      'class Runner(BaseModel):',
      '    fn: Callable[[str], str] = Field(..., description="The function that runs the step; it must return a string")',
      '',
      'class Answer(BaseModel):',
      '    answer: str = Field(..., description="The answer to the user question, in one short sentence")',
      '',
      'client.beta.chat.completions.parse(model="gpt-4o", messages=msgs, response_format=Answer)',
      '',
    ].join('\n');
    assert.deepEqual(findPrompts(src, 'python', { fileName: 'app.py' }).map((p) => `${p.kind}: ${p.text}`), ['tool: The answer to the user question, in one short sentence']);
  });

  it("Compress keeps the article of an example's question with a contracted verb", () => {
    // page-assist's DEFAULT_WEBSEARCH_FOLLOWUP_PROMPT: "Follow-up question: What's the current stock price of Apple?" became
    // "What's current stock price of Apple?" at medium (fragmentArticle read the labelled question as a fragment).
    const src = fixture('pageassist_websearch_followup_prompt.ts');
    const text = src.slice(src.indexOf('`') + 1, src.lastIndexOf('`'));
    const out = new PromptCompressor().compress(text).text;
    const questions = (t: string) => t.split('\n').filter((l) => l.startsWith('Follow-up question:'));
    assert.deepEqual(questions(out), questions(text));
    for (const kept of ['${new Date().getFullYear()}', '{chat_history}', '{question}']) assert.ok(out.includes(kept), kept);
  });
});
