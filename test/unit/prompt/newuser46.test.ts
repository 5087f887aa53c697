// newuser46 ran the extension on huggingface/smolagents (Apache-2.0, commit e3a5b8994b301983b91c0325546e9dc82eab8cf0) and
// jina-ai/node-DeepResearch (Apache-2.0, commit 579fd95ffff6661bc331c6838ad930a652db46f3), in code-server and with the CLI
// (test/fixtures/hints-real/SOURCES.md).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { compressKeepingAtoms, optimizeKeepingAtoms } from '../../../src/engine/prompt/handlers';
import { composePrompt } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

/** The system prompt of smolagents' code_agent.yaml, as the scanner reads it. */
function codeAgentSystemPrompt(): string {
  const found = findPrompts(fixture('smolagents_code_agent.yaml'), 'yaml', { fileName: 'smolagents/prompts/code_agent.yaml' });
  const system = found.find((p) => p.boundName === 'system_prompt');
  assert.ok(system, 'the system prompt is found');
  return system.text;
}

describe('smolagents and node-DeepResearch (newuser46)', () => {
  describe('code between {{code_block_opening_tag}} and {{code_block_closing_tag}} is code', () => {
    // smolagents' agents write their examples' code between two Jinja variables that render as the code fence the agent
    // parses (`<code>`…`</code>` or ```` ```python ````…```` ``` ````). Before: Compress removed a space of PEP 8's two before an
    // inline comment (`print("\n" + "="*80 + "\n")  # Print separator between pages`), and the whitespace diagnostic
    // flagged it.
    const codeLine = '    print("\\n" + "="*80 + "\\n")  # Print separator between pages';

    it('Compress leaves the code of the examples as it is', () => {
      const text = codeAgentSystemPrompt();
      assert.ok(text.includes(codeLine));
      const out = new PromptCompressor().compress(text, {}).text;
      assert.ok(out.includes(codeLine), 'the code line is kept with its two spaces');
    });

    it('also with the atoms masked, as the editor and the CLI compress, distill and optimize', () => {
      // (The engine hides the template's tags behind sentinels before it rewrites: the tags that mark the block were gone,
      // and Compress in code-server still took the space out after the fix above.)
      const text = codeAgentSystemPrompt();
      const compressed = compressKeepingAtoms(text, { model: 'gpt-5.4' }).text;
      assert.ok(compressed.includes(codeLine));
      // The rule lines between the examples stay (they did before, beside the tags; a first version of the fix dropped them).
      assert.equal(compressed.split('\n---\n').length, text.split('\n---\n').length);
      assert.ok(compressKeepingAtoms(text, { model: 'gpt-5.4', level: 'aggressive' }).text.includes(codeLine));
      const optimized = optimizeKeepingAtoms(text, { model: 'gpt-5.4', target: 'efficiency' });
      assert.ok(!optimized.text.includes('print("\\n" + "="*80 + "\\n") #'), 'no space taken out of the code');
    });

    it('a lone opening tag makes no code of the rest', () => {
      const text = 'Write the code after this tag:\n{{code_block_opening_tag}}\nThen, basically, please explain the code in a very short summary.';
      assert.notEqual(compressKeepingAtoms(text, { model: 'gpt-5.4' }).text, text);
      assert.notEqual(new PromptCompressor().compress(text, {}).text, text);
    });

    it('no whitespace diagnostic inside the code', () => {
      const text = codeAgentSystemPrompt();
      const at = text.indexOf(codeLine);
      const inCode = new PromptAnalyzer()
        .analyze(text)
        .optimizationSuggestions.filter((s) => s.kind === 'whitespace' && s.range !== undefined && s.range.start >= at && s.range.start < at + codeLine.length);
      assert.deepEqual(inCode, []);
    });
  });
});

