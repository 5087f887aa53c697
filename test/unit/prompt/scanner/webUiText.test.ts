// Text a Gradio or Streamlit page shows is no prompt. Cinnamon/kotaemon 4015bb0f (Apache-2.0),
// libs/kotaemon/kotaemon/contribs/promptui/ui/chat.py: `USAGE_INSTRUCTION = """## How to use: …"""` passed only to
// `gr.Markdown(USAGE_INSTRUCTION)` had a 302-token "system prompt" lens (newuser40). A name also sent to a model stays a
// prompt. Oracle: the files read by hand.
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const HELP = 'USAGE_INSTRUCTION = """## How to use:\n\n1. Set the desired parameters.\n2. Click "New chat" to start a chat session with the supplied parameters. This button will need to be clicked every time you want to apply changes to the pipeline.\n3. Chat with the pipeline.\n"""\n';
const file = (body: string) => `import gradio as gr\nimport streamlit as st\nfrom openai import OpenAI\n\nclient = OpenAI()\n${HELP}\n\ndef build():\n${body}`;
const prompts = (src: string) => findPrompts(src, 'python', { fileName: 'chat.py' }).map((p) => p.boundName ?? p.text.slice(0, 20));

describe('prompt finding: text only shown on a web page', () => {
  it('a constant passed only to gr.Markdown or st.markdown is no prompt', () => {
    assert.deepEqual(prompts(file('    with gr.Blocks() as demo:\n        gr.Markdown(USAGE_INSTRUCTION)\n    return demo\n')), []);
    assert.deepEqual(prompts(file('    st.markdown(USAGE_INSTRUCTION)\n')), []);
  });

  it('shown and also sent to a model, or used otherwise: still a prompt', () => {
    const sent = file('    st.markdown(USAGE_INSTRUCTION)\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": USAGE_INSTRUCTION}])\n');
    assert.deepEqual(prompts(sent), ['USAGE_INSTRUCTION']);
    const passed = file('    gr.Markdown(USAGE_INSTRUCTION)\n    return run_agent(USAGE_INSTRUCTION)\n');
    assert.deepEqual(prompts(passed), ['USAGE_INSTRUCTION']);
  });
});
