/**
 * A model name that no prompt goes to (newuser40, Cinnamon/kotaemon 4015bb0, Apache-2.0; test/fixtures/kotaemon/SOURCES.md).
 * ktem/reasoning/rewoo.py trims evidence with `CharacterTextSplitter.from_tiktoken_encoder(…, model_name="gpt-3.5-turbo")`
 * and sends its prompts to `llms.get_default()`: every prompt of the file was priced as gpt-3.5-turbo, "the only model set
 * in this file", and the project template's QA prompt as its embeddings client's text-embedding-ada-002.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { enclosingCallee, isTokenizerModelArgument, takesNoPrompt } from '../../../src/shared/prompt/modelUse';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..'), 'test', 'fixtures', 'kotaemon');

describe('a tokenizer or embeddings model is not the model of the prompts (kotaemon)', () => {
  it('rewoo.py: no prompt takes the text splitter\'s gpt-3.5-turbo as its model', () => {
    const source = readFileSync(join(FIXTURES, 'rewoo.py.txt'), 'utf8');
    const prompts = findPrompts(source, undefined, { fileName: 'rewoo.py' });
    assert.equal(prompts.length, 6);
    assert.deepEqual(prompts.map((p) => p.model?.name), [undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('the project template: the embeddings client\'s model does not price the QA prompt; a chat model still does', () => {
    // templates/project-default/{{cookiecutter.project_name}}/{{cookiecutter.project_name}}/pipeline.py, lines 36-70 in short.
    const embeddings = [
      'from kotaemon.embeddings import LCAzureOpenAIEmbeddings',
      'from kotaemon.llms import LCAzureChatOpenAI',
      'class QuestionAnsweringPipeline(BaseComponent):',
      '    llm: LCAzureChatOpenAI = LCAzureChatOpenAI.withx(deployment_name="dummy-q2-gpt35", temperature=0)',
      '    embedding = LCAzureOpenAIEmbeddings.withx(',
      '        model="text-embedding-ada-002",',
      '        deployment="dummy-q2-text-embedding",',
      '    )',
      '    def run(self, text: str, context: str):',
      '        prompt = f\'Answer the following question: "{text}". The context is: \\n{context}\'',
      '        return self.llm(prompt).text',
      '',
    ].join('\n');
    const [qa] = findPrompts(embeddings, undefined, { fileName: 'pipeline.py' });
    assert.equal(qa.model?.name, undefined);
    const chat = embeddings.replace('LCAzureOpenAIEmbeddings.withx(', 'LCAzureChatOpenAI.withx(').replace('text-embedding-ada-002', 'gpt-4o-mini');
    assert.equal(findPrompts(chat, undefined, { fileName: 'pipeline.py' })[0].model?.name, 'gpt-4o-mini');
  });

  it('reads the call a model name is an argument of', () => {
    const at = (text: string, needle: string) => text.indexOf(needle);
    const splitter = 'text_splitter = CharacterTextSplitter.from_tiktoken_encoder(\n    chunk_size=trim_len,\n    chunk_overlap=0,\n    separator=" ",\n    model_name="gpt-3.5-turbo",\n)';
    assert.equal(enclosingCallee(splitter, at(splitter, '"gpt-3.5')), 'CharacterTextSplitter.from_tiktoken_encoder');
    assert.equal(isTokenizerModelArgument(splitter, at(splitter, '"gpt-3.5')), true);
    const trulens = 'tokenizer=partial(\n    tiktoken.encoding_for_model("gpt-3.5-turbo").encode,\n    allowed_special=set(),\n)';
    assert.equal(enclosingCallee(trulens, at(trulens, '"gpt-3.5')), 'tiktoken.encoding_for_model');
    assert.equal(isTokenizerModelArgument(trulens, at(trulens, '"gpt-3.5')), true);
    const js = 'const e = new OpenAIEmbeddings({ modelName: "text-embedding-3-small", batchSize: f(2) });';
    assert.equal(enclosingCallee(js, at(js, '"text-embedding')), 'OpenAIEmbeddings');
    assert.deepEqual([isTokenizerModelArgument(js, at(js, '"text-embedding')), takesNoPrompt(js, at(js, '"text-embedding'))], [false, true]);
    // A chat call, a grouping parenthesis, a constant: no tokenizer, no embeddings.
    const chat = 'client.chat.completions.create(messages=m, model=get("x", default="gpt-4o"))';
    assert.equal(enclosingCallee(chat, at(chat, '"gpt-4o"')), 'get');
    assert.equal(takesNoPrompt(chat, at(chat, '"gpt-4o"')), false);
    assert.equal(enclosingCallee('MODEL = (\n  "gpt-4o"\n)', 12), undefined);
    assert.equal(enclosingCallee('MODEL = "gpt-4o"', 8), undefined);
  });
});