describe('Gradio chat messages (newuser46)', () => {
  it("a gr.ChatMessage is shown in the page's chatbot, not sent to a model", () => {
    // smolagents' gradio_ui.py streams the agent's steps to a Gradio chatbot: `gr.ChatMessage(role=MessageRole.ASSISTANT,
    // content="**Planning step**", …)`. Before: six assistant prompts ("**{step_number}**", "**Planning step**", "Planning
    // step", "**Final answer:** …"), each with a lens, Compress and Optimize.
    const found = findPrompts(fixture('smolagents_gradio_ui.py'), 'python', { fileName: 'smolagents/gradio_ui.py' });
    assert.deepEqual(found.map((p) => p.text), []);
  });

  it('a message of the app itself with the same role is still a prompt', () => {
    // smolagents' memory.py: `ChatMessage(role=MessageRole.USER, content=[{"type": "text", "text": "Now proceed and carry out this plan."}])`.
    const src = 'from smolagents.models import ChatMessage, MessageRole\n\ndef to_messages(plan):\n    return [\n        ChatMessage(role=MessageRole.ASSISTANT, content=[{"type": "text", "text": plan}]),\n        ChatMessage(role=MessageRole.USER, content=[{"type": "text", "text": "Now proceed and carry out this plan."}]),\n    ]\n';
    assert.deepEqual(findPrompts(src, 'python', { fileName: 'memory.py' }).map((p) => `${p.kind}: ${p.text}`), ['user: Now proceed and carry out this plan.']);
    const gradio = 'import gradio as gr\n\ndef show(plan):\n    yield gr.ChatMessage(role="assistant", content="Now proceed and carry out this plan.")\n';
    assert.deepEqual(findPrompts(gradio, 'python', { fileName: 'ui.py' }).map((p) => p.text), []);
  });
});

describe('an OpenAI-compatible server answers (newuser46)', () => {
  it("a streamed chunk's delta and a choice's message are answers, not prompts", () => {
    // node-DeepResearch's app.ts serves /v1/chat/completions and opens its stream with `choices: [{ index: 0, delta: { role:
    // 'assistant', content: '<think>', type: 'think' }, … }]`. Before: an assistant prompt "<think>", priced as a model
    // "agent" ("No price for agent"), taken from another call's `model: 'agent'`.
    const found = findPrompts(fixture('deepresearch_app.ts'), 'typescript', { fileName: 'node-DeepResearch/app.ts' });
    assert.deepEqual(found.map((p) => `${p.kind}: ${p.text}`), ['system: Extract the structured data from the text according to the JSON schema.']);
    const answer = "res.write(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'I could not answer this question.' }, finish_reason: 'stop' }] }));\n";
    assert.deepEqual(findPrompts(answer, 'typescript', { fileName: 'server.ts' }).map((p) => p.text), []);
  });

  it('a message list sent to a model is still found', () => {
    const src = "const r = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'assistant', content: 'Hello! How can I help you today?' }, { role: 'user', content: q }] });\n";
    assert.deepEqual(findPrompts(src, 'typescript', { fileName: 'chat.ts' }).map((p) => `${p.kind}: ${p.text}`), ['assistant: Hello! How can I help you today?']);
  });
});

describe('single braces in a Jinja template are text (newuser46)', () => {
  it("the Python of smolagents' examples names no runtime value and is counted", () => {
    // code_agent.yaml's system prompt is rendered with Jinja (`{%- for tool in tools.values() %}`, `{{code_block_opening_tag}}`);
    // its examples hold Python f-strings (`print(f"The translated question is {translated_question}.")`, `{city}`),
    // sent as written. Before: the hover listed translated_question, answer and city as runtime values, not counted.
    const src = fixture('smolagents_code_agent.yaml');
    const system = findPrompts(src, 'yaml', { fileName: 'smolagents/prompts/code_agent.yaml' }).find((p) => p.boundName === 'system_prompt');
    assert.ok(system);
    const composed = composePrompt(system, src);
    assert.deepEqual(
      composed.runtimeValues.filter((v) => /^(translated_question|answer|city)$/.test(v)),
      [],
    );
    assert.ok(composed.runtimeValues.includes('code_block_opening_tag'));
    assert.ok(composed.counted.includes('print(f"The translated question is {translated_question}.")'));
    assert.ok(!composed.counted.includes('{{code_block_opening_tag}}'));
  });

  it('a str.format template keeps its fields', () => {
    const src = 'PROMPT = """Translate {text} into {language}. Answer with the translation only."""\nmsg = PROMPT.format(text=t, language=l)\n';
    const p = findPrompts(src, 'python', { fileName: 'prompts.py' })[0];
    assert.deepEqual(composePrompt(p, src).runtimeValues, ['text', 'language']);
  });
});

