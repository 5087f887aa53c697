/**
 * Every `pepperpy.*` command in one table: its id, the function that runs it (the import
 * says which file), and, for the commands an untrusted workspace refuses, the refusal.
 * registerCommands() registers them all and applies the trust gate here, once.
 *
 * Only the commands listed with `needsTrust` are refused up front. The others stay usable in
 * Restricted Mode because what they need of the engine is refused by EngineService itself
 * (with its own message, e.g. in the Prompt Analysis panel), or they need no engine at all.
 */
import * as vscode from 'vscode';
import { restartEngine, showLogs } from './client/engineCommands';
import { workspaceTrusted, type AreaContext } from './common/area';
import type { BenchmarkApi } from './benchmark';
import { openBenchmarks, optimizeRagPipeline, setApiKey } from './benchmark/benchmarkCommands';
import type { CostApi } from './cost';
import { estimateCost, openCostDashboard, planCostReduction, selectModel, setAlertWebhook, setSmtpPassword, startCostMonitor, stopCostMonitor } from './cost/costCommands';
import type { ModelApi } from './model';
import { openModelOptimization, optimizeOnnxModel, setUpCuda } from './model/modelCommands';
import type { PromptApi } from './prompt';
import { analyzePrompt } from './prompt/analyzePrompt';
import { analyzePromptAt, rewriteCommand, compressToTargetCommand } from './prompt/promptCommands';
import type { RewriteOutcome } from './prompt/rewrite';
import { openWalkthrough, openWalkthroughSample } from './walkthrough';

/** What a command is built from: the shared context and each area's objects. */
export interface Areas extends AreaContext {
  prompt: PromptApi;
  cost: CostApi;
  benchmark: BenchmarkApi;
  model: ModelApi;
}

/**
 * A command's callback. VS Code passes whatever its caller gave (nothing from the palette,
 * a Uri from a menu, more from code lenses and tests), so each handler checks its own arguments.
 */
type Handler = (...args: never[]) => unknown;

/** What an untrusted workspace gets instead of the command: a warning, and the command's result. */
interface Refusal {
  /** A function, so the message is translated when shown (vscode.l10n), not at module load. */
  warning: () => string;
  result?: () => unknown;
}

interface Command {
  id: string;
  run: (areas: Areas) => Handler;
  needsTrust?: Refusal;
}

const ENGINE_REFUSED: Refusal = { warning: () => vscode.l10n.t('PepperPy: the engine does not run in an untrusted workspace. Trust the workspace (Manage Workspace Trust) to start it.') };

const rewriteReason = (): string => vscode.l10n.t('Rewriting prompts runs the PepperPy engine, which does not run in an untrusted workspace. Trust the workspace to use it.');
/** The rewrite commands return their outcome (code actions and tests read it), refused ones too. */
const REWRITE_REFUSED: Refusal = { warning: () => `PepperPy: ${rewriteReason()}`, result: (): RewriteOutcome => ({ applied: false, reason: rewriteReason() }) };

export const COMMANDS: readonly Command[] = [
  // client/engineCommands.ts
  { id: 'pepperpy.showLogs', run: (a) => showLogs(a.log) },
  { id: 'pepperpy.restartEngine', run: (a) => restartEngine(a.engine), needsTrust: ENGINE_REFUSED },
  // prompt/analyzePrompt.ts, prompt/promptCommands.ts
  { id: 'pepperpy.analyzePrompt', run: (a) => analyzePrompt(a.prompt.analysisPanel, a.prompt.prompts, a.prompt.promptPicker) },
  { id: 'pepperpy.analyzePromptAt', run: (a) => analyzePromptAt(a.prompt.prompts, a.prompt.analysisPanel) },
  { id: 'pepperpy.compressPrompt', run: (a) => rewriteCommand(a.prompt.rewriter, 'compress'), needsTrust: REWRITE_REFUSED },
  { id: 'pepperpy.compressPromptToTarget', run: (a) => compressToTargetCommand(a.prompt.rewriter), needsTrust: REWRITE_REFUSED },
  { id: 'pepperpy.distillPrompt', run: (a) => rewriteCommand(a.prompt.rewriter, 'distill'), needsTrust: REWRITE_REFUSED },
  { id: 'pepperpy.optimizePrompt', run: (a) => rewriteCommand(a.prompt.rewriter, 'optimize'), needsTrust: REWRITE_REFUSED },
  // cost/costCommands.ts
  { id: 'pepperpy.cost.openDashboard', run: (a) => openCostDashboard(a.cost.panel) },
  { id: 'pepperpy.cost.estimate', run: (a) => estimateCost(a.cost.panel, a.prompt.prompts, a.engine, a.log, a.cost.estimateUi, a.prompt.promptPicker) },
  { id: 'pepperpy.cost.selectModel', run: (a) => selectModel(a.engine, a.log) },
  { id: 'pepperpy.cost.optimize', run: (a) => planCostReduction(a.cost.panel, a.prompt.prompts, a.engine, a.log, a.cost.estimateUi) },
  { id: 'pepperpy.cost.startMonitor', run: (a) => startCostMonitor(a.cost.monitor, a.engine) },
  { id: 'pepperpy.cost.stopMonitor', run: (a) => stopCostMonitor(a.cost.monitor) },
  { id: 'pepperpy.cost.setAlertWebhook', run: (a) => setAlertWebhook(a.context, a.cost.monitor, a.log) },
  { id: 'pepperpy.cost.setSmtpPassword', run: (a) => setSmtpPassword(a.context, a.cost.monitor, a.log) },
  // benchmark/benchmarkCommands.ts
  { id: 'pepperpy.openBenchmarks', run: (a) => openBenchmarks(a.benchmark.panel) },
  { id: 'pepperpy.optimizeRagPipeline', run: (a) => optimizeRagPipeline(a.context, a.benchmark.panel, a.log) },
  { id: 'pepperpy.setApiKey', run: (a) => setApiKey(a.benchmark.runner) },
  // model/modelCommands.ts
  { id: 'pepperpy.model.open', run: (a) => openModelOptimization(a.model.panel) },
  { id: 'pepperpy.model.optimizeFile', run: (a) => optimizeOnnxModel(a.model.panel) },
  { id: 'pepperpy.model.setupCuda', run: (a) => setUpCuda(a.context, a.log) },
  // walkthrough.ts
  { id: 'pepperpy.openWalkthrough', run: () => openWalkthrough },
  { id: 'pepperpy.walkthrough.openSample', run: (a) => openWalkthroughSample(a.context, a.log) },
];

/** Registers every command of the table; a command with `needsTrust` is refused while the workspace is untrusted. */
export function registerCommands(areas: Areas): vscode.Disposable[] {
  return COMMANDS.map(({ id, run, needsTrust }) => {
    // The one cast: the table's handlers each declare their own arguments; VS Code's are untyped.
    const handler = run(areas) as (...args: unknown[]) => unknown;
    if (!needsTrust) return vscode.commands.registerCommand(id, handler);
    return vscode.commands.registerCommand(id, (...args: unknown[]) => {
      if (!workspaceTrusted()) {
        void vscode.window.showWarningMessage(needsTrust.warning());
        return needsTrust.result?.();
      }
      return handler(...args);
    });
  });
}
