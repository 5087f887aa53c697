// Recall rules of issue 12 (item 6), each with a near-miss that must stay silent. The snippets
// are written for these tests after the shapes of the real files named in each title (the
// corpus in test/fixtures/scan holds the originals); the oracle is the snippet read by hand:
// which lines hold a prompt, and of what kind.
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { checkEditedSource } from '../../../../src/shared/prompt/rewriteGuard';

/** [first line, last line, kind] of each prompt found, 1-based. */
function found(src: string, fileName: string): Array<[number, number, string]> {
  return findPrompts(src, undefined, { fileName }).map((p) => [p.range.start.line + 1, p.range.end.line + 1, p.kind]);
}

describe('findPrompts: recall rules (issue 12, item 6)', () => {
  it("an app's own message class: Message(role='system', content=…) is a role message, however short (graphiti)", () => {
    // getzep/graphiti builds its prompts as `Message(role=…, content=…)` of its own pydantic class
    // (test/fixtures/scan/python/graphiti_summarize_sagas.py); short system messages were missed.
    const src = [
      'from .models import Message',
      '',
      'def extract_summary(context):',
      '    return [',
      "        Message(role='system', content='You are a helpful assistant that extracts entity summaries from the provided text.'),",
      "        Message(role='user', content='Be brief.'),",
      '    ]',
      '',
      'def not_messages(user):',
      "    Permission(role='admin', content='read and write')",
      "    Message(role=user.role, author='You are a helpful assistant that extracts entity summaries from the provided text.')",
    ].join('\n');
    assert.deepEqual(found(src, 'prompts.py'), [
      [5, 5, 'system'],
      [6, 6, 'user'],
    ]);
  });

  it('a function passed as instructions= returns the system prompt, however short (openai-agents)', () => {
    const src = [
      'from agents import Agent',
      '',
      'def custom_instructions(ctx, agent) -> str:',
      '    if ctx.context.style == "haiku":',
      '        return "Only respond in haikus."',
      '    return "Respond as a pirate."',
      '',
      'def pick_style(ctx) -> str:',
      '    return "Only respond in haikus."',
      '',
      'agent = Agent(name="Chat agent", instructions=custom_instructions)',
    ].join('\n');
    assert.deepEqual(found(src, 'a.py'), [
      [5, 5, 'system'],
      [6, 6, 'system'],
    ]);
  });

  it('the same in TypeScript (instructions: customInstructions)', () => {
    const src = [
      "import { Agent } from '@openai/agents';",
      'function customInstructions(ctx: unknown): string {',
      "  return 'Only respond in haikus.';",
      '}',
      "const agent = new Agent({ name: 'Chat agent', instructions: customInstructions });",
    ].join('\n');
    assert.deepEqual(found(src, 'a.ts'), [[3, 3, 'system']]);
  });

  it('a string returned by an @agent.instructions function, however short (pydantic-ai)', () => {
    const src = [
      'from pydantic_ai import Agent',
      'support_agent = Agent("openai:gpt-4o")',
      '',
      '@support_agent.instructions',
      'async def add_customer_name(ctx) -> str:',
      '    return f"The customer\'s name is {ctx.deps.name!r}"',
    ].join('\n');
    assert.deepEqual(found(src, 'a.py'), [[6, 6, 'system']]);
  });

  it('a variable passed as the input of an agent run is a user prompt; the same text printed is not', () => {
    const src = [
      'from agents import Agent, Runner',
      'async def main(agent):',
      '    user_message = "Tell me a joke."',
      '    result = await Runner.run(agent, user_message)',
      '    label = "Tell me a joke."',
      '    print(label)',
    ].join('\n');
    assert.deepEqual(found(src, 'a.py'), [[3, 3, 'user']]);
  });

  it("run(agent, '…') is an agent run only where @openai/agents is imported", () => {
    const withImport = ["import { run } from '@openai/agents';", "await run(agent, \"What's the weather in Tokyo?\");"].join('\n');
    const without = ["import { run } from './jobs';", "await run(agent, \"What's the weather in Tokyo?\");"].join('\n');
    assert.deepEqual(found(withImport, 'a.ts'), [[2, 2, 'user']]);
    assert.deepEqual(found(without, 'a.ts'), []);
  });

  it('an assistant prefill "{" is a message; the same literal without a role is not (anthropic-quickstarts)', () => {
    const src = [
      "import Anthropic from '@anthropic-ai/sdk';",
      "messages.push({ role: 'assistant', content: '{' });",
      "parts.push({ type: 'text', content: '{' });",
    ].join('\n');
    assert.deepEqual(found(src, 'a.ts'), [[2, 2, 'assistant']]);
  });

  it('a filler turn of punctuation is no prompt, a prefill that opens a structure is (NextChat anthropic.ts and chat.tsx)', () => {
    const src = [
      "import Anthropic from '@anthropic-ai/sdk';",
      "messages[i] = [message, { role: 'assistant', content: ';' }];",
      "const loading = { role: 'assistant', content: '……' };",
      "messages.push({ role: 'assistant', content: '[' });",
    ].join('\n');
    assert.deepEqual(found(src, 'a.ts'), [[4, 4, 'assistant']]);
    // break31: a Japanese or Chinese prefill opens its quotation or heading with 「, 【 or “ (they were dropped as punctuation).
    const cjk = ["import Anthropic from '@anthropic-ai/sdk';", "messages.push({ role: 'assistant', content: '「' });", "messages.push({ role: 'assistant', content: '【' });", "messages.push({ role: 'assistant', content: '“' });", "messages.push({ role: 'assistant', content: '。' });"].join('\n');
    assert.deepEqual(found(cjk, 'a.ts').map(([from]) => from), [2, 3, 4]);
  });

  it('text concatenated with a prompt variable is part of that prompt (gpt-engineer)', () => {
    const src = [
      'def entrypoint(ai, user_prompt, files, header, body):',
      '    messages = ai.start(',
      '        system="x",',
      '        user=user_prompt',
      '        + "\\nInformation about the codebase:\\n\\n"',
      '        + files.to_chat(),',
      '    )',
      '    text = header + "\\nInformation about the codebase:\\n\\n" + body',
    ].join('\n');
    assert.deepEqual(found(src, 'a.py'), [[5, 5, 'user']]);
  });

  it('a function named …Prompt… returns a prompt; one named …Path… does not (vercel ai-chatbot)', () => {
    const body = ["=> `\\", "About the origin of user's request:", '- lat: ${h.latitude}', '- city: ${h.city}', '`;'];
    const src = [`export const getRequestPromptFromHints = (h: Hints) ${body[0]}`, ...body.slice(1), `export const getRequestPathFromHints = (h: Hints) ${body[0]}`, ...body.slice(1)].join('\n');
    assert.deepEqual(found(src, 'a.ts'), [[1, 5, 'template']]);
  });

  it('strings inside a few-shot examples constant are example turns (haystack)', () => {
    const src = [
      'from haystack import component',
      '_DEFAULT_EXAMPLES = [',
      '    {"inputs": {"questions": "What is the capital of Germany?"}, "outputs": {"statements": ["Berlin is the capital of Germany."]}},',
      ']',
      '_DEFAULT_SETTINGS = [',
      '    {"inputs": {"questions": "What is the capital of Germany?"}, "outputs": {"statements": ["Berlin is the capital of Germany."]}},',
      ']',
    ].join('\n');
    assert.deepEqual(found(src, 'a.py'), [
      [3, 3, 'fewShot'],
      [3, 3, 'fewShot'],
    ]);
  });

  it('a module constant spliced into a prompt is a fragment of its own, and a shared piece of the prompt (gpt-researcher; comp32)', () => {
    const src = [
      'sample_notes = """',
      '{ "draft": the revised draft that you are submitting for review }',
      '"""',
      '',
      'async def revise(draft, call_model):',
      '    prompt = [{"role": "user", "content": f"""Draft: {draft}',
      'Revise the draft and return nothing but a JSON in the following format:',
      '{sample_notes}',
      '"""}]',
      '    return await call_model(prompt)',
    ].join('\n');
    const prompts = findPrompts(src, undefined, { fileName: 'a.py' });
    assert.deepEqual(
      prompts.map((p) => [p.range.start.line + 1, p.range.end.line + 1, p.kind, p.pieces?.length ?? 0]),
      [
        [1, 3, 'template', 0],
        [6, 9, 'user', 2],
      ],
    );
    // (The constant is counted in place where it is interpolated bare, as at the head of a `+` chain: its piece is shared.)
    assert.deepEqual(
      prompts[1].pieces?.map((p) => [p.range.start.line + 1, p.fills, p.shared]),
      [
        [1, 'sample_notes', true],
        [6, undefined, undefined],
      ],
    );
  });

  it('a class attribute of a prompt class is a prompt however short (aider)', () => {
    const src = ['class WholeFilePrompts(CoderPrompts):', '    redacted_edit_message = "No changes are needed."', '    fence = "```"'].join('\n');
    assert.deepEqual(
      found(src, 'a.py').map(([s, e]) => [s, e]),
      [[2, 2]],
    );
  });
});