describe("a command-line option's default model (newuser46)", () => {
  it("prices the script's prompts with the default of --model-id", () => {
    // smolagents' vision_web_browser.py: `parser.add_argument("--model-id", type=str, default="gpt-4o", …)`, then
    // `load_model(model_type, model_id, …)` and `agent.run(prompt + helium_instructions)`. Before: helium_instructions was
    // priced for the default model (gpt-5.4, "openai in pyproject.toml"), as if the script named none.
    const found = findPrompts(fixture('smolagents_vision_web_browser.py'), 'python', { fileName: 'smolagents/vision_web_browser.py' });
    const helium = found.find((p) => p.boundName === 'helium_instructions');
    assert.ok(helium);
    assert.equal(helium.model?.name, 'gpt-4o');
    assert.equal(helium.model?.range.start.line, 44);
  });

  it('an option that is not the model, or two options naming different models, set none', () => {
    const head = 'import argparse\nSYSTEM_PROMPT = "You are a meticulous research assistant. Answer only from the given sources."\nparser = argparse.ArgumentParser()\n';
    const send = 'args = parser.parse_args()\nclient.chat.completions.create(model=args.model, messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n';
    const model = (src: string) => findPrompts(src, 'python', { fileName: 'run.py' }).find((p) => p.boundName === 'SYSTEM_PROMPT')?.model?.name;
    assert.equal(model(head + 'parser.add_argument("--model", default="gpt-4o-mini")\n' + send), 'gpt-4o-mini');
    assert.equal(model(head + 'parser.add_argument("--output", default="gpt-4o-mini.txt")\n' + send), undefined);
    assert.equal(model(head + 'parser.add_argument("--model", default="gpt-4o-mini")\nparser.add_argument("--judge-model", default="claude-sonnet-4-5")\nparser.add_argument("--llm", default="claude-sonnet-4-5")\n' + send), undefined);
  });
});

describe('a single-brace field in the prose of a Jinja template is sent as written (newuser46)', () => {
  // smolagents renders its prompt templates with Jinja (`Template(template, undefined=StrictUndefined).render(**variables)`,
  // agents.py populate_template) and passes `remaining_steps`, but update_plan_post_messages writes "Beware that you have
  // {remaining_steps} steps remaining.": the model reads the braces, never the number.
  const src = fixture('smolagents_code_agent.yaml');
  const prompts = findPrompts(src, 'yaml', { fileName: 'smolagents/prompts/code_agent.yaml' });

  it('names {remaining_steps} and none of the Python of the examples', () => {
    const post = prompts.find((p) => p.boundName === 'planning.update_plan_post_messages');
    assert.ok(post);
    assert.deepEqual(composePrompt(post, src).sentAsWritten, ['remaining_steps']);
    const system = prompts.find((p) => p.boundName === 'system_prompt');
    assert.ok(system);
    assert.equal(composePrompt(system, src).sentAsWritten, undefined);
  });

  it('the hint carries them to the hover', async () => {
    const hints = await new PromptHintService(() => PriceCatalog.bundled()).compute({ languageId: 'yaml', fileName: 'smolagents/prompts/code_agent.yaml', text: src, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const named = hints.prompts.filter((h) => h.sentAsWritten !== undefined).map((h) => `${h.location.boundName}: ${h.sentAsWritten?.join(', ')}`);
    assert.deepEqual(named, ['planning.update_plan_post_messages: remaining_steps']);
  });

  it('a str.format template or a Jinja template without statements says nothing', () => {
    for (const text of ['Beware that you have {remaining_steps} steps remaining.', 'Hello {{name}}, you have {count} steps left.']) {
      const src2 = `prompts:\n  plan: |\n    ${text}\n    Now write your plan below.\n`;
      const p = findPrompts(src2, 'yaml', { fileName: 'prompts.yaml' })[0];
      assert.ok(p, text);
      assert.equal(composePrompt(p, src2).sentAsWritten, undefined);
    }
  });
});
