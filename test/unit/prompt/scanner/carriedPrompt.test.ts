// A prompt variable carried into another variable that is sent: the model of that send (pipecat-ai/pipecat's
// examples/rag/rag-gemini.py, test/fixtures/model-attribution: `full_prompt = f"System: {RAG_PROMPT}…"`, then
// `generate_content(model=RAG_MODEL, contents=[full_prompt])`; the lens priced RAG_PROMPT with Google's default model).
// Expected models read off each snippet by hand; each file names a second model, so that the file's only model is no answer.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const SYSTEM = 'You are a careful reviewer of pull requests. List the problems you find, most serious first, one per line.';

function models(lines: string[], lang = 'python'): Array<[string | undefined, string | undefined, string | undefined]> {
  return findPrompts(lines.join('\n'), lang).map((p) => [p.boundName, p.model?.name, p.provider]);
}

describe('a prompt carried into another variable that is sent takes that send\'s model', () => {
  it("pipecat's rag-gemini.py: RAG_PROMPT in an f-string sent with model=RAG_MODEL", () => {
    const file = resolve(__dirname, '../../../../../test/fixtures/model-attribution/pipecat_rag_gemini/examples/rag/rag-gemini.py.txt');
    const rag = findPrompts(readFileSync(file, 'utf8'), 'python', { fileName: 'rag-gemini.py' }).find((p) => p.boundName === 'RAG_PROMPT');
    assert.equal(rag?.model?.name, 'gemini-2.0-flash-lite-preview-02-05');
    assert.match(rag?.model?.via ?? '', /where full_prompt \(line 148\), which holds RAG_PROMPT, is sent$/);
  });

  it('Python: an f-string and a + chain that are no prompts themselves; a carrier that is never sent gives nothing (in a file of two models)', () => {
    const sent = ['from openai import OpenAI', `PROMPT = "${SYSTEM}"`, 'def review(diff):', '    full = f"{PROMPT}\\n{diff}"', '    return OpenAI().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": full}])', 'def other():', '    return OpenAI().chat.completions.create(model="gpt-4o", messages=[])'];
    assert.deepEqual(models(sent)[0], ['PROMPT', 'gpt-4o-mini', 'openai']);
    const chained = ['from openai import OpenAI', `PROMPT = "${SYSTEM}"`, 'def review(diff):', '    full = PROMPT + "\\n" + diff', '    return OpenAI().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": full}])', 'def other():', '    return OpenAI().chat.completions.create(model="gpt-4o", messages=[])'];
    assert.deepEqual(models(chained)[0], ['PROMPT', 'gpt-4o-mini', 'openai']);
    const unsent = ['from openai import OpenAI', `PROMPT = "${SYSTEM}"`, 'def review(diff):', '    full = f"{PROMPT}\\n{diff}"', '    print(full)', 'OpenAI().chat.completions.create(model="gpt-4o-mini", messages=[])', 'OpenAI().chat.completions.create(model="gpt-4o", messages=[])'];
    assert.equal(models(unsent)[0][1], undefined);
  });

  it('TypeScript: a template literal in a const sent in the same function', () => {
    const src = ["import OpenAI from 'openai';", `const SYSTEM = '${SYSTEM}';`, 'export async function review(diff: string) {', '  const full = `${SYSTEM}\\n${diff}`;', "  return new OpenAI().chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: full }] });", '}', "export const other = () => new OpenAI().chat.completions.create({ model: 'gpt-4o', messages: [] });"];
    assert.deepEqual(models(src, 'typescript')[0], ['SYSTEM', 'gpt-4.1-mini', 'openai']);
  });
});