describe('findPrompts: prompt template documents', () => {
  it('a YAML value spliced into another prompt by its key is a template fragment (TaskWeaver)', () => {
    const src = [
      'version: 0.1',
      'instruction_template: |-',
      '  You are the evaluator who can evaluate the output of an Agent.',
      '  You should follow the below JSON format to your reply:',
      '  {response_schema}',
      'response_schema: |-',
      '  {',
      '    "reason": "the reason why the output aligns with the statement or not",',
      '    "is_hit": "yes/no"',
      '  }',
      'unused_schema: |-',
      '  {',
      '    "reason": "the reason why the output aligns with the statement or not"',
      '  }',
    ].join('\n');
    assert.deepEqual(found(src, 'a.yaml'), [
      [2, 5, 'system'],
      [6, 10, 'template'],
    ]);
  });

  it('a short template in a map of prompt templates is a prompt; the same keys without a prose template beside them are not (SWE-agent)', () => {
    const templates = [
      'agent:',
      '  templates:',
      '    system_template: |-',
      '      You are a helpful assistant that can interact with a computer to solve tasks.',
      '    next_step_template: |-',
      '      OBSERVATION:',
      '      {{observation}}',
    ].join('\n');
    assert.deepEqual(found(templates, 'a.yaml').map(([from, to]) => [from, to]), [[3, 4], [5, 7]]);
    const paths = ['output:', '  path_template: |-', '    RESULT:', '    {{output_dir}}', '  name_template: "{{task}}-{{date}}.json"'].join('\n');
    assert.deepEqual(found(paths, 'a.yaml'), []);
  });

  it('a map of templates that are not prompts stays silent even with a prose template in it (break31: release notes, cookiecutter)', () => {
    // A release-notes action's inputs in a GitHub Actions workflow: every key ends in _template and body_template is prose,
    // but none of them is a prompt (4 were found as templates).
    const workflow = [
      'jobs:',
      '  release:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: ./.github/actions/release-notes',
      '        with:',
      "          name_template: 'v$RESOLVED_VERSION'",
      "          tag_template: 'v$RESOLVED_VERSION'",
      "          change_template: '- $TITLE @$AUTHOR (#$NUMBER)'",
      '          body_template: |',
      '            ## What changed in this release of the project since the previous tag',
      '            $CHANGES',
    ].join('\n');
    assert.deepEqual(found(workflow, 'release.yml'), []);
    const project = [
      "project_template: '{{cookiecutter.project_slug}}'",
      "readme_template: 'This project was generated from the template and contains a README with a short description of the package'",
      "path_template: '{{ cookiecutter.project_slug }}/src/{{ cookiecutter.module }}'",
    ].join('\n');
    assert.deepEqual(found(project, 'cookiecutter.yaml'), []);
    // Beside a system template, a short one is still a prompt; a name template is not.
    const agent = ['templates:', '  system_template: You are a helpful assistant that can interact with a computer to solve tasks.', "  next_step_template: 'OBSERVATION: {{observation}}'", "  name_template: '{{task}}-{{date}}'"].join('\n');
    assert.deepEqual(found(agent, 'agent.yaml').map(([from]) => from), [2, 3]);
  });

  it('a block of prose beside a prompt in the same map is a prompt; without a prompt beside it, it is not (smolagents)', () => {
    const src = [
      'final_answer:',
      '  pre_messages: |-',
      '    An agent tried to answer a user query but it got stuck and failed to do so.',
      '  post_messages: |-',
      '    Based on the above, please provide an answer to the following user task:',
      '    {{task}}',
      'release:',
      '  notes: |-',
      '    An agent tried to answer a user query but it got stuck and failed to do so.',
      '  version: "1.2"',
    ].join('\n');
    assert.deepEqual(
      found(src, 'a.yaml').map(([s, e]) => [s, e]),
      [
        [2, 3],
        [4, 6],
      ],
    );
  });

  it('a Jinja chat template splits at its role lines; a history loop is one few-shot section (promptflow)', () => {
    const src = ['# system:', 'You are a helpful assistant.', '', '{% for item in chat_history %}', '# user:', '{{item.inputs.question}}', '# assistant:', '{{item.outputs.answer}}', '{% endfor %}', '', '# user:', '{{question}}', ''].join('\n');
    assert.deepEqual(found(src, 'chat.jinja2'), [
      [2, 2, 'system'],
      [4, 9, 'fewShot'],
      [12, 12, 'user'],
    ]);
    // Without role lines the file is one prompt.
    assert.deepEqual(found('You are Devika.\n\nThe user asked: {{ prompt }}\n', 'prompt.jinja2'), [[1, 3, 'template']]);
  });

  it('a rewrite of a Jinja role section passes the rewrite guard', () => {
    const src = '# system:\nYou are a helpful assistant.\n\n# user:\n{{question}}\n';
    const system = findPrompts(src, undefined, { fileName: 'chat.jinja2' })[0];
    const newText = 'You are a terse assistant.';
    const edited = src.slice(0, system.range.start.offset) + newText + src.slice(system.range.end.offset);
    const edit = { start: system.range.start.offset, end: system.range.end.offset, text: newText };
    assert.equal(checkEditedSource(src, edited, system, edit, newText, { fileName: 'chat.jinja2' }), undefined);
  });
});
