/**
 * pydantic-ai's hello-world shape (session 29, break29's leftover): `agent = Agent('openai:gpt-4o', system_prompt=…)`
 * then `agent.run_sync('…')`. The file never says "model", so the model pass returned before looking, and the user
 * prompt sent through run_sync was priced with pepperpy.defaultModel (gpt-5.4) although the file's only agent names its
 * model. Expected models read off the code: the one Agent's first argument. Since newuser48 the model is the run agent's
 * own (`agent.run_sync(…)`: 'resolved' through `agent`), no longer the file's only model ('file'): same model.
 */
import * as assert from 'node:assert/strict';
import { sharedPriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';

async function models(text: string): Promise<Array<[string, string, string]>> {
  const service = new PromptHintService(sharedPriceCatalog);
  const result = await service.compute({ text, languageId: 'python', fileName: 'agent.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
  return result.prompts.map((p) => [p.location.text, p.model, p.modelSource]);
}

describe("pydantic-ai: a prompt sent through an agent's run_sync is priced with the agent's model", () => {
  it('a literal passed to run_sync, in a file that never says "model"', async () => {
    const text = "from pydantic_ai import Agent\n\nagent = Agent('openai:gpt-4o', system_prompt='Be concise, reply with one sentence.')\n\nresult = agent.run_sync('Where does \"hello world\" come from?')\nprint(result.output)\n";
    assert.deepEqual(await models(text), [
      ['Be concise, reply with one sentence.', 'openai:gpt-4o', 'call'],
      ['Where does "hello world" come from?', 'openai:gpt-4o', 'resolved'],
    ]);
  });

  it('a variable passed to run_sync, the agent on Groq', async () => {
    const text = 'from pydantic_ai import Agent\n\nagent = Agent("groq:llama-3.3-70b-versatile", system_prompt="You are a concise assistant. Answer in one sentence.")\n\nprompt = "Summarize the following release notes for a product manager and list the three biggest changes."\nresult = agent.run_sync(prompt)\n';
    const found = await models(text);
    assert.deepEqual(found.map(([, model, source]) => [model, source]), [
      ['groq:llama-3.3-70b-versatile', 'call'],
      ['groq:llama-3.3-70b-versatile', 'resolved'],
    ]);
  });
});
