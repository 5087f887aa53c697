#!/usr/bin/env node
// UI test of PepperPy in Brazilian Portuguese, in a real VS Code (code-server) started with
// `--locale pt-br`. code-server switches the language only when a language pack for it is
// installed (without one, `--locale pt-br` leaves vscode.env.language at "en"), so the test
// installs the stub pack of test/fixtures/language-pack-pt-br-stub (pt-br, no translations of
// VS Code itself) into its throw-away extensions folder. Then, as a user would: the command
// palette finds "PepperPy: Analisar Prompt" (package.nls.pt-br.json), the command opens the
// Prompt Analysis panel, and the panel's labels are Portuguese (l10n/bundle.l10n.pt-br.json,
// handed to the webview by its host), its count the CLI's.
// Then the code lens of a composed prompt reads in Portuguese too, and so do the walkthrough's
// titles and its first page (media/walkthrough/pt-br/), the Cost Dashboard, and the Benchmark
// panel after a pipeline benchmark run from its form (labels, headline, chart titles and
// captions), and the Model Optimization panel after inspecting the tiny MLP fixture and
// quantizing it to 8 bits from its form (labels, facts, headline, result table, chart titles,
// history). Saves .test-work/screenshots/palette-pt-br.png, panel-pt-br.png,
// walkthrough-pt-br.png, cost-dashboard-pt-br.png, benchmark-panel-pt-br.png and
// model-panel-pt-br.png.
//
// Needs: `npm run build`. Prints `ui-pt-br: N passed, N failed`; exits non-zero on failure.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pickFromQuickInput, repoRoot, runUiTest, screenshotDir, waitFor } from '../../scripts/vscode-harness.mjs';
import { ensureTestTools } from '../../scripts/setup-test-tools.mjs';
import { canvasDrawn, readyToPaint } from './waits.mjs';

const TAG = 'ui-pt-br';
const COMMAND_TITLE = 'PepperPy: Analisar Prompt';
const FIXTURE_FILE = 'prompt.txt';
const screenshotPath = path.join(screenshotDir, 'panel-pt-br.png');
const paletteShot = path.join(screenshotDir, 'palette-pt-br.png');
const walkthroughShot = path.join(screenshotDir, 'walkthrough-pt-br.png');
const costShot = path.join(screenshotDir, 'cost-dashboard-pt-br.png');
const benchmarkShot = path.join(screenshotDir, 'benchmark-panel-pt-br.png');
const modelShot = path.join(screenshotDir, 'model-panel-pt-br.png');
const modelResultShot = path.join(screenshotDir, 'model-panel-result-pt-br.png');
const stubDir = path.join(repoRoot, 'test', 'fixtures', 'language-pack-pt-br-stub');

/** Packs the stub language pack and installs it with code-server's own CLI into the run's extensions folder. */
async function installStubLanguagePack({ runDir, workspace }) {
  const vsce = createRequire(import.meta.url)('@vscode/vsce');
  const work = path.join(runDir, 'stub-pack');
  fs.cpSync(stubDir, work, { recursive: true });
  const vsix = path.join(runDir, 'stub-pack.vsix');
  await vsce.createVSIX({ cwd: work, packagePath: vsix, skipLicense: true, allowMissingRepository: true, dependencies: false });
  const tools = ensureTestTools();
  const out = execFileSync(tools.nodeBin, [tools.codeServerEntry, '--user-data-dir', path.join(runDir, 'user-data'), '--extensions-dir', path.join(runDir, 'extensions'), '--install-extension', vsix], { encoding: 'utf8' });
  if (!/successfully installed/.test(out)) throw new Error(`the stub language pack did not install: ${out}`);
  // A running VS Code records installed packs in languagepacks.json (its LanguagePacksCache);
  // the install command above does not, and the server reads only that file when it resolves
  // --locale. Write the entry it would write: the pack's id and version, a hash, and where the
  // "vscode" translations are.
  const extensionsDir = path.join(runDir, 'extensions');
  const folder = fs.readdirSync(extensionsDir).find((f) => f.startsWith('pepperpy-test.test-language-pack-pt-br-'));
  if (!folder) throw new Error(`the stub language pack is not in ${extensionsDir}`);
  const entry = {
    hash: createHash('md5').update(`pepperpy-test.test-language-pack-pt-br@${folder.split('-').pop()}`).digest('hex'),
    extensions: [{ extensionIdentifier: { id: 'pepperpy-test.test-language-pack-pt-br' }, version: folder.split('-').pop() }],
    translations: { vscode: path.join(extensionsDir, folder, 'translations', 'main.i18n.json') },
    label: 'Português (Brasil)',
  };
  fs.writeFileSync(path.join(runDir, 'user-data', 'languagepacks.json'), JSON.stringify({ 'pt-br': entry }));
  // The model the Model Optimization panel quantizes (as test/ui/model-panel.ui.mjs does).
  const modelPath = path.join(workspace, 'models', 'tiny_mlp.onnx');
  fs.mkdirSync(path.dirname(modelPath), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'models', 'tiny_mlp.onnx'), modelPath);
  return { modelPath };
}

