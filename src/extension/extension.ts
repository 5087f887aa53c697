/**
 * Activation only wires things together: every feature lives in its own file and every
 * disposable goes to `context.subscriptions`.
 */
import * as vscode from 'vscode';
import { analyzePrompt, quickPickPrompts, type PromptPicker } from './prompt/analyzePrompt';
import { EngineService } from './client/engineService';
import { analyzePromptAt, rewriteCommand } from './prompt/promptCommands';
import { registerCodeActions } from './prompt/codeActions';
import { registerCodeLens } from './prompt/codeLens';
import { registerDiagnostics } from './prompt/diagnostics';
import { registerHover } from './prompt/hover';
import { PromptIndex } from './prompt/promptIndex';
import { PromptRewriter } from './prompt/rewrite';
import { SelectionTokenStatus } from './prompt/statusBar';
import { Log } from './common/log';
import { ANALYSIS_VIEW_TYPE, AnalysisPanel } from './prompt/analysisPanel';
import type { PepperpyApi } from './api';
import { estimateCost, openCostDashboard, planCostReduction, selectModel, setAlertWebhook, setSmtpPassword, startCostMonitor, stopCostMonitor } from './cost/costCommands';
import { CostMonitorService } from './cost/costMonitorService';
import { CostStatus } from './cost/costStatus';
import { COST_VIEW_TYPE, CostPanel } from './cost/costPanel';
import { BenchmarkRunner } from './benchmark/benchmarkRunner';
import { openBenchmarks, optimizeRagPipeline, setApiKey } from './benchmark/benchmarkCommands';
import { BENCHMARK_VIEW_TYPE, BenchmarkPanel } from './benchmark/benchmarkPanel';
import { openModelOptimization, optimizeOnnxModel, setUpCuda } from './model/modelCommands';
import { MODEL_VIEW_TYPE, ModelPanel } from './model/modelPanel';

export function activate(context: vscode.ExtensionContext): PepperpyApi {
  const started = performance.now();
  const log = new Log();
  const engine = new EngineService(context, log);
  const analysisPanel = new AnalysisPanel(context, log, engine);
  const prompts = new PromptIndex(engine, log);
  const rewriter = new PromptRewriter(prompts, engine, log);
  const promptPicker: PromptPicker = { pick: (items, options) => quickPickPrompts.pick(items, options) };
  const status = new SelectionTokenStatus(engine, log, prompts);
  const trusted = () => vscode.workspace.isTrusted;
  const costMonitor = new CostMonitorService(context, log, engine);
  const costPanel = new CostPanel(context, log, engine, costMonitor);
  const costStatus = new CostStatus(costMonitor, log);
  const benchmarkRunner = new BenchmarkRunner(context, log, engine);
  const benchmarkPanel = new BenchmarkPanel(context, log, benchmarkRunner);
  const modelPanel = new ModelPanel(context, log, engine);

  context.subscriptions.push(
    log,
    engine,
    analysisPanel,
    prompts,
    rewriter,
    status,
    registerCodeLens(prompts, trusted),
    registerHover(prompts),
    registerDiagnostics(prompts),
    registerCodeActions(prompts, trusted),
    vscode.commands.registerCommand('pepperpy.analyzePrompt', analyzePrompt(analysisPanel, prompts, promptPicker)),
    vscode.commands.registerCommand('pepperpy.analyzePromptAt', analyzePromptAt(prompts, analysisPanel)),
    vscode.commands.registerCommand('pepperpy.compressPrompt', rewriteCommand(rewriter, 'compress')),
    vscode.commands.registerCommand('pepperpy.distillPrompt', rewriteCommand(rewriter, 'distill')),
    vscode.commands.registerCommand('pepperpy.optimizePrompt', rewriteCommand(rewriter, 'optimize')),
    vscode.commands.registerCommand('pepperpy.showLogs', () => log.channel.show()),
    vscode.commands.registerCommand('pepperpy.restartEngine', async () => {
      try {
        if (!vscode.workspace.isTrusted) {
          void vscode.window.showWarningMessage('PepperPy: the engine does not run in an untrusted workspace. Trust the workspace (Manage Workspace Trust) to start it.');
          return;
        }
        await engine.client.restart();
        void vscode.window.showInformationMessage(`PepperPy: engine restarted (pid ${engine.client.pid ?? '?'}).`);
      } catch (error) {
        await engine.showError(error);
      }
    }),
    costMonitor,
    costPanel,
    costStatus,
    vscode.commands.registerCommand('pepperpy.cost.openDashboard', openCostDashboard(costPanel)),
    vscode.commands.registerCommand('pepperpy.cost.estimate', estimateCost(costPanel)),
    vscode.commands.registerCommand('pepperpy.cost.selectModel', selectModel(engine, log)),
    vscode.commands.registerCommand('pepperpy.cost.optimize', planCostReduction(costPanel)),
    vscode.commands.registerCommand('pepperpy.cost.startMonitor', startCostMonitor(costMonitor, engine)),
    vscode.commands.registerCommand('pepperpy.cost.stopMonitor', stopCostMonitor(costMonitor)),
    vscode.commands.registerCommand('pepperpy.cost.setAlertWebhook', setAlertWebhook(context, costMonitor, log)),
    vscode.commands.registerCommand('pepperpy.cost.setSmtpPassword', setSmtpPassword(context, costMonitor, log)),
    vscode.window.registerWebviewPanelSerializer(COST_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        costPanel.host.restore(panel, state);
        await costPanel.refresh();
      },
    }),
    benchmarkRunner,
    benchmarkPanel,
    vscode.commands.registerCommand('pepperpy.openBenchmarks', openBenchmarks(benchmarkPanel)),
    vscode.commands.registerCommand('pepperpy.optimizeRagPipeline', optimizeRagPipeline(context, benchmarkPanel, log)),
    vscode.commands.registerCommand('pepperpy.setApiKey', setApiKey(benchmarkRunner)),
    vscode.window.registerWebviewPanelSerializer(BENCHMARK_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        benchmarkPanel.host.restore(panel, state);
        await benchmarkPanel.refresh();
      },
    }),
    modelPanel,
    vscode.commands.registerCommand('pepperpy.model.open', openModelOptimization(modelPanel)),
    vscode.commands.registerCommand('pepperpy.model.optimizeFile', optimizeOnnxModel(modelPanel)),
    vscode.commands.registerCommand('pepperpy.model.setupCuda', setUpCuda(context, log)),
    vscode.window.registerWebviewPanelSerializer(MODEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        modelPanel.host.restore(panel, state);
        await modelPanel.open();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(ANALYSIS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => analysisPanel.host.restore(panel, state),
    }),
  );

  const activationMs = performance.now() - started;
  log.info(`PepperPy Optimization activated in ${activationMs.toFixed(1)} ms.`);
  return { activationMs, engine: engine.client, statusBar: status, analysisPanel, prompts, rewriter, promptPicker, cost: { monitor: costMonitor, panel: costPanel, status: costStatus }, benchmark: { runner: benchmarkRunner, panel: benchmarkPanel }, model: { panel: modelPanel } };
}

export function deactivate(): void {
  // Disposables in context.subscriptions stop the engine process.
}
