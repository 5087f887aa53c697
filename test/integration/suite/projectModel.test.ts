// Session 32 (cfg32), from newuser31 on geekan/MetaGPT: the model a project configures in config/config2.yaml
// (`llm: model: "gpt-4-turbo"`) prices the prompts whose code names none, in the lens and hover, and follows the
// file when it changes on disk; "Estimate Cost…" run from the prompt under the cursor starts from its model and
// count. The config and prompt are MetaGPT's own (test/fixtures/project-model, test/fixtures/hints-real, MIT).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { count } from '../../helpers/tiktokenOracle';
import { api, estimateQuestions, waitFor } from '../helpers';

const repo = path.resolve(__dirname, '../../../..');
const configText = fs.readFileSync(path.join(repo, 'test/fixtures/project-model/MetaGPT/config/config2.yaml'), 'utf8');
const writeCode = fs.readFileSync(path.join(repo, 'test/fixtures/hints-real/metagpt_write_code.py'), 'utf8');

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('Project config model (config/config2.yaml) and Estimate Cost from a prompt', function () {
  this.timeout(120_000);
  let dir: string;
  let document: vscode.TextDocument;

  before(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder');
    dir = path.join(root, 'cfg32-metagpt');
    fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'metagpt', 'actions'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'config', 'config2.yaml'), configText);
    fs.writeFileSync(path.join(dir, 'metagpt', 'actions', 'write_code.py'), writeCode);
    await api();
    document = await vscode.workspace.openTextDocument(path.join(dir, 'metagpt', 'actions', 'write_code.py'));
    await vscode.window.showTextDocument(document);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function lensTitle(model: string): Promise<string> {
    let titles: string[] = [];
    await waitFor(() => `a lens priced for ${model} (last: ${titles.join(' | ') || 'none'})`, async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
      titles = lenses.map((l) => l.command?.title ?? '').filter((t) => t.includes(' per call '));
      return titles.some((t) => t.includes(`(${model}, from cfg32-metagpt/config/config2.yaml llm.model)`));
    }, 60_000, 250);
    return titles.find((t) => t.includes(model)) ?? '';
  }

  it('the lens and hover say gpt-4-turbo, from cfg32-metagpt/config/config2.yaml llm.model', async () => {
    const title = await lensTitle('gpt-4-turbo');
    assert.match(title, /^≥[\d,]+ tokens \+ runtime values · ≥\$[\d.]+ per call \(gpt-4-turbo, from cfg32-metagpt\/config\/config2\.yaml llm\.model\)$/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(writeCode.indexOf('NOTICE') + 2));
    const text = hoverText(hovers);
    assert.ok(text.includes('**gpt-4-turbo** (project config)'), text);
    assert.ok(text.includes('Model: gpt-4-turbo, from cfg32-metagpt/config/config2.yaml llm.model.'), text);
  });

  it('a changed config file is read again: the lens follows it', async () => {
    fs.writeFileSync(path.join(dir, 'config', 'config2.yaml'), configText.replace('"gpt-4-turbo"', '"gpt-4o"'));
    await lensTitle('gpt-4o');
  });

  it('Estimate Cost… from the cursor in the prompt prefills its model and its count (at least, with runtime values)', async () => {
    const a = await api();
    const hints = await a.prompts.get(document);
    const prompt = hints?.prompts[0];
    assert.ok(prompt && prompt.runtimeValues.length > 0);
    const editor = await vscode.window.showTextDocument(document);
    const at = document.positionAt(writeCode.indexOf('NOTICE') + 2);
    editor.selection = new vscode.Selection(at, at);
    const asked: Array<{ prompt?: string; value?: string }> = [];
    let picked: { models: string[]; placeHolder?: string } | undefined;
    const ui = a.cost.estimateUi;
    const saved = { ...ui };
    // Every question stays when focus moves (the dashboard's webview taking it back as the palette closes hid the
    // model question in CI, and the command ended without a word).
    const dropsOnFocusOut: string[] = [];
    ui.pickModel = (models, options) => {
      if (options.ignoreFocusOut !== true) dropsOnFocusOut.push('model');
      picked = { models, ...(options.placeHolder !== undefined ? { placeHolder: options.placeHolder } : {}) };
      return Promise.resolve(models[0]);
    };
    // Accept each prefilled value.
    ui.askText = (options) => {
      if (options.ignoreFocusOut !== true) dropsOnFocusOut.push(options.prompt ?? '?');
      asked.push({ ...(options.prompt !== undefined ? { prompt: options.prompt } : {}), ...(options.value !== undefined ? { value: options.value } : {}) });
      return Promise.resolve(options.value);
    };
    try {
      await vscode.commands.executeCommand('pepperpy.cost.estimate');
    } finally {
      Object.assign(ui, saved);
    }
    assert.equal(picked?.models[0], 'gpt-4o');
    assert.equal(picked?.placeHolder, `Model to price (first: gpt-4o, the model of ${prompt.title} (write_code.py:1))`);
    assert.deepEqual(dropsOnFocusOut, []);
    assert.equal(asked[0].value, String(prompt.cost.tokens.count));
    assert.equal(asked[0].prompt, `Average input tokens per query. ${prompt.title} (write_code.py:1) has at least ${prompt.cost.tokens.count.toLocaleString('en-US')} tokens for gpt-4o: its runtime values are not counted, add their usual size.`);
    const form = a.cost.panel.currentState.estimateForm;
    assert.deepEqual([form.model, form.avgInputTokens], ['gpt-4o', prompt.cost.tokens.count]);
  });
  it('Estimate Cost… on a selection prefills the selection\'s count for the model of the prompt around it', async () => {
    const a = await api();
    const editor = await vscode.window.showTextDocument(document);
    const phrase = 'Role: You are a professional engineer; the main goal is to write google-style, elegant, modular, easy to read and maintain code';
    const start = writeCode.indexOf(phrase);
    editor.selection = new vscode.Selection(document.positionAt(start), document.positionAt(start + phrase.length));
    const ui = a.cost.estimateUi;
    const saved = { ...ui };
    const asked: string[] = [];
    let first: string | undefined;
    ui.pickModel = (models) => {
      first = models[0];
      return Promise.resolve(models[0]);
    };
    ui.askText = (options) => {
      asked.push(options.value ?? '');
      return Promise.resolve(options.value);
    };
    try {
      await vscode.commands.executeCommand('pepperpy.cost.estimate');
    } finally {
      Object.assign(ui, saved);
    }
    // gpt-4o counts with o200k_base: js-tiktoken is the oracle.
    assert.equal(first, 'gpt-4o');
    assert.equal(asked[0], String(count(phrase)));
  });

  // left33 (break32): a count that is an estimate (no local tokenizer for the model) was prefilled as "has N tokens", where
  // the lens says "~N". The real Claude cookbook judge (test/fixtures/hints-real/cc_llm_eval_two_judges.py, MIT).
  it('Estimate Cost… on a selection in a Claude prompt says its count is an estimate, "~" as the lens; an exact one has none', async () => {
    const a = await api();
    const judge = fs.readFileSync(path.join(repo, 'test/fixtures/hints-real/cc_llm_eval_two_judges.py'), 'utf8');
    const file = path.join(dir, 'llm_eval.py');
    fs.writeFileSync(file, judge);
    const doc = await vscode.workspace.openTextDocument(file);
    const ask = async (d: vscode.TextDocument, text: string, phrase: string): Promise<{ prompt?: string; value?: string }> => {
      const editor = await vscode.window.showTextDocument(d);
      const start = text.indexOf(phrase);
      editor.selection = new vscode.Selection(d.positionAt(start), d.positionAt(start + phrase.length));
      const asked = await estimateQuestions(a);
      return asked[0];
    };
    // Claude's count is o200k_base's (the estimate js-tiktoken gives).
    await waitFor(() => 'the judge prompt indexed', async () => ((await a.prompts.get(doc))?.prompts.length ?? 0) > 0, 30_000, 250);
    const phrase = 'Evaluate the following summary based on these criteria:';
    const claude = await ask(doc, judge, phrase);
    assert.equal(claude.value, String(count(phrase)));
    assert.equal(claude.prompt, `Average input tokens per query. the selection in llm_eval.py has ~${count(phrase)} tokens for claude-3-5-sonnet-20241022, estimated: no local tokenizer for this model.`);
    const exactPhrase = 'Role: You are a professional engineer';
    const exact = await ask(document, writeCode, exactPhrase);
    assert.equal(exact.prompt, `Average input tokens per query. the selection in write_code.py has ${count(exactPhrase)} tokens for gpt-4o.`);
  });
});
