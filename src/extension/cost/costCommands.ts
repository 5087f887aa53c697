/**
 * The cost commands: each a factory that returns the command's callback. Numbers typed
 * by the user are checked here for a quick message and again by the engine.
 */
import * as vscode from 'vscode';
import { TASKS_HINT } from '../../protocol/cost';
import { CostSelectRequest } from '../../protocol/engine';
import { modelChoices } from '../common/config';
import type { CostMonitorService } from './costMonitorService';
import { SECRET_SMTP_PASSWORD, SECRET_WEBHOOK } from './costSettings';
import type { EngineService } from '../client/engineService';
import type { Log } from '../common/log';
import type { CostPanel } from './costPanel';

async function askNumber(title: string, prompt: string, value: number, range: { min: number; max?: number }): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    validateInput: (text) => {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) return 'Enter a number.';
      if (n < range.min) return `Enter ${range.min} or more.`;
      if (range.max !== undefined && n > range.max) return `Enter ${range.max} or less.`;
      return undefined;
    },
  });
  return answer === undefined ? undefined : Number(answer.trim());
}

/** "PepperPy: Open Cost Dashboard". */
export function openCostDashboard(panel: CostPanel) {
  return async (): Promise<void> => {
    await panel.open();
  };
}

/** "PepperPy: Estimate Cost…": model and usage, then the estimate in the dashboard. */
export function estimateCost(panel: CostPanel) {
  return async (): Promise<void> => {
    const title = 'PepperPy: Estimate Cost';
    const model = await vscode.window.showQuickPick(modelChoices(), { title, placeHolder: 'Model to price' });
    if (!model) return;
    const form = panel.currentState.estimateForm;
    const avgInputTokens = await askNumber(title, 'Average input tokens per query', form.avgInputTokens, { min: 0 });
    if (avgInputTokens === undefined) return;
    const avgOutputTokens = await askNumber(title, 'Average output tokens per query', form.avgOutputTokens, { min: 0 });
    if (avgOutputTokens === undefined) return;
    const queriesPerDay = await askNumber(title, 'Queries per day', form.queriesPerDay, { min: 0 });
    if (queriesPerDay === undefined) return;
    const days = await askNumber(title, 'Days', form.days, { min: 0, max: 3650 });
    if (days === undefined) return;
    await panel.open();
    const state = await panel.estimate({ model, avgInputTokens, avgOutputTokens, queriesPerDay, days });
    if (state.estimateError) void vscode.window.showErrorMessage(`PepperPy: ${state.estimateError}`);
  };
}

/** "PepperPy: Select Model for a Task…": the cheapest model that meets a quality bar. */
export function selectModel(engine: EngineService, log: Log) {
  return async (): Promise<void> => {
    const title = 'PepperPy: Select Model for a Task';
    const tasks = TASKS_HINT.split(',').map((t) => t.trim());
    const task = await vscode.window.showQuickPick(tasks, { title, placeHolder: 'Task (each maps to a public benchmark)' });
    if (!task) return;
    const qualityThreshold = await askNumber(title, 'Minimum quality on the task benchmark, 0-1 (e.g. 0.8)', 0.8, { min: 0, max: 1 });
    if (qualityThreshold === undefined) return;
    const selection = await engine.runJob(title, CostSelectRequest.type, { task, qualityThreshold });
    if (!selection) return;
    const q = selection.evidence.quality;
    log.info(`Model for ${task}: ${selection.name}; evidence ${JSON.stringify(selection.evidence)}`);
    const choice = await vscode.window.showInformationMessage(
      `PepperPy: ${selection.name} for ${task}: $${selection.costPer1kTokens.toFixed(5)} per 1k tokens, quality ${(selection.qualityScore * 100).toFixed(1)}% on ${q.benchmark} (${q.source}, ${q.date}).` +
        (selection.alternatives.length > 0 ? ` Next: ${selection.alternatives.slice(0, 2).map((a) => a.name).join(', ')}.` : ''),
      'Copy Name',
      'Show Evidence',
    );
    if (choice === 'Copy Name') await vscode.env.clipboard.writeText(selection.name);
    if (choice === 'Show Evidence') log.channel.show(true);
  };
}

