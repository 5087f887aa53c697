// What the scanner got wrong in the held-out round 13 of the scan corpus (session 38, helper scan38: Giskard-AI/giskard,
// guardrails-ai/guardrails, vocodedev/vocode-core, uptrain-ai/uptrain, truera/trulens, nanobrowser/nanobrowser,
// bytedance/UI-TARS-desktop, langfuse/langfuse, EleutherAI/lm-evaluation-harness). The real files are in test/fixtures/scan
// (SOURCES.md); the oracle is the file read by hand (annotations.json). Each rule has a near miss beside it that must stay
// as it was.
import * as assert from 'node:assert/strict';
import { foundIn, foundInScanFixture } from '../../../helpers/scanCorpus';
import { describedWork, toolNames } from '../../../../src/shared/prompt/scanner/fileNames';

const found = foundInScanFixture;

describe('findPrompts: held-out round 13 and the rules it asked for (session 38)', () => {
  it('UI-TARS: a constant that a condition chooses in a prompt (`${zh ? ExamplesZH : ExamplesEN}`) is a fragment of it', () => {
    assert.deepEqual(found('ts/uitars_prompts.ts'), [
      [9, 25, 'system'],
      [30, 57, 'system'],
      [59, 87, 'system'],
      [89, 116, 'system'],
      [118, 129, 'template'],
      [131, 142, 'template'],
      [147, 193, 'system'],
    ]);
    const ts = [
      'const ExamplesZH = `- Example1. Thought: 我先点击搜索框。',
      '- Example2. Thought: 然后输入关键词。`;',
      'const ExamplesEN = `- Example1. Thought: I click the search box first, then type the keywords and press enter.`;',
      '',
      "export const getSystemPrompt = (language: 'zh' | 'en') => `You are a GUI agent. You are given a task and screenshots.",
      '## Thought Examples',
      "${language === 'zh' ? ExamplesZH : ExamplesEN}",
      '`;',
    ].join('\n');
    assert.deepEqual(foundIn(ts, 'prompts.ts'), [
      [1, 2, 'template'],
      [3, 3, 'template'],
      [5, 8, 'system'],
    ]);
    // Python's `{A if cond else B}` too.
    const py = [
      'EXAMPLES_FR = "Exemple : Pensée : je clique sur le champ de recherche puis je tape les mots-clés."',
      'EXAMPLES_EN = "Example: Thought: I click the search field and then type the keywords of the task."',
      '',
      'def system_prompt(lang):',
      '    return f"""You are a GUI agent. You are given a task and screenshots of the screen.',
      '{EXAMPLES_FR if lang == "fr" else EXAMPLES_EN}"""',
    ].join('\n');
    assert.deepEqual(foundIn(py, 'prompts.py'), [
      [1, 1, 'template'],
      [2, 2, 'template'],
      [5, 6, 'system'],
    ]);
    // Chosen in a text that is no prompt, the constants stay what they are.
    const near = [
      'const DARK_HINT = `Switch the editor to the dark theme to rest your eyes at night.`;',
      'const LIGHT_HINT = `Switch the editor to the light theme to read better in daylight.`;',
      '',
      'export function themeTip(dark: boolean): string {',
      '  return `Tip: ${dark ? LIGHT_HINT : DARK_HINT}`;',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'tips.ts'), []);
  });
  it("Langfuse and Vocode: a *_DESCRIPTION constant the file gives as a tool's or a parameter's description is one, without an LLM import", () => {
    assert.deepEqual(found('ts/langfuse_in_app_agent_tools.ts'), [
      [51, 51, 'tool'],
      [57, 57, 'tool'],
      [63, 63, 'tool'],
      [70, 70, 'tool'],
      [79, 79, 'tool'],
      [451, 451, 'tool'],
    ]);
    assert.deepEqual(found('python/vocode_transfer_call.py'), [
      [25, 25, 'tool'],
      [62, 62, 'tool'],
    ]);
    const zod = [
      "import { z } from 'zod';",
      "const QUERY_PARAMETER_DESCRIPTION = 'The search query, in the words of the user, without quotes or operators.';",
      'export const searchInput = z.object({ query: z.string().describe(QUERY_PARAMETER_DESCRIPTION) });',
    ].join('\n');
    assert.deepEqual(foundIn(zod, 'search.ts'), [[2, 2, 'tool']]);
    const action = [
      'from pydantic import BaseModel',
      '',
      'FUNCTION_DESCRIPTION = "Ends the phone call. Use it only after the caller has said goodbye."',
      '',
      'class EndCallParameters(BaseModel):',
      '    pass',
      '',
      'class EndCall(BaseAction):',
      '    description: str = FUNCTION_DESCRIPTION',
      '    parameters_type = EndCallParameters',
    ].join('\n');
    assert.deepEqual(foundIn(action, 'end_call.py'), [[3, 3, 'tool']]);
    // A page's metadata (its Open Graph `type` is no JSON schema type) and a settings class's attribute are not tools.
    const metadata = [
      "const SITE_TITLE = 'Acme Docs';",
      "const SITE_DESCRIPTION = 'Guides and reference for the Acme platform, written by the team that builds it.';",
      'export const metadata = {',
      '  title: SITE_TITLE,',
      '  description: SITE_DESCRIPTION,',
      "  openGraph: { type: 'website', title: SITE_TITLE, description: SITE_DESCRIPTION },",
      '};',
    ].join('\n');
    assert.deepEqual(foundIn(metadata, 'layout.ts'), []);
    const settings = [
      'from pydantic import BaseModel',
      '',
      'APP_DESCRIPTION = "The dashboard of the billing team, with the invoices of the last twelve months."',
      '',
      'class Settings(BaseModel):',
      '    description: str = APP_DESCRIPTION',
      '    port: int = 8080',
    ].join('\n');
    assert.deepEqual(foundIn(settings, 'settings.py'), []);
  });

  it('break38: a class of thousands of `description = *_DESCRIPTION` lines is read once, not once per line', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `    description = APP_DESCRIPTION  # ${i}`);
    const src = ['APP_DESCRIPTION = "The dashboard of the billing team, with the invoices of the last twelve months."', '', 'class Settings(BaseModel):', ...lines, '    description = APP_DESCRIPTION', '', 'class EndCall(BaseAction):', '    description = END_CALL_DESCRIPTION', ''].join('\n');
    const before = describedWork.steps;
    const names = toolNames(src).described;
    const steps = describedWork.steps - before;
    // The settings class's attribute is no tool; the action's is.
    assert.deepEqual([...names], [['END_CALL_DESCRIPTION', 'the description of a tool class']]);
    // Before: the Settings class (~100 KB) read again for each of its 3,000 lines, ~300 million characters.
    assert.ok(steps <= 3 * src.length, `${steps} steps for ${src.length} characters`);
  });

  it("lm-evaluation-harness: a task config's doc_to_text and doc_to_target with text of their own are its prompt templates", () => {
    assert.deepEqual(found('yaml/lmeval_cruxeval_input.yaml').map(([s, e]) => [s, e]), [
      [9, 9],
      [10, 10],
      [11, 11],
    ]);
    const task = [
      'task: arithmetic_word_problems',
      'dataset_path: acme/word-problems',
      'output_type: generate_until',
      'description: "Solve each word problem and give only the final number as the answer.\\n\\n"',
      'doc_to_text: "Problem: {{problem}}\\nAnswer:"',
      'doc_to_target: "{{answer}}"',
    ].join('\n');
    assert.deepEqual(taskPromptLines(task), [4, 5]);
    // Only a value (`{{answer}}`), a column name, a function of the task's module, or the same key outside a task config.
    const near = ['task: arithmetic_word_problems', 'include: _default_yaml', 'doc_to_text: !function utils.doc_to_text', 'doc_to_target: answer', 'doc_to_choice: "{{choices}}"'].join('\n');
    assert.deepEqual(taskPromptLines(near), []);
    assert.deepEqual(taskPromptLines(['name: report', 'version: 2', 'doc_to_text: "Problem: {{problem}}\\nAnswer:"'].join('\n')), []);
  });
});

/** The first lines of the prompts found in a YAML task config. */
function taskPromptLines(src: string): number[] {
  return foundIn(src, 'task.yaml').map(([s]) => s);
}
