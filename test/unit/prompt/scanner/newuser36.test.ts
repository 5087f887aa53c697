import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// newuser36 on getzep/graphiti (Apache-2.0, commit 993e081a6d7948a0d8851c12a5fbdbeb49fed862; test/fixtures/graphiti/SOURCES.md).
const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'graphiti');
const providers = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind} ${p.provider ?? '-'}`);

describe("findPrompts: the provider of a file whose SDK import is optional or names a submodule (newuser36)", () => {
  it("graphiti gemini_client.py: 'from google import genai' inside if TYPE_CHECKING / else / try is Google's", () => {
    const source = readFileSync(join(FIXTURES, 'gemini_client.py.txt'), 'utf8');
    // Before: both '- ' (no provider: priced with OpenAI's gpt-5.4, the built-in default, in a file that imports only
    // Google's SDK and names only Gemini models).
    assert.deepEqual(providers(source, 'gemini_client.py'), ['269 system google', '451 user google']);
  });

  const file = (imports: string[]) =>
    [
      ...imports,
      '',
      'class Client:',
      '    async def generate(self, messages, model):',
      "        system_prompt = 'Output ONLY valid JSON matching the schema. Do not include any explanatory text before or after the JSON.'",
      '        config = types.GenerateContentConfig(system_instruction=system_prompt)',
      '        return await self.client.aio.models.generate_content(model=model, contents=messages, config=config)',
    ].join('\n');

  it("a top-level 'from google import genai' names Google's SDK (google.genai)", () => {
    // Before: '5 system -' (the module was recorded as 'google' alone).
    assert.deepEqual(providers(file(['from google import genai']), 'client.py'), ['5 system google']);
    assert.deepEqual(providers(file(['from google import (', '    genai,', ')']), 'client.py'), ['7 system google']);
  });

  it('near misses: a class imported from google, or an import inside a function, names no provider', () => {
    assert.deepEqual(providers(file(['from google import Genai']), 'client.py'), ['5 system -']);
    assert.deepEqual(providers(file(['from google.cloud import storage']), 'client.py'), ['5 system -']);
    assert.deepEqual(providers(file(['def load():', '    from google import genai', '    return genai']), 'client.py'), ['7 system -']);
  });
});

// graphiti's CI: the `run: |` shell scripts of .github/workflows/socket-firewall-connectivity.yml (lines 77-146 with a
// Dockerfile heredoc, 151-186) were a 768-token template and a 374-token user prompt, and the input descriptions of
// .github/actions/setup-socket-firewall/action.yml (lines 9-12, 16) tool prompts; Plan Cost Reduction priced them at
// 1,000 requests a day each.
describe('findPrompts: a GitHub Actions workflow or action is no prompt but for an LLM step input (newuser36)', () => {
  const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind} ${p.text.slice(0, 30)}`);

  it('graphiti socket-firewall-connectivity.yml and setup-socket-firewall/action.yml: none', () => {
    // Before: ['77 template set -euo pipefail\n\nif [ -z ', '151 user set -euo pipefail\nwork="$RU'].
    assert.deepEqual(found(readFileSync(join(FIXTURES, 'socket-firewall-connectivity.yml.txt'), 'utf8'), 'socket-firewall-connectivity.yml'), []);
    // Before: ['9 tool Socket API key with packages ', '16 tool Download URL for the Linux s'].
    assert.deepEqual(found(readFileSync(join(FIXTURES, 'action.yml.txt'), 'utf8'), 'action.yml'), []);
  });

  it("near misses: an LLM action's prompt input in a workflow, and a description in a document that is no workflow, are still read", () => {
    const workflow = [
      'name: Review',
      'on: [pull_request]',
      'jobs:',
      '  review:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: anthropics/claude-code-action@v1',
      '        with:',
      '          prompt: |',
      '            You are a careful code reviewer. Review the diff of this pull request and point out bugs,',
      '            missing tests and unclear names. Answer in a short bulleted list.',
      '      - run: |',
      '          echo "You are a careful code reviewer. Review the diff of this pull request and point out bugs."',
    ].join('\n');
    assert.deepEqual(found(workflow, 'review.yml'), ['9 user You are a careful code reviewe']);
    // A CrewAI tasks.yaml: a task's description is its prompt.
    const tasks = [
      'review_task:',
      '  description: >',
      '    Review the diff of this pull request and point out bugs, missing tests and unclear names.',
      '  expected_output: >',
      '    A short bulleted list of the problems found, each with the file and line it is on.',
      '  agent: reviewer',
    ].join('\n');
    assert.deepEqual(found(tasks, 'tasks.yaml').map((p) => p.split(' ')[0]), ['2', '4']);
  });
});