/** "PepperPy: Plan Cost Reduction…": target and quality limit, then the plan for the dashboard's setup. */
export function planCostReduction(panel: CostPanel) {
  return async (): Promise<void> => {
    const title = 'PepperPy: Plan Cost Reduction';
    const form = panel.currentState.planForm;
    const targetCostReduction = await askNumber(title, 'Target cost reduction, 0-1 (0.3 = 30 %)', form.targetCostReduction, { min: 0, max: 1 });
    if (targetCostReduction === undefined) return;
    const maxQualityReduction = await askNumber(title, 'Largest quality loss per task, 0-1 (0.1 = 10 %)', form.maxQualityReduction, { min: 0, max: 1 });
    if (maxQualityReduction === undefined) return;
    await panel.open();
    const state = await panel.optimize({ currentSetup: form.currentSetup, targetCostReduction, maxQualityReduction });
    if (state.planError) void vscode.window.showErrorMessage(`PepperPy: ${state.planError}`);
    else if (state.plan) void vscode.window.showInformationMessage(`PepperPy: ${state.plan.summary} Edit the current setup in the Cost Dashboard.`);
  };
}

export function startCostMonitor(monitor: CostMonitorService, engine: EngineService) {
  return async (): Promise<void> => {
    try {
      const status = await monitor.start();
      const choice = await vscode.window.showInformationMessage(
        `PepperPy: cost monitor on ${status.url}. Point clients at OPENAI_BASE_URL=${status.openAiBaseUrl} or ANTHROPIC_BASE_URL=${status.anthropicBaseUrl}.`,
        'Copy OPENAI_BASE_URL',
        'Open Dashboard',
      );
      if (choice === 'Copy OPENAI_BASE_URL') await vscode.env.clipboard.writeText(status.openAiBaseUrl ?? '');
      if (choice === 'Open Dashboard') await vscode.commands.executeCommand('pepperpy.cost.openDashboard');
    } catch (error) {
      await engine.showError(error);
    }
  };
}

export function stopCostMonitor(monitor: CostMonitorService) {
  return async (): Promise<void> => {
    await monitor.stop();
    void vscode.window.showInformationMessage('PepperPy: cost monitor stopped.');
  };
}

/** Stores a secret (webhook URL, SMTP password) in SecretStorage; never in settings or logs. */
function setSecret(context: vscode.ExtensionContext, monitor: CostMonitorService, log: Log, spec: { key: string; title: string; prompt: string; validate?: (v: string) => string | undefined; what: string }) {
  return async (): Promise<void> => {
    const value = await vscode.window.showInputBox({ title: spec.title, prompt: spec.prompt, password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() === '' ? undefined : spec.validate?.(v.trim())) });
    if (value === undefined) return;
    if (value.trim() === '') {
      await context.secrets.delete(spec.key);
      log.info(`Cost alert ${spec.what} removed from secret storage.`);
    } else {
      await context.secrets.store(spec.key, value.trim());
      log.info(`Cost alert ${spec.what} saved in secret storage.`);
    }
    if (monitor.running) {
      // The engine got the old value at start: restart so the change applies.
      await monitor.start(monitor.status?.port);
    }
    void vscode.window.showInformationMessage(`PepperPy: cost alert ${spec.what} ${value.trim() === '' ? 'removed' : 'saved in VS Code\'s secret storage'}.`);
  };
}

export function setAlertWebhook(context: vscode.ExtensionContext, monitor: CostMonitorService, log: Log) {
  return setSecret(context, monitor, log, {
    key: SECRET_WEBHOOK,
    title: 'PepperPy: Set Cost Alert Webhook',
    prompt: 'Slack-compatible incoming webhook URL (kept in VS Code\'s secret storage). Leave empty to remove it.',
    validate: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : 'Enter an http(s) URL.'),
    what: 'webhook',
  });
}

export function setSmtpPassword(context: vscode.ExtensionContext, monitor: CostMonitorService, log: Log) {
  return setSecret(context, monitor, log, { key: SECRET_SMTP_PASSWORD, title: 'PepperPy: Set Cost Alert SMTP Password', prompt: 'Password of pepperpy.cost.smtp.user. Leave empty to remove it.', what: 'SMTP password' });
}