function cliTokenCount(file) {
  const result = JSON.parse(execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'prompt', 'count', file, '--json'], { encoding: 'utf8' }));
  return result.count;
}

/**
 * Runs a command from the palette by its exact title. The palette also lists longer titles
 * that contain it ("Analisar o Prompt sob o Cursor") and may put them first: click the row
 * whose label is exactly the title instead of pressing Enter on the first row.
 */
async function runCommand(page, title, screenshot) {
  const input = page.locator('.quick-input-widget input.input');
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${title}$`) }) }).first();
  await waitFor(`"${title}" in the command palette`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(`>${title}`);
    return row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
  }, 90_000, 500);
  if (screenshot) await page.screenshot({ path: screenshot });
  await row.click();
}

async function panelInPortuguese({ page, workspace, modelPath }) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'attached', timeout: 120_000 });
  await pickFromQuickInput(page, FIXTURE_FILE, FIXTURE_FILE);
  await page.locator('.tabs-container .tab.active', { hasText: FIXTURE_FILE }).waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 30_000 });

  // The command's title comes from package.nls.pt-br.json: it is only there in pt-br.
  await runCommand(page, COMMAND_TITLE, paletteShot);
  const input = page.locator('.quick-input-widget input.input');

  const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const counter = webview.locator('[data-testid="token-count"]');
  const body = await waitFor('the analysis panel with a token count', async () => {
    // The counter first, then the text: read the other way round, a render between the two reads gave the empty
    // state's text with a counter present (CI, session 26).
    if ((await counter.count()) === 0) return undefined;
    return webview.locator('body').innerText({ timeout: 2_000 });
  }, 90_000);
  const expectedLabels = ['Análise do prompt', 'Modelo', 'Copiar JSON', 'tokens para gpt-5.4', 'Caracteres', 'Palavras', 'Linhas', 'Tempo do engine', 'Sugestões ('];
  const missing = expectedLabels.filter((l) => !body.includes(l));
  if (missing.length > 0) throw new Error(`the panel lacks the Portuguese labels ${JSON.stringify(missing)}; it shows:\n${body}`);
  for (const english of ['Prompt analysis', 'Characters', 'Engine time', 'Suggestions (']) if (body.includes(english)) throw new Error(`the panel still shows "${english}"`);
  const shown = Number((await counter.first().innerText()).replace(/[~,\s]/g, ''));
  const expected = cliTokenCount(path.join(workspace, FIXTURE_FILE));
  if (shown !== expected) throw new Error(`the panel shows ${shown} tokens, the CLI counts ${expected}`);
  // The editor tab of the panel has the translated title too (vscode.l10n in the extension host).
  await page.locator('.tabs-container .tab', { hasText: 'PepperPy: Análise de Prompt' }).first().waitFor({ state: 'visible', timeout: 30_000 });

  await readyToPaint(webview, 'the analysis panel');
  await readyToPaint(page, 'the workbench');
  fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
  await page.screenshot({ path: screenshotPath });

  // The code lens of a composed prompt (anthropic-quickstarts' route.ts, see
  // test/fixtures/workspace/README.md) in Portuguese: vscode.l10n in the extension host.
  await pickFromQuickInput(page, 'route.ts', 'route.ts');
  await page.locator('.tabs-container .tab.active', { hasText: 'route.ts' }).waitFor({ state: 'visible', timeout: 30_000 });
  const lens = page.locator('.codelens-decoration', { hasText: '2 partes' }).first();
  await lens.waitFor({ state: 'attached', timeout: 90_000 });
  // The prompt is far down the file: go to it so the lens is rendered (as composed-prompt.ui.mjs does).
  const status = page.locator('.statusbar-item', { hasText: /Ln 128,/ }).first();
  await waitFor('the cursor on line 128', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+g');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(':128');
    await page.keyboard.press('Enter');
    return status.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
  }, 60_000, 500);
  await lens.waitFor({ state: 'visible', timeout: 30_000 });
  const lensText = (await lens.innerText()).replace(/\s+/g, ' ').trim();
  if (!/^≥[\d,]+ tokens \+ valores em tempo de execução \(≥[\d,]+ com os ramos mais longos\) · ≥\$[0-9.e-]+ por chamada \(claude-sonnet-4-5, padrão\) · 2 partes \| Comprimir \| Otimizar$/.test(lensText)) throw new Error(`unexpected lens text: ${JSON.stringify(lensText)}`);

  // The walkthrough: titles from package.nls.pt-br.json, and the step's page from
  // media/walkthrough/pt-br/ (package.json names each page through a %key%).
  // Close the panel and the editors first: with a second editor group beside it the Welcome
  // page is too narrow to show the step's page. (VS Code's own UI is English: the stub pack translates nothing.)
  await runCommand(page, 'View: Close All Editor Groups');
  await runCommand(page, 'PepperPy: Primeiros Passos');
  const container = page.locator('.gettingStartedContainer');
  await container.locator('text=Primeiros passos com o PepperPy Optimization').first().waitFor({ state: 'visible', timeout: 60_000 });
  const steps = ['Veja quanto custa um prompt', 'Comprima o prompt', 'Estime uma carga de trabalho', 'Inicie o monitor', 'Otimize um pipeline RAG', 'Quantize um modelo'];
  await waitFor('the six step titles in Portuguese', async () => {
    const seen = (await container.locator('.step-title').allInnerTexts()).map((t) => t.trim());
    return steps.every((t) => seen.includes(t)) ? seen : undefined;
  }, 60_000);
  await container.locator('.monaco-button, a', { hasText: 'Abrir um app de exemplo' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  const media = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await media.locator('h1', { hasText: 'Veja quanto custa um prompt' }).waitFor({ state: 'visible', timeout: 60_000 });
  await readyToPaint(page, 'the walkthrough');
  await page.screenshot({ path: walkthroughShot });


  // The Cost Dashboard, the second panel in pt-BR: its empty state, with the monitor stopped.
  await runCommand(page, 'View: Close All Editor Groups');
  await runCommand(page, 'PepperPy: Abrir Painel de Custos');
  const cost = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await cost.locator('h1', { hasText: 'Painel de Custos' }).waitFor({ state: 'visible', timeout: 60_000 });
  const costText = await waitFor('the Cost Dashboard in Portuguese', async () => {
    const text = await cost.locator('body').innerText({ timeout: 2_000 });
    return text.includes('Plano de redução de custos') && text.includes('Parado') ? text : undefined;
  }, 60_000);
  const costLabels = ['Gastos ao longo do tempo, por modelo', 'Hoje (UTC)', 'Alertas', 'Iniciar monitor', 'Nada registrado hoje.', 'Média de tokens de entrada', 'Estimar', 'Planejar'];
  const costMissing = costLabels.filter((l) => !costText.includes(l));
  if (costMissing.length > 0) throw new Error(`the Cost Dashboard lacks ${JSON.stringify(costMissing)}; it shows:\n${costText}`);
  await readyToPaint(cost, 'the Cost Dashboard');
  await readyToPaint(page, 'the workbench');
  await page.screenshot({ path: costShot });

  // The Benchmark panel: a pipeline benchmark run from its form (the workspace's
  // rag/rag_pipeline.json at concurrency 1, 2 and 4, the embedded local model), then its
  // result: the headline and figures from results.ts (extension host, @vscode/l10n) and the
  // chart titles and captions from the webview.
  await runCommand(page, 'View: Close All Editor Groups');
  await runCommand(page, 'PepperPy: Abrir Benchmarks');
  const bench = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await bench.locator('h2', { hasText: 'Nova execução' }).waitFor({ state: 'visible', timeout: 60_000 });
  await waitFor('the form to find the workspace config', async () => (await bench.locator('#f-configPath').getAttribute('value')) === 'rag/rag_pipeline.json', 30_000);
  await bench.locator('#run').click();
  const benchText = await waitFor('the pipeline benchmark to finish, in Portuguese', async () => {
    const text = await bench.locator('body').innerText({ timeout: 2_000 });
    return /Histórico \(1 execução\)/.test(text) && text.includes('Vazão por concorrência') ? text : undefined;
  }, 180_000, 500);
  const benchLabels = [
    'pipelines, RAG, latência, modelos e qualidade — medidos nesta máquina', 'Nova execução', 'Configuração de pipeline', 'Consultas de teste (JSONL, opcional)', 'Iterações', 'Níveis de concorrência', 'Executar',
    'Benchmark de pipeline · rag_pipeline.json', 'concluída', 'Distribuição da latência (consultas por faixa de latência, ms)', 'Latência por consulta de', 'Vazão por concorrência', 'Máxima:', 'requisições/s com concorrência',
    'Tempo por componente (ms médios por chamada)', 'Números', 'Métrica', 'Valor', 'latência média', 'consultas/s', 'Exportar CSV', 'Histórico (1 execução)', 'Início', 'Resumo', 'Excluir',
  ];
  const benchMissing = benchLabels.filter((l) => !benchText.includes(l));
  if (benchMissing.length > 0) throw new Error(`the Benchmark panel lacks ${JSON.stringify(benchMissing)}; it shows:\n${benchText}`);
  if (!/média [\d.]+ ms · p90 [\d.]+ ms · [\d.]+ consultas\/s · qualidade [\d.]+\/10/.test(benchText)) throw new Error(`the Benchmark panel's headline is not in Portuguese:\n${benchText}`);
  const benchEnglish = ['New run', 'Pipeline config', 'Iterations', 'History', 'Figures', 'Metric', 'Throughput against', 'Latency distribution', 'Time per component', 'Export CSV', 'queries/s', 'completed', 'avg latency'].filter((e) => benchText.includes(e));
  if (benchEnglish.length > 0) throw new Error(`the Benchmark panel still shows ${JSON.stringify(benchEnglish)}`);
  const benchCharts = await bench.locator('canvas').count();
  if (benchCharts < 3) throw new Error(`the pipeline run shows ${benchCharts} chart canvas(es), not 3`);
  for (let i = 0; i < benchCharts; i++) await canvasDrawn(bench, `canvas >> nth=${i}`, `chart ${i + 1} of ${benchCharts}`);
  await readyToPaint(bench, 'the Benchmark panel');
  await readyToPaint(page, 'the workbench');
  await page.screenshot({ path: benchmarkShot });

  // The Model Optimization panel: inspect the tiny MLP, quantize it with the form's defaults
  // (int, 8 bits, rtn, format Automatic), then read the whole panel: the webview's labels, the
  // headline and search words from src/protocol/modelPanel.ts, and the host's progress title.
  await runCommand(page, 'View: Close All Editor Groups');
  await runCommand(page, 'PepperPy: Abrir Otimização de Modelos');
  const model = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await model.locator('h1', { hasText: 'Otimização de Modelos' }).waitFor({ state: 'visible', timeout: 60_000 });
  await model.locator('#model-path input').fill(modelPath);
  await model.locator('#inspect').click();
  await waitFor('the model facts in Portuguese', async () => /Parâmetros/.test(await model.locator('body').innerText({ timeout: 2_000 })), 60_000);
  await model.locator('#run').click();
  const modelText = await waitFor('the quantization to finish, in Portuguese', async () => {
    const text = await model.locator('body').innerText({ timeout: 2_000 });
    return /Resultado: int 8-bit rtn · tiny_mlp\.onnx/.test(text) && /executado no \w+ExecutionProvider/.test(text) && text.includes('Quando') ? text : undefined;
  }, 180_000, 500);
  const modelLabels = [
    'Otimização de Modelos', 'quantize, pode, comprima e otimize modelos ONNX — cada número medido nesta máquina', 'Modelo: tiny_mlp.onnx', 'Escolher modelo…', 'Inspecionar', 'Parâmetros', 'Versão do IR / produtor', 'Camadas quantizáveis',
    'Operação', 'Dispositivo', 'Tipo', 'Formato', 'Método', 'Dados de calibração (texto/JSONL)', 'Entradas de exemplo', 'Saída (.onnx)', 'Executar',
    'Resultado: int 8-bit rtn', 'aceleração ', 'executado no ', 'Aceleração medida', 'Fidelidade das saídas', 'Provedor de execução', 'O que foi feito', 'Notas (',
    'Execuções comparadas', 'Tamanho versus fidelidade, um ponto por execução', 'Aceleração medida por execução (×)', 'Histórico', 'Quando', 'Provedor', 'Excluir',
  ];
  const modelMissing = modelLabels.filter((l) => !modelText.includes(l));
  if (modelMissing.length > 0) throw new Error(`the Model Optimization panel lacks ${JSON.stringify(modelMissing)}; it shows:\n${modelText}`);
  const modelEnglish = ['Model Optimization', 'Choose model…', 'Parameters', 'Quantizable layers', 'Measured speedup', 'Output fidelity', 'Execution provider', 'What was done', 'Runs compared', 'Copy result JSON', 'Open output', 'Size against fidelity', 'ran on '].filter((e) => modelText.includes(e));
  if (modelEnglish.length > 0) throw new Error(`the Model Optimization panel still shows ${JSON.stringify(modelEnglish)}`);
  await canvasDrawn(model, '#chart-size-fidelity', 'the size-against-fidelity chart');
  await readyToPaint(model, 'the Model Optimization panel');
  await readyToPaint(page, 'the workbench');
  await page.screenshot({ path: modelShot });
  // The result, the charts and the history, where the longer Portuguese lines are.
  await model.locator('[data-testid="history"]').scrollIntoViewIfNeeded();
  await readyToPaint(model, 'the Model Optimization panel, scrolled');
  await page.screenshot({ path: modelResultShot });

  return `"${COMMAND_TITLE}" found in the palette; tab "PepperPy: Análise de Prompt"; panel labels ${expectedLabels.length}/${expectedLabels.length} in Portuguese; ${shown} tokens, as the CLI counts; lens "${lensText}"; the walkthrough's 6 step titles and its first page in Portuguese; the Cost Dashboard's ${costLabels.length} labels in Portuguese; the Benchmark panel's ${benchLabels.length}/${benchLabels.length} labels and its headline in Portuguese, ${benchCharts} charts drawn; the Model Optimization panel's ${modelLabels.length}/${modelLabels.length} labels in Portuguese after an 8-bit quantization and none of its 13 English ones`;
}

await runUiTest({
  tag: TAG,
  name: 'ui-pt-br',
  title: 'with --locale pt-br, the command palette, the Prompt Analysis panel, a code lens, the walkthrough, the Cost Dashboard, the Benchmark panel and the Model Optimization panel are in Portuguese',
  requires: ['dist/extension.js', 'dist/engine.js', 'dist/cli.js', 'dist/webview/analysis.js', 'dist/webview/cost.js', 'dist/webview/benchmark.js', 'dist/webview/model.js'],
  screenshots: [paletteShot, screenshotPath, walkthroughShot, costShot, benchmarkShot, modelShot, modelResultShot],
  serverArgs: ['--locale', 'pt-br'],
  prepare: installStubLanguagePack,
  run: panelInPortuguese,
});