// graphiti server/README.md:34-39: a fence of environment variables to pass to the container, under the heading
// "Running Instructions", was a 49-token system prompt.
describe('findPrompts: a Markdown block that only sets environment variables is no prompt (newuser36)', () => {
  const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind} ${p.text.slice(0, 30)}`);

  it('graphiti server/README.md: none', () => {
    // Before: ['34 system OPENAI_API_KEY=your_openai_api'].
    assert.deepEqual(found(readFileSync(join(FIXTURES, 'server-README.md.txt'), 'utf8'), 'README.md'), []);
  });

  it('near misses: a prompt under an instructions heading, and a `prompt` block that sets a variable, are still found', () => {
    const prompt = ['## System instructions', '', '```', 'You are a support assistant for Acme. Answer in two sentences and cite the manual page you used.', '```'].join('\n');
    assert.deepEqual(found(prompt, 'README.md'), ['3 system You are a support assistant fo']);
    const block = ['## Prompt', '', '```prompt', 'ROLE=You are a support assistant for Acme. Answer in two sentences and cite the manual page.', '```'].join('\n');
    assert.equal(found(block, 'README.md').length, 1);
  });
});

// graphiti examples/quickstart/quickstart_neo4j.py:81-113 (and quickstart_falkordb, quickstart_neptune, azure-openai,
// gliner2, opentelemetry): the episodes added to the graph are dicts `{'content': …, 'type': EpisodeType.text,
// 'description': 'podcast transcript'}`; each description was a 3-token tool prompt (29 in examples/). The lines below are
// the file's, lines 81-92.
describe("findPrompts: a record's description beside content and a non-string type is no tool schema (newuser36)", () => {
  const found = (src: string) => findPrompts(src, undefined, { fileName: 'quickstart.py' }).map((p) => `${p.range.start.line + 1} ${p.kind} ${p.text.slice(0, 30)}`);

  it('graphiti quickstart episodes: none', () => {
    const episodes = [
      'from graphiti_core.nodes import EpisodeType',
      '',
      'episodes = [',
      '    {',
      "        'content': 'Kamala Harris is the Attorney General of California. She was previously '",
      "        'the district attorney for San Francisco.',",
      "        'type': EpisodeType.text,",
      "        'description': 'podcast transcript',",
      '    },',
      '    {',
      "        'content': 'As AG, Harris was in office from January 3, 2011 – January 3, 2017',",
      "        'type': EpisodeType.text,",
      "        'description': 'podcast transcript',",
      '    },',
      ']',
    ];
    // Before: ['8 tool podcast transcript', '13 tool podcast transcript'].
    assert.deepEqual(found(episodes.join('\n')), []);
  });

  it('near misses: parameter schemas with a string or list type are still tool descriptions', () => {
    const schema = [
      'import openai',
      'tools = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {',
      '    "city": {"type": "string", "description": "The city to look up the weather for"},',
      '    "unit": {"type": ["string", "null"], "description": "The unit of the temperature"},',
      '}}}}]',
    ];
    assert.deepEqual(found(schema.join('\n')), ['3 tool The city to look up the weathe', '4 tool The unit of the temperature']);
  });
});
