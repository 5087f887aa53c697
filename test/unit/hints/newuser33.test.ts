// What newuser33 saw opening a real Python LLM app (khoj-ai/khoj at ae229ca8, AGPL-3.0) in the editor. The app's code is
// not copied here: each case below is a minimal equivalent written for this test, with the same shape (see
// test/fixtures/hints-real/SOURCES.md, "newuser33"). Oracles: CPython's `str.format` with every real field set to ""
// (what LangChain's f-string template sends with empty values), counted with js-tiktoken's o200k_base.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { composePrompt } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findTextPlaceholders } from '../../../src/shared/prompt/scanner/atoms';
import { count } from '../../helpers/tiktokenOracle';

describe('hints: newuser33 on a LangChain app', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hints = async (lines: string[]) =>
    (await service.compute({ text: lines.join('\n'), languageId: 'python', fileName: 'prompts.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;

  // khoj prompts.py:205 (excalidraw_diagram_generation_prompt) describes its element schema as a TypeScript-like object
  // between doubled braces (`{{ type: string, … }}`, escapes for str.format): the hover, the lens's notification and the
  // analysis panel listed "text: string,", "id: string", "type: \"text\"" as runtime values and left them out of the count.
  it('a schema of bare keys between doubled braces is text of a LangChain template, not a runtime value', async () => {
    const body = [
      'You draw diagrams. {personality_context}',
      '',
      'Each element follows this schema:',
      '',
      '{{',
      '    kind: string,',
      '    left: number,',
      '    caption: {{',
      '        words: string,',
      '    }}',
      '}}',
      '',
      'A title element:',
      '{{',
      '    kind: "title",',
      '    size: number,',
      '}}',
      '',
      'Diagram request: {query}',
    ];
    const prompts = await hints([
      'from langchain_core.prompts import PromptTemplate',
      '',
      'diagram_prompt = PromptTemplate.from_template(',
      '    """',
      ...body,
      '""".strip()',
      ')',
      '',
    ]);
    assert.equal(prompts.length, 1);
    assert.deepEqual(prompts[0].runtimeValues, ['personality_context', 'query']);
    // CPython: "\n".join(body).format(personality_context="", query="") — the doubled braces become single ones.
    const sent = body.join('\n').replace('{personality_context}', '').replace('{query}', '').replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    const counted = composePrompt(prompts[0].location, '').counted;
    for (const kept of ['kind: string,', 'words: string,', 'kind: "title",', 'size: number,']) assert.ok(counted.includes(kept), kept);
    // The lens counts the literal as str.format sends it: doubled braces single, the fields out, and without the first
    // and last newline, which the code's `.strip()` takes off (nufix33: it counted them, 56 tokens where the app sends 55).
    assert.equal(prompts[0].cost.tokens.count, count(sent));
  });

  it('between doubled braces, a bare key, a colon and a space is no tag; a tag with a colon of its own stays one', () => {
    const ph = (text: string) => findTextPlaceholders(text).map((p) => `${p.syntax} ${p.start} ${p.end} ${p.name}`);
    assert.deepEqual(ph('{{ kind: string }} {{\n  size: number,\n}}'), []);
    assert.deepEqual(ph('{{date:YYYY}} {{ user.name }} {{ items | join: ", " }}'), ['mustache 0 13 date:YYYY', 'mustache 14 29 user.name', 'mustache 30 54 items | join: ", "']);
  });

  // khoj processor/operator/grounding_agent.py:246 builds `tools = [ {…"description": "…"…} ]` and, for a browser, adds
  // more with `tools += [ … ]`. Each description of the first list was shown as "≥6 tokens + runtime values (tools +=
  // [ { "type": "function", …)": the `+=` grows the list the literal sits in, not the literal.
  it('a tool description inside a list grown with += has no runtime values', async () => {
    const prompts = await hints([
      'from openai import OpenAI',
      '',
      'client = OpenAI()',
      '',
      '',
      'def tool_list(browser: bool) -> list[dict]:',
      '    tools = [',
      '        {',
      '            "type": "function",',
      '            "function": {',
      '                "name": "tap",',
      '                "description": "Tap the screen at the given point.",',
      '                "parameters": {"type": "object", "properties": {"x": {"type": "integer", "description": "Horizontal position in pixels"}}},',
      '            },',
      '        },',
      '    ]',
      '    if browser:',
      '        tools += [',
      '            {"type": "function", "function": {"name": "open_page", "description": "Open a web address in the browser."}},',
      '        ]',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Use the tools."}], tools=tools)',
      '',
    ]);
    const described = prompts.filter((p) => p.location.kind === 'tool').map((p) => [p.location.text, p.runtimeValues, p.cost.tokens.count]);
    assert.deepEqual(described, [
      ['Tap the screen at the given point.', [], count('Tap the screen at the given point.')],
      ['Horizontal position in pixels', [], count('Horizontal position in pixels')],
      ['Open a web address in the browser.', [], count('Open a web address in the browser.')],
    ]);
  });

  // khoj conversation/utils.py has a table of prompt sizes keyed by twenty-five model names and one setting,
  // `model_name="gpt-4o-mini"`, the default of the function that builds the messages. The hover said "the only model named
  // in this file", which the table contradicts on screen.
  it('a file whose one model setting is among many model names in a table: the hover says the model is the only one set', async () => {
    const prompts = await hints([
      'from langchain_core.messages.chat import ChatMessage',
      '',
      'PROMPT_SIZES = {"gpt-4o": 60000, "gpt-4o-mini": 60000, "gemini-2.5-flash": 120000, "claude-sonnet-4-5": 120000}',
      '',
      '',
      'def build_messages(question: str, notes: list[str], model_name="gpt-4o-mini"):',
      '    limit = PROMPT_SIZES.get(model_name, 10000)',
      '    messages = []',
      '    memory_context = "Your memory system found these notes about me from earlier chats. Ignore the ones unrelated to the question.\\n"',
      '    for note in notes:',
      '        memory_context += f"- {note}\\n"',
      '    messages.append(ChatMessage(content=memory_context, role="user"))',
      '    messages.append(ChatMessage(content=question[:limit], role="user"))',
      '    return messages',
      '',
    ]);
    const memory = prompts.find((p) => p.location.boundName === 'memory_context');
    assert.ok(memory);
    assert.deepEqual([memory.model, memory.modelSource, memory.modelVia], ['gpt-4o-mini', 'file', 'the only model set in this file ("gpt-4o-mini"), line 6']);
  });
});
