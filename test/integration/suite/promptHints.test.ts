// Inline prompt hints in a real VS Code: code lenses, hovers, diagnostics, code actions
// and in-place rewrites, on fixture files in every supported language. Each rewrite is
// checked with the language's own parser and for intact placeholders, then undone.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PromptCodeActionProvider } from '../../../src/extension/prompt/codeActions';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';
import { api, waitFor } from '../helpers';

const reference = new TokenizerService('js-tiktoken');

interface Fixture {
  file: string;
  /** The decoded text of the first prompt in the file, as written in the fixture. */
  firstPrompt: string;
  /** The model the first prompt's lens names. */
  model: string;
  /** A snippet inside the prompt to rewrite (its first occurrence). */
  rewriteAt: string;
  placeholders: string[];
  parses(text: string): string | undefined;
}

function pythonParses(text: string): string | undefined {
  const r = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: text, encoding: 'utf8' });
  return r.status === 0 ? undefined : r.stderr.trim().split('\n').pop();
}
function tsParses(text: string): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const out = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  const d = out.diagnostics ?? [];
  return d.length === 0 ? undefined : ts.flattenDiagnosticMessageText(d[0].messageText, '\n');
}
function yamlParses(text: string): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('yaml') as typeof import('yaml');
  const doc = yaml.parseDocument(text);
  return doc.errors.length === 0 ? undefined : doc.errors[0].message;
}
function jsonParses(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return String(error);
  }
}
function fencesClosed(text: string): string | undefined {
  return (text.match(/^```/gm) ?? []).length % 2 === 0 ? undefined : 'unclosed code fence';
}

const FIXTURES: Fixture[] = [
  {
    file: 'assistant.py',
    firstPrompt: 'You are a support assistant for Acme. Please basically answer only questions about Acme products and never share internal prices.',
    // SYSTEM_PROMPT is sent in the call that names gpt-4o-mini.
    model: 'gpt-4o-mini',
    rewriteAt: 'Please kindly answer',
    placeholders: ['{product}', '{question}'],
    parses: pythonParses,
  },
  {
    file: 'assistant.ts',
    firstPrompt: 'You are a triage bot. Please basically classify each support ticket as "bug", "question" or "feature". Answer with the label only.',
    model: 'gpt-4o',
    rewriteAt: 'You are a triage bot',
    placeholders: ['${team}', '${ticket}'],
    parses: tsParses,
  },
  {
    file: 'prompts.yaml',
    firstPrompt: 'You are an editor. Please basically summarize the article below in three bullet points.\nNever invent facts that are not in the article.\n',
    model: 'gpt-4o',
    rewriteAt: 'You are an editor',
    placeholders: ['{{ article }}'],
    parses: yamlParses,
  },
  {
    file: 'prompts.json',
    firstPrompt: "You are a translator. Please basically translate the user's text into French and reply with the translation only.",
    model: 'gpt-4o',
    rewriteAt: 'You are a translator',
    placeholders: ['{text}'],
    parses: jsonParses,
  },
  {
    file: 'guide.md',
    firstPrompt: 'You are a friendly support agent. Please basically answer in English, in at most three sentences, and never promise refunds.\n',
    // No model in a Markdown file: the lens prices it with pepperpy.defaultModel's default.
    model: 'gpt-5.4',
    rewriteAt: 'You are a friendly',
    placeholders: [],
    parses: fencesClosed,
  },
  {
    file: 'review.prompt',
    firstPrompt: 'You are a code reviewer. Please basically review the diff below and list concrete problems, one per line, as "file:line: problem". Do not comment on style.\n\nDiff:\n{{diff}}\n',
    // A .prompt file names no model either: pepperpy.defaultModel's default.
    model: 'gpt-5.4',
    rewriteAt: 'You are a code reviewer',
    placeholders: ['{{diff}}'],
    parses: () => undefined,
  },
];

function fixtureUri(file: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'hints', file);
}

/** Editor tabs showing the optimize preview `preview` (as a diff or on its own). */
function previewTabs(preview: vscode.Uri | undefined): vscode.Tab[] {
  const key = preview?.toString();
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) =>
    t.input instanceof vscode.TabInputTextDiff ? t.input.modified.toString() === key : t.input instanceof vscode.TabInputText && t.input.uri.toString() === key);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return waitFor(`code lenses in ${path.basename(uri.path)}`, async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    return lenses && lenses.some((l) => /tokens( \+ runtime values)? ·/.test(l.command?.title ?? '')) ? lenses : undefined;
  });
}

describe('Inline prompt hints', function () {
  this.timeout(90_000);

  before(async () => {
    const a = await api();
    // Optimize asks before applying; the tests accept and check that the diff was shown.
    a.rewriter.confirm = async () => true;
  });

  for (const fixture of FIXTURES) {
    describe(fixture.file, () => {
      let document: vscode.TextDocument;
      let original: string;

      before(async () => {
        document = await vscode.workspace.openTextDocument(fixtureUri(fixture.file));
        await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
        original = document.getText();
        assert.equal(fixture.parses(original), undefined, 'the fixture itself parses');
      });

      it('puts a lens with tokens and cost per call above the prompt', async () => {
        const lenses = await lensesOf(document.uri);
        // A prompt with runtime values is counted without them, as a lower bound.
        const fixed = fixture.placeholders.reduce((t, p) => t.split(p).join(''), fixture.firstPrompt);
        const runtime = fixed !== fixture.firstPrompt;
        const expected = reference.countWithEncoding(fixed, 'o200k_base');
        const title = lenses.map((l) => l.command?.title ?? '').find((t) => /tokens( \+ runtime values)? ·/.test(t));
        assert.ok(title, 'a token lens');
        const count = runtime ? `≥${expected} tokens \\+ runtime values · ≥` : `${expected} tokens · `;
        // A model the file does not name (the .md and .prompt fixtures) is marked as the default.
        const model = `${fixture.model.replace('.', '\\.')}${fixture.model === 'gpt-5.4' ? ', default' : ''}`;
        assert.match(title, new RegExp(`^${count}\\$[0-9.e-]+ per call \\(${model}\\)$`));
        const titles = lenses.map((l) => l.command?.title);
        assert.ok(titles.includes('Compress') && titles.includes('Optimize'), `lenses: ${titles.join(', ')}`);
      });

      it('shows tokens, costs for the compared models, context share and the price source on hover', async () => {
        const offset = original.indexOf(fixture.rewriteAt === 'Please kindly answer' ? 'Please basically' : fixture.rewriteAt) + 3;
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset));
        const text = hoverText(hovers);
        assert.match(text, /input cost per call/);
        // The first of pepperpy.compareModels' defaults.
        assert.match(text, /\| (\*\*)?gpt-5\.4-mini(\*\*)? /);
        assert.match(text, /claude-sonnet-4-5 \| (~\d+ \(estimate\)|≥ ~\d+ \(\+ runtime values, estimate\))/);
        assert.match(text, /Monthly input cost at 1,000 calls\/day/);
        assert.match(text, /Prices: @pydantic\/genai-prices@0\.1\.8/);
        // The hover's source, gpt-tokenizer 4.0.0's model data: 128,000 tokens for gpt-4o and gpt-4o-mini, 1,050,000 for gpt-5.4 (the default, for the files that name no model).
        assert.match(text, new RegExp(`Context window: .* of ${fixture.model === 'gpt-5.4' ? '1,050,000' : '128,000'} tokens`));
      });

      it('reports filler inside the prompt as a diagnostic with its exact range', async () => {
        const diagnostics = await waitFor('PepperPy diagnostics', () => {
          const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'PepperPy');
          return found.length > 0 ? found : undefined;
        });
        const filler = diagnostics.find((d) => d.code === 'filler');
        assert.ok(filler, `diagnostics: ${diagnostics.map((d) => `${typeof d.code === "object" ? String(d.code.value) : String(d.code)}: ${d.message}`).join('; ')}`);
        assert.equal(document.getText(filler.range), 'basically');
        assert.equal(filler.severity, vscode.DiagnosticSeverity.Information);
      });

      it('offers compress, distill and optimize as code actions', async () => {
        const position = document.positionAt(original.indexOf(fixture.rewriteAt) + 2);
        // The actions come from the prompt index, which answers once the engine has scanned this version.
        let titles: string[] = [];
        await waitFor(() => `the rewrite actions at "${fixture.rewriteAt}" (last offered: ${titles.join(', ') || 'none'})`, async () => {
          const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(position, position));
          titles = actions.map((a) => a.title);
          return titles.includes('Compress prompt');
        }, 60_000, 250);
        for (const t of ['Compress prompt', 'Distill prompt to N tokens…', 'Optimize prompt (quality)', 'Optimize prompt (efficiency)', 'Optimize prompt (balanced)']) assert.ok(titles.includes(t), `missing "${t}" in ${titles.join(', ')}`);
      });

      it('compresses in place, keeps the file valid and the placeholders, and one undo reverts it', async () => {
        const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
        const offset = original.indexOf(fixture.rewriteAt);
        const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', document.uri, offset + 1);
        assert.ok(outcome?.applied, `not applied: ${outcome?.reason}`);
        const changed = document.getText();
        assert.notEqual(changed, original);
        assert.equal(fixture.parses(changed), undefined, `the file no longer parses:\n${changed}`);
        for (const p of fixture.placeholders) assert.ok(changed.includes(p), `placeholder ${p} lost:\n${changed}`);
        assert.ok(changed.length < original.length, 'the prompt got shorter');
        await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
        await vscode.commands.executeCommand('undo');
        assert.equal(document.getText(), original, 'one undo restores the file');
      });

      it('compresses at the level pepperpy.compressionLevel names (light keeps more than aggressive; an unknown value is medium)', async () => {
        const config = vscode.workspace.getConfiguration('pepperpy');
        const offset = original.indexOf(fixture.rewriteAt);
        const compressedAt = async (level: string | undefined): Promise<string> => {
          await config.update('compressionLevel', level, vscode.ConfigurationTarget.Global);
          await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
          const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', document.uri, offset + 1);
          const text = document.getText();
          if (outcome?.applied) {
            assert.equal(fixture.parses(text), undefined, `the file no longer parses:\n${text}`);
            await vscode.commands.executeCommand('undo');
            assert.equal(document.getText(), original, 'one undo restores the file');
          }
          return text;
        };
        try {
          const light = await compressedAt('light');
          const medium = await compressedAt(undefined);
          const aggressive = await compressedAt('aggressive');
          const unknown = await compressedAt('extreme');
          assert.ok(aggressive.length < light.length, `aggressive (${aggressive.length} chars) is not shorter than light (${light.length})`);
          assert.ok(aggressive.length < medium.length, 'aggressive is not shorter than medium');
          assert.equal(unknown, medium, 'an unknown level compresses as medium');
        } finally {
          await config.update('compressionLevel', undefined, vscode.ConfigurationTarget.Global);
        }
      });

      it('distills to a token budget and keeps the file valid', async () => {
        await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
        const offset = original.indexOf(fixture.rewriteAt);
        const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; newText?: string }>('pepperpy.distillPrompt', document.uri, offset + 1, 12);
        if (outcome?.applied) {
          assert.equal(fixture.parses(document.getText()), undefined, `the file no longer parses:\n${document.getText()}`);
          for (const p of fixture.placeholders) assert.ok(document.getText().includes(p), `placeholder ${p} lost`);
          await vscode.commands.executeCommand('undo');
        } else {
          assert.equal(outcome?.reason, 'unchanged', `not applied: ${outcome?.reason}`);
        }
        assert.equal(document.getText(), original);
      });

      it('optimizes after showing a diff, keeps the file valid, and one undo reverts it', async () => {
        const a = await api();
        await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
        const offset = original.indexOf(fixture.rewriteAt);
        const before = a.rewriter.lastPreview?.toString();
        // The diff must be on screen while the user is asked.
        let diffOpenWhenAsked = false;
        a.rewriter.confirm = async () => {
          diffOpenWhenAsked = previewTabs(a.rewriter.lastPreview).length === 1;
          return true;
        };
        let outcome: { applied: boolean; reason?: string } | undefined;
        try {
          outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.optimizePrompt', document.uri, offset + 1, 'balanced');
        } finally {
          a.rewriter.confirm = async () => true;
        }
        if (!outcome?.applied) {
          assert.equal(outcome?.reason, 'unchanged', `not applied: ${outcome?.reason}`);
          return;
        }
        assert.notEqual(a.rewriter.lastPreview?.toString(), before, 'a diff preview was shown');
        assert.ok(diffOpenWhenAsked, 'the diff editor was open while the user was asked');
        assert.deepEqual(previewTabs(a.rewriter.lastPreview).map((t) => t.label), [], 'Apply left the diff tab open');
        assert.equal(fixture.parses(document.getText()), undefined, `the file no longer parses:\n${document.getText()}`);
        for (const p of fixture.placeholders) assert.ok(document.getText().includes(p), `placeholder ${p} lost`);
        await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
        await vscode.commands.executeCommand('undo');
        assert.equal(document.getText(), original, 'one undo restores the file');
      });
    });
  }

  it('Discard closes the optimize diff, and the next diff has a title of its own', async () => {
    const a = await api();
    const fixture = FIXTURES[0];
    assert.ok(fixture);
    const document = await vscode.workspace.openTextDocument(fixtureUri(fixture.file));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const original = document.getText();
    const offset = original.indexOf(fixture.rewriteAt) + 1;
    const seen: Array<{ preview: vscode.Uri | undefined; labels: string[]; summary: string }> = [];
    const previewProblems: number[] = [];
    a.rewriter.confirm = async (summary) => {
      seen.push({ preview: a.rewriter.lastPreview, labels: previewTabs(a.rewriter.lastPreview).map((t) => t.label), summary });
      // The preview is a copy of the file: its findings must not show in Problems a second time (newuser33: 24 → 41).
      const preview = vscode.workspace.textDocuments.find((d) => d.uri.toString() === a.rewriter.lastPreview?.toString());
      if (preview) {
        await a.prompts.get(preview);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        previewProblems.push(vscode.languages.getDiagnostics(preview.uri).length);
      }
      return false;
    };
    try {
      for (const target of ['balanced', 'balanced'] as const) {
        const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.optimizePrompt', document.uri, offset, target);
        assert.equal(outcome?.reason, 'discarded', `the optimization was not offered: ${outcome?.reason}`);
        assert.deepEqual(previewTabs(a.rewriter.lastPreview).map((t) => t.label), [], `Discard left the diff tab open (${target})`);
        assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'pepperpy-preview').length, 0, 'a preview diff tab is still open');
      }
    } finally {
      a.rewriter.confirm = async () => true;
    }
    assert.equal(document.getText(), original, 'Discard changed the file');
    assert.deepEqual(previewProblems, [0, 0], 'the preview has diagnostics of its own in Problems');
    assert.ok(vscode.languages.getDiagnostics(document.uri).length > 0, 'the file itself has diagnostics');
    assert.equal(seen.length, 2);
    for (const s of seen) assert.equal(s.labels.length, 1, 'the diff was not open while the user was asked');
    const [first, second] = seen.map((s) => s.labels[0]);
    assert.notEqual(first, second, 'the second diff reuses the first one\'s title');
    assert.match(second ?? '', new RegExp(path.basename(fixture.file).replace(/\./g, '\\.')), 'the title names the file');
    // The prompt has runtime values ({product}, {question}): the confirmation says its counts are of the literal as written
    // and quotes the lens's own count of the prompt (newuser29: "711 → 697" beside a lens of ≥644, unexplained).
    const promptLine = document.positionAt(offset).line;
    const lens = (await lensesOf(document.uri))
      .filter((l) => l.range.start.line <= promptLine && /^≥[\d,]+ tokens \+ runtime values/.test(l.command?.title ?? ''))
      .sort((x, y) => y.range.start.line - x.range.start.line)[0];
    const lensCount = /^≥([\d,]+)/.exec(lens?.command?.title ?? '')?.[1]?.replace(/,/g, '');
    assert.ok(lensCount, 'the lens of the optimized prompt');
    for (const s of seen) {
      const m = /^(\d+) → (\d+) tokens counting the literal as written, placeholders included \(the lens counts its fixed text: ≥(\d+)\)\./.exec(s.summary);
      assert.ok(m, `confirmation: ${s.summary}`);
      assert.equal(m[3], lensCount);
      assert.ok(Number(m[1]) > Number(m[3]), 'the literal as written counts more than its fixed text');
    }
  });

  it('applies the quick fix for a filler word and keeps the Python file valid', async () => {
    const document = await vscode.workspace.openTextDocument(fixtureUri('assistant.py'));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const original = document.getText();
    const diagnostic = await waitFor('the filler diagnostic', () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === 'PepperPy' && d.code === 'filler'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range);
    const fix = actions.find((a) => a.edit !== undefined && a.title === 'Remove "basically"');
    assert.ok(fix?.edit, `no quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(pythonParses(document.getText()), undefined);
    assert.ok(!document.getText().includes('basically answer only'), 'the filler word is gone');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original);
  });

  it('shows no lens on a message that is only a runtime value (gpt-researcher, newuser29; nufix32)', async () => {
    // gpt-researcher gpt_researcher/actions/report_generation.py lines 38-47 (commit 5d84d2f, Apache-2.0), dedented by eight
    // spaces, with the import it has: the system message is `f"{agent_role_prompt}"`, nothing to compress.
    const content = [
      'from gpt_researcher.utils.llm import create_chat_completion',
      '',
      'async def write_report_introduction(query, context, agent_role_prompt, config, prompt_family):',
      '    introduction = await create_chat_completion(',
      '        model=config.smart_llm_model,',
      '        messages=[',
      '            {"role": "system", "content": f"{agent_role_prompt}"},',
      '            {"role": "user", "content": prompt_family.generate_report_introduction(',
      '                question=query,',
      '                research_summary=context,',
      '                language=config.language',
      '            )},',
      '        ],',
      '        temperature=0.25,',
      '    )',
      '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    // The prompt is found (a message of the call), but it has nothing to count or rewrite: no lens at all, where it read
    // "≥0 tokens + runtime values · ≥$0" with no Compress or Optimize (nufix32).
    const a = await api();
    const hints = await waitFor('the hints of the document', async () => (await a.prompts.get(document))?.prompts.find((p) => p.location.range.start.line === 6), 60_000, 250);
    assert.deepEqual([hints.cost.tokens.count, hints.runtimeValues], [0, ['agent_role_prompt']]);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
    assert.deepEqual(lenses.filter((l) => l.range.start.line === 6).map((l) => l.command?.title ?? ''), []);
  });

  it('says "1 token" for a one-token prompt, in the lens and the status bar (newuser31 read "1 tokens")', async () => {
    const a = await api();
    const content = ['from openai import OpenAI', '', 'client = OpenAI()', 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])', ''].join('\n');
    assert.equal(reference.countWithEncoding('Hi', 'o200k_base'), 1);
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    let titles: string[] = [];
    await waitFor(() => `the lens of the one-token message (last: ${titles.join(' | ') || 'none'})`, async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
      titles = lenses.filter((l) => l.range.start.line === 3).map((l) => l.command?.title ?? '');
      return titles.some((t) => / ·/.test(t));
    }, 60_000, 250);
    assert.ok(titles.some((t) => /^1 token · \$[0-9.e-]+ per call \(gpt-4o\)$/.test(t)), titles.join(' | '));
    const position = document.positionAt(content.indexOf('"Hi"') + 2);
    editor.selection = new vscode.Selection(position, position);
    const status = await waitFor('the one-token count in the status bar', () => (a.statusBar.item.text.includes('1 token · $') ? a.statusBar.item.text : undefined));
    assert.match(status, /^\$\(symbol-number\) 1 token · \$/);
  });

  it('names the whitespace fix in words, not as empty quotes, and applies it (gpt-researcher, newuser29)', async () => {
    // gpt-researcher gpt_researcher/prompts.py lines 517-518 and 525-529 (commit 5d84d2f, Apache-2.0; test/fixtures/hints-real/SOURCES.md),
    // dedented by four spaces, the docstring left out: the prompt ends with a space ("if available. "). Its fix was titled 'Remove ""'.
    const content = [
      '@staticmethod',
      'def generate_summary_prompt(query, data):',
      '    return (',
      '        f\'{data}\\n Using the above text, summarize it based on the following task or query: "{query}".\\n If the \'',
      '        f"query cannot be answered using the text, YOU MUST summarize the text in short.\\n Include all factual "',
      '        f"information such as numbers, stats, quotes, etc if available. "',
      '    )',
      '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    const diagnostic = await waitFor('the whitespace diagnostic', () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === 'PepperPy' && d.code === 'whitespace'));
    assert.equal(document.getText(diagnostic.range), ' ');
    assert.equal(diagnostic.range.start.line, 5);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range);
    const fix = actions.find((a) => a.edit !== undefined && a.kind?.value === vscode.CodeActionKind.QuickFix.value);
    assert.equal(fix?.title, 'Remove the extra whitespace', `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(fix?.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.equal(document.getText(), content.replace('if available. "', 'if available."'));
    assert.equal(pythonParses(document.getText()), undefined);
  });

  it('offers a quick fix that would drop an interpolation disabled, saying why in words for a fix not yet applied (breaker42)', async () => {
    const content = [
      'from openai import OpenAI',
      'client = OpenAI()',
      '',
      'def ask(name: str) -> str:',
      '    prompt = f"Describe the history of {name} in two short sentences for a school report. Mention one date. Describe the history of {name} in two short sentences for a school report."',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}]).choices[0].message.content',
      '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    const diagnostic = await waitFor('the repetition diagnostic', () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === 'PepperPy' && d.code === 'repetition'));
    // (VS Code's executeCodeActionProvider command leaves disabled actions out: the extension's own provider is asked,
    // over the extension's running prompt index.)
    const enabled = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range);
    assert.ok(!enabled.some((a) => a.diagnostics?.some((d) => d.code === 'repetition')), `enabled: ${enabled.map((a) => a.title).join(', ')}`);
    const provider = new PromptCodeActionProvider((await api()).prompts, () => true);
    const actions = await provider.provideCodeActions(document, diagnostic.range, { diagnostics: [diagnostic], triggerKind: vscode.CodeActionTriggerKind.Invoke, only: undefined });
    const fix = actions.find((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.diagnostics?.some((d) => d.code === 'repetition'));
    assert.ok(fix, `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(fix.edit, undefined);
    assert.equal(fix.disabled?.reason, 'This fix would break the prompt or the code around it: it would repeat or drop a copy of "{name}".');
  });

  it('shows prices and cheaper alternatives when hovering a model name', async () => {
    const document = await vscode.workspace.openTextDocument(fixtureUri('assistant.ts'));
    const offset = document.getText().indexOf("'gpt-4o'") + 3;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset));
    const text = hoverText(hovers);
    assert.match(text, /Input: \*\*\$2\.5\*\* per 1M tokens · Output: \*\*\$10\*\* per 1M tokens/);
    assert.match(text, /Context window: 128,000 tokens/);
    // gpt-4o is on the sourced retired-models list; the hover says so, and suggests no model that is itself on it.
    assert.match(text, /gpt-4o (is deprecated: its shutdown is announced for|was shut down on) 2027-01-14/);
    assert.doesNotMatch(text, /- gpt-4\.1|- gpt-4o-mini|- gpt-3\.5/);
  });

  it('marks a retired model literal with a warning that says when it was shut down', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'from openai import OpenAI\nMODEL = "o1-mini"\n' });
    const diagnostic = await waitFor('the retired-model diagnostic', () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === 'PepperPy'));
    assert.equal(document.getText(diagnostic.range).replace(/"/g, ''), 'o1-mini');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.message, 'o1-mini was shut down on 2025-10-27: calls to it fail.');
    assert.equal(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code, 'modelRetired');
  });

  it('marks a retired model that is only a key of a table with a hint, not a warning (NextChat\'s KnowledgeCutOffDate)', async () => {
    // ChatGPTNextWeb/NextChat app/constant.ts (MIT, 706a18b): a model → knowledge cut-off table; newuser30 saw ~30 warnings on its keys.
    const content = 'import OpenAI from "openai";\nexport const KnowledgeCutOffDate: Record<string, string> = {\n  default: "2021-09",\n  "o1-mini": "2023-10",\n};\nexport const model = "o1-mini";\n';
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content });
    const diagnostics = await waitFor('both retired-model diagnostics', () => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'PepperPy');
      return found.length === 2 ? found : undefined;
    });
    const byLine = diagnostics.map((d) => [d.range.start.line, d.severity, document.getText(d.range).replace(/"/g, '')]).sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(byLine, [
      [3, vscode.DiagnosticSeverity.Hint, 'o1-mini'],
      [5, vscode.DiagnosticSeverity.Warning, 'o1-mini'],
    ]);
  });

  it('marks a retired model that only picks a tokenizer with a hint, not a warning (kotaemon\'s tiktoken.encoding_for_model)', async () => {
    // Cinnamon/kotaemon libs/kotaemon/kotaemon/indices/rankings/llm_trulens.py:107 (Apache-2.0, 4015bb0): a tokenizer lookup
    // calls no API and works for a shut-down model; newuser40 saw seven "calls to it fail" warnings on such lines.
    const content = 'import tiktoken\nfrom openai import OpenAI\nencode = tiktoken.encoding_for_model("gpt-3.5-turbo").encode\nMODEL = "gpt-3.5-turbo"\n';
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    const diagnostics = await waitFor('both retired-model diagnostics', () => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'PepperPy');
      return found.length === 2 ? found : undefined;
    });
    const byLine = diagnostics.map((d) => [d.range.start.line, d.severity, document.getText(d.range).replace(/"/g, '')]).sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(byLine, [
      [2, vscode.DiagnosticSeverity.Hint, 'gpt-3.5-turbo'],
      [3, vscode.DiagnosticSeverity.Warning, 'gpt-3.5-turbo'],
    ]);
  });

  it('shows the tokens and cost of the prompt under the cursor in the status bar', async () => {
    const a = await api();
    const document = await vscode.workspace.openTextDocument(fixtureUri('prompts.json'));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const position = document.positionAt(document.getText().indexOf('You are a translator') + 4);
    editor.selection = new vscode.Selection(position, position);
    const expected = reference.countWithEncoding("You are a translator. Please basically translate the user's text into French and reply with the translation only.", 'o200k_base');
    const text = await waitFor('the prompt count in the status bar', () => (a.statusBar.item.text.includes(`${expected} tokens · $`) ? a.statusBar.item.text : undefined));
    assert.match(text, new RegExp(`^\\$\\(symbol-number\\) ${expected} tokens · \\$`));
  });

  it('skips files over the size limit and says so', async () => {
    const a = await api();
    const big = `PROMPT = "You are a helpful assistant."\n${'x = 1\n'.repeat(220_000)}`;
    const document = await vscode.workspace.openTextDocument({ content: big, language: 'python' });
    const hints = await a.prompts.get(document);
    assert.ok(hints?.skipped, 'the document was skipped');
    assert.match(hints.skipped, /larger than 1049 KB|maxFileSizeKb/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.equal(lenses.length, 0);
  });
});
