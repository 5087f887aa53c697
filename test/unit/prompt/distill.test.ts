import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { mainInstructionIndex, PromptDistiller } from '../../../src/engine/prompt/distiller';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { analyzeProtected } from '../../../src/shared/prompt/protected';
import { loadCollections, type CollectionPrompt } from '../../fixtures/prompts/corpus';

const compressor = new PromptCompressor();
const distiller = new PromptDistiller();
const prompts = loadCollections();

function prompt(id: string): CollectionPrompt {
  const p = prompts.find((x) => x.id === id);
  assert.ok(p, `${id} is in the corpus`);
  return p;
}

/** The main instruction as the distiller sees it: in the medium-compressed text. */
function mainInstruction(p: CollectionPrompt): string | undefined {
  const base = compressor.compress(p.text, { level: 'medium', language: p.language }).text;
  const units = analyzeProtected(base, p.language).units;
  return units[mainInstructionIndex(units, compiledPack(p.language))]?.text;
}

describe('distiller keeps the main instruction (real prompts, test/fixtures/prompts/SOURCES.md)', function () {
  this.timeout(120_000);

  it('identifies the main instruction: the task heading, else the first sentence that opens with a task verb', () => {
    // f/awesome-chatgpt-prompts "Linux Terminal": "I want you to act as a linux terminal." (compressed to "Act as…").
    assert.equal(mainInstruction(prompt('acp:Linux Terminal')), 'Act as a linux terminal.');
    // danielmiessler/fabric create_formal_email: the sentence under "# TASK", not the role sentence under "# IDENTITY and PURPOSE".
    assert.equal(mainInstruction(prompt('fabric:create_formal_email')), 'Assist in writing or responding to emails by understanding the context, purpose, and tone required.');
    // fabric explain_docs: no task verb opens a sentence before "# STEPS"; the first step is the task (compressed: a list item loses its articles, "the following" → "this").
    assert.equal(mainInstruction(prompt('fabric:explain_docs')), '- Take input given on how to use given tool or product, and output better instructions using this format:');
    // runawaydevil (pt) and ChatGPT-Shortcut card 105 (es).
    assert.equal(mainInstruction(prompt('promptking-pt:agir-como-consola-javascript')), 'Atue como consola javascript.');
    assert.equal(mainInstruction(prompt('chatgpt-shortcut-es:card-105')), 'Actúa como intérprete de R.');
    // microsoft/generative-ai-for-beginners (pt): the request is the whole prompt.
    assert.equal(mainInstruction(prompt('gai:pt-api-web')), 'Crie uma API Web em Python com rotas para produtos e clientes');
  });

  it('keeps it under a tight budget while examples and context are dropped', () => {
    // Before this rule the distiller dropped "Act as a linux terminal." at a 24-token budget and kept the constraint sentences only.
    const linux = distiller.distill(prompt('acp:Linux Terminal').text, { maxTokens: 24 });
    assert.ok(linux.text.startsWith('Act as a linux terminal. '), linux.text);
    assert.ok(!linux.dropped.some((d) => d.text === 'Act as a linux terminal.'));
    const email = distiller.distill(prompt('fabric:create_formal_email').text, { maxTokens: 60 });
    assert.ok(email.text.includes('# TASK\n\nAssist in writing or responding to emails by understanding the context, purpose, and tone required.'), email.text);
    // Step details went to the budget; the task stayed.
    assert.ok(email.dropped.some((d) => d.reason === 'budget' && d.text.startsWith('- Identify key details')));
    const pt = distiller.distill(prompt('gai:pt-api-web').text, { maxTokens: 5 });
    assert.ok(pt.text.includes('Crie uma API Web em Python com rotas para produtos e clientes'), pt.text);
  });

  it("a format rule after the task is not the main instruction (vercel/ai's predicted-output example, breaker45)", () => {
    const source = readFileSync(resolve(__dirname, '../../../../test/fixtures/hints-real/vai_predicted_output.ts'), 'utf8');
    const task = 'Replace the Username property with an Email property. Respond only with code, and with no markdown formatting.';
    assert.ok(source.includes(`'${task}'`));
    const units = analyzeProtected(task, 'en').units;
    assert.equal(units[mainInstructionIndex(units, compiledPack('en'))]?.text, 'Replace the Username property with an Email property.');
    // At 30 % of its tokens the distiller kept "Respond only with code…" alone; the task now stays.
    const distilled = distiller.distill(task, { maxTokens: 7 });
    assert.ok(distilled.text.startsWith('Replace the Username property with an Email property.'), distilled.text);
    assert.ok(!distilled.dropped.some((d) => d.text.startsWith('Replace')));
    // A sentence that opens with a preposition and an article is no task: the format rule stays the main instruction.
    const context = analyzeProtected('In the text below, names are masked. Respond only with JSON, and no prose.', 'en').units;
    assert.equal(context[mainInstructionIndex(context, compiledPack('en'))]?.text, 'Respond only with JSON, and no prose.');
  });

  it('on every real prompt at 30 % and 50 % budgets, the main instruction is never dropped', () => {
    const lost: string[] = [];
    let checked = 0;
    for (const p of prompts) {
      const main = mainInstruction(p);
      if (main === undefined) continue;
      const compressedTokens = compressor.compress(p.text, { language: p.language }).tokensAfter;
      for (const share of [0.3, 0.5]) {
        const r = distiller.distill(p.text, { maxTokens: Math.max(5, Math.round(share * compressedTokens)), language: p.language });
        checked++;
        if (!r.text.includes(main)) lost.push(`${p.id} @${share}`);
      }
    }
    // 169 prompts × 2 budgets; before the rule 207 of these runs lost it (en 131, pt 39, es 37). Since session 28:
    // + 173 fabric patterns (fabric-patterns-rest.json) and + 77 ChatGPT-Shortcut cards (32 es, 45 pt) = 419 prompts.
    assert.equal(checked, 838);
    assert.deepEqual(lost, []);
  });

  it("a line that introduces a kept block stays with it (bolt.new's system prompt distilled to 2,023 tokens: its examples keep their labels)", () => {
    const file = join(resolve(__dirname, '../../../../test/fixtures/scan/ts'), 'bolt_prompts.ts');
    const system = findPrompts(readFileSync(file, 'utf8'), 'typescript', { fileName: file })[0];
    const r = distiller.distill(system.text, { maxTokens: 2023 });
    for (const label of ['Here are some examples of correct usage of artifacts:', 'For example:']) {
      assert.ok(system.text.includes(label));
      assert.ok(r.text.includes(label), `${label} was dropped`);
    }
    // Since the prose of its XML sections is text (not a protected block), more than "That's VERY important." may go
    // under this budget; what its author marked in capitals stays. The budget is met since the second and third
    // examples go whole before instructions (it was not while all three examples had to stay).
    assert.equal(r.fitsBudget, true);
    assert.ok(r.dropped.some((d) => d.text.startsWith("That's VERY important.")));
    for (const label of ['IMPORTANT: Prefer using Vite', 'IMPORTANT: Prefer writing Node.js scripts', 'ULTRA IMPORTANT: Do NOT re-run', 'CRITICAL: Think HOLISTICALLY']) {
      assert.ok(r.text.includes(label), `${label} was dropped`);
    }
  });

  it("a nested list item that stays keeps the item it hangs from (bolt.new: \"- shell:\" above \"ALWAYS provide the --yes flag\")", () => {
    const file = join(resolve(__dirname, '../../../../test/fixtures/scan/ts'), 'bolt_prompts.ts');
    const system = findPrompts(readFileSync(file, 'utf8'), 'typescript', { fileName: file })[0];
    for (const budget of [2023, 2600, 2800]) {
      const r = distiller.distill(system.text, { maxTokens: budget });
      const lines = r.text.split('\n');
      const child = lines.findIndex((l) => l.includes('ALWAYS provide the `--yes` flag'));
      assert.ok(child > 0, `budget ${budget}: the --yes line was dropped`);
      // The nearest less-indented line above it is its parent, "- shell: …".
      const indent = lines[child].search(/\S/);
      const parent = lines.slice(0, child).reverse().find((l) => l.trim() !== '' && l.search(/\S/) < indent);
      assert.match(parent ?? '', /^\s*- shell:/, `budget ${budget}`);
    }
  });

  it('an item under "* For …:" at the same indentation keeps that line, not the previous one (claude-cookbooks research_lead_agent.md)', () => {
    // anthropics/claude-cookbooks patterns/agents/prompts/research_lead_agent.md (test/fixtures/prompts/SOURCES.md): "- …"
    // items sit under "* For **Breadth-first queries**:" at indentation 0. The header was dropped, so the EU tax example
    // and two others read as items of "* For **Depth-first queries**:".
    const text = readFileSync(resolve(__dirname, '../../../../test/fixtures/prompts/xml/cc_research_lead_agent.md'), 'utf8');
    const base = new PromptCompressor().compress(text, { level: 'medium' }).text.split('\n');
    // The nearest "* …" or "1. …" line above line i.
    const header = (lines: string[], i: number) => lines.slice(0, i).reverse().find((l) => /^(?:\*|\d+\.) /.test(l));
    const r = distiller.distill(text);
    const out = r.text.split('\n');
    const misplaced: string[] = [];
    let items = 0;
    out.forEach((line, i) => {
      const k = line.startsWith('- ') ? base.indexOf(line) : -1;
      if (k < 0) return;
      items++;
      if (header(out, i) !== header(base, k)) misplaced.push(`${line.slice(0, 50)} under ${header(out, i)}`);
    });
    // 22 since a later sentence needs its item's first and an intro goes with its list (issue 12): the budget is spent differently.
    assert.equal(items, 22);
    assert.deepEqual(misplaced, []);
  });
});
