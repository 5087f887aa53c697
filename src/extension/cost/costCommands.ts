/**
 * The cost commands: each a factory that returns the command's callback. Numbers typed
 * by the user are checked here for a quick message and again by the engine.
 */
import * as vscode from 'vscode';
import { MAX_DAYS, MAX_QUERIES_PER_DAY, MAX_TOKENS_PER_REQUEST, TASKS_HINT } from '../../protocol/cost';
import { CostSelectRequest } from '../../protocol/engine';
import { config, modelChoices } from '../common/config';
import type { CostMonitorService } from './costMonitorService';
import { SECRET_SMTP_PASSWORD, SECRET_WEBHOOK } from './costSettings';
import type { EngineService } from '../client/engineService';
import type { Log } from '../common/log';
import type { CostPanel } from './costPanel';
import { formatCount } from '../common/format';
import type { PromptIndex } from '../prompt/promptIndex';
import type { PromptPicker } from '../prompt/analyzePrompt';
import { estimateStart, windowEstimateUi, type EstimateUi } from './estimateStart';
import { errorMessage } from '../../protocol/errors';
import { MAX_PROMPT_FILES, MAX_SCANNED_FILES, workspacePrompts, type WorkspacePrompts } from './workspacePrompts';
import { readNumberAnswer, type NumberAnswer } from './numberAnswer';
import { MAX_FILE_TASKS, maxRequestsPerDay, workspaceSetup, type WorkspaceSetup } from './workspaceSetup';

async function askNumber(title: string, prompt: string, value: number, range: { min: number; max?: number }, ask: EstimateUi['askText'] = windowEstimateUi.askText): Promise<number | undefined> {
  const answer = await ask({
    title,
    prompt,
    value: String(value),
    // One question of several: a click elsewhere (or the Cost Dashboard's webview taking focus back as the
    // command palette closes) must not drop the answers given so far.
    ignoreFocusOut: true,
    validateInput: (text) => numberProblem(readNumberAnswer(text, range)),
  });
  if (answer === undefined) return undefined;
  const read = readNumberAnswer(answer, range);
  return 'value' in read ? read.value : undefined;
}

/** Why an answer is refused, for people; undefined for a number in range. */
export function numberProblem(read: NumberAnswer): string | undefined {
  if ('value' in read) return undefined;
  switch (read.problem) {
    case 'separators':
      return vscode.l10n.t('Enter the number without separators, with a point for decimals (1000, 0.5).');
    case 'below':
      return vscode.l10n.t('Enter {0} or more.', formatCount(read.min));
    case 'above':
      return vscode.l10n.t('Enter {0} or less.', formatCount(read.max));
    default:
      return vscode.l10n.t('Enter a number.');
  }
}

/** "PepperPy: Open Cost Dashboard". */
export function openCostDashboard(panel: CostPanel) {
  return async (): Promise<void> => {
    await panel.open();
  };
}

/**
 * "PepperPy: Estimate Cost…": model and usage, then the estimate in the dashboard. Run from a
 * prompt (the cursor in a prompt PepperPy found, or a selection), it starts from that prompt:
 * its model first in the list and its token count as the average input (estimateStart.ts); from
 * elsewhere in a file with prompts, from the one the user picks (or none).
 */
export function estimateCost(panel: CostPanel, prompts: PromptIndex, engine: EngineService, log: Log, ui: EstimateUi = windowEstimateUi, picker?: PromptPicker) {
  return async (): Promise<void> => {
    const title = vscode.l10n.t('PepperPy: Estimate Cost');
    const started = await estimateStart(vscode.window.activeTextEditor, prompts, engine, log, picker);
    if (started === 'cancelled') return;
    const start = started;
    const models = start ? [start.model, ...modelChoices().filter((m) => m !== start.model)] : modelChoices();
    const placeHolder = start ? vscode.l10n.t('Model to price (first: {0}, the model of {1})', start.model, start.what) : vscode.l10n.t('Model to price');
    const model = await ui.pickModel(models, { title, placeHolder, ignoreFocusOut: true });
    if (!model) return;
    const form = panel.currentState.estimateForm;
    const inputPrompt = !start
      ? vscode.l10n.t('Average input tokens per query')
      : start.atLeast
        ? vscode.l10n.t('Average input tokens per query. {0} has at least {1} tokens for {2}: its runtime values are not counted, add their usual size.', start.what, formatCount(start.tokens), start.model)
        : start.estimate
          ? // The "~" of the lens (a lower bound, above, is "≥" there whether or not it is estimated).
            vscode.l10n.t('Average input tokens per query. {0} has ~{1} tokens for {2}, estimated: no local tokenizer for this model.', start.what, formatCount(start.tokens), start.model)
          : vscode.l10n.t('Average input tokens per query. {0} has {1} tokens for {2}.', start.what, formatCount(start.tokens), start.model);
    const avgInputTokens = await askNumber(title, inputPrompt, start ? start.tokens : form.avgInputTokens, { min: 0, max: MAX_TOKENS_PER_REQUEST }, ui.askText);
    if (avgInputTokens === undefined) return;
    const avgOutputTokens = await askNumber(title, vscode.l10n.t('Average output tokens per query'), form.avgOutputTokens, { min: 0, max: MAX_TOKENS_PER_REQUEST }, ui.askText);
    if (avgOutputTokens === undefined) return;
    const queriesPerDay = await askNumber(title, vscode.l10n.t('Queries per day'), form.queriesPerDay, { min: 0, max: MAX_QUERIES_PER_DAY }, ui.askText);
    if (queriesPerDay === undefined) return;
    const days = await askNumber(title, vscode.l10n.t('Days'), form.days, { min: 0, max: MAX_DAYS }, ui.askText);
    if (days === undefined) return;
    await panel.open();
    const state = await panel.estimate({ model, avgInputTokens, avgOutputTokens, queriesPerDay, days });
    if (state.estimateError) void vscode.window.showErrorMessage(`PepperPy: ${state.estimateError}`);
  };
}

/** "PepperPy: Select Model for a Task…": the cheapest model that meets a quality bar. */
export function selectModel(engine: EngineService, log: Log) {
  return async (): Promise<void> => {
    const title = vscode.l10n.t('PepperPy: Select Model for a Task');
    const tasks = TASKS_HINT.split(',').map((t) => t.trim());
    const task = await windowEstimateUi.pickModel(tasks, { title, placeHolder: vscode.l10n.t('Task (each maps to a public benchmark)'), ignoreFocusOut: true });
    if (!task) return;
    const qualityThreshold = await askNumber(title, vscode.l10n.t('Minimum quality on the task benchmark, 0-1 (e.g. 0.8)'), 0.8, { min: 0, max: 1 });
    if (qualityThreshold === undefined) return;
    const selection = await engine.runJob(title, CostSelectRequest.type, { task, qualityThreshold });
    if (!selection) return;
    const q = selection.evidence.quality;
    log.info(`Model for ${task}: ${selection.name}; evidence ${JSON.stringify(selection.evidence)}`);
    const copyName = vscode.l10n.t('Copy Name');
    const showEvidence = vscode.l10n.t('Show Evidence');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('PepperPy: {0} for {1}: {2} per 1k tokens, quality {3} on {4} ({5}, {6}).', selection.name, task, `$${selection.costPer1kTokens.toFixed(5)}`, `${(selection.qualityScore * 100).toFixed(1)}%`, q.benchmark, q.source, q.date) +
        (q.benchmark !== selection.evidence.taskBenchmark.benchmark ? vscode.l10n.t(' {0} stands in for {1}: no current model has a published {1} score.', q.benchmark, selection.evidence.taskBenchmark.benchmark) : '') +
        (selection.alternatives.length > 0 ? vscode.l10n.t(' Next: {0}.', selection.alternatives.slice(0, 2).map((a) => a.name).join(', ')) : ''),
      copyName,
      showEvidence,
    );
    if (choice === copyName) await vscode.env.clipboard.writeText(selection.name);
    if (choice === showEvidence) log.channel.show(true);
  };
}

/** The kind of work given to every task of a setup built from the workspace's prompts (its benchmark: MMLU, else GPQA). */
export const WORKSPACE_TASK_KIND = 'chat';

/** For people: where a setup built from the workspace came from and what in it is not from the code. */
function workspaceSource(found: WorkspacePrompts, built: WorkspaceSetup, outputTokens: number, requestsPerDay: number): string {
  const parts = [
    built.byModel
      ? vscode.l10n.t('From the prompts of {0}: {1} prompts in {2} files, one task per model (more than {3} file-and-model groups).', found.name, formatCount(built.prompts), formatCount(built.files), MAX_FILE_TASKS)
      : vscode.l10n.t('From the prompts of {0}: {1} prompts in {2} files, one task per file and model.', found.name, formatCount(built.prompts), formatCount(built.files)),
    vscode.l10n.t("Models as the editor's lens resolves them; input tokens as it counts them, the mean of a task's prompts."),
  ];
  if (found.spliced > 0) parts.push(vscode.l10n.t('{0} prompts that are pieces of another prompt of their file are counted in it, not on their own.', formatCount(found.spliced)));
  if (built.riding > 0) parts.push(vscode.l10n.t("{0} tool descriptions and few-shot or assistant turns are counted as input of their file's requests, not as requests of their own.", formatCount(built.riding)));
  if (built.atLeast > 0) parts.push(vscode.l10n.t('{0} of the prompts have runtime values, not counted: their input is larger.', formatCount(built.atLeast)));
  if (built.unpriced) parts.push(vscode.l10n.t('{0} prompts sent to models without a price ({1}) are left out.', formatCount(built.unpriced.prompts), built.unpriced.models.join(', ')));
  if (found.scanCapped) parts.push(vscode.l10n.t('Only {0} files of the workspace were scanned for prompts: it has more.', formatCount(MAX_SCANNED_FILES)));
  if (found.truncated) parts.push(vscode.l10n.t('Only the first {0} files with prompts were read.', formatCount(MAX_PROMPT_FILES)));
  parts.push(
    vscode.l10n.t('Not in the code, so set for every task (edit them below): {0} output tokens a request, {1} requests a day per prompt, and the kind "{2}", whose benchmark compares the models (or summarization, classification, qa, coding…).', formatCount(outputTokens), formatCount(requestsPerDay), WORKSPACE_TASK_KIND),
  );
  return parts.join(' ');
}

/**
 * "PepperPy: Plan Cost Reduction…": with a workspace open, the current setup is built from its
 * prompts (workspaceSetup.ts; output tokens and requests a day asked), then the target and the
 * quality limit, and the plan in the dashboard, where the setup can be edited. A workspace
 * without prompts (or none open) plans the dashboard's setup: the example until the user edits it.
 */
export function planCostReduction(panel: CostPanel, prompts: PromptIndex, engine: EngineService, log: Log, ui: EstimateUi = windowEstimateUi) {
  // One run at a time: a second one while the first asks its questions or scans would plan over it (break35).
  let running = false;
  return async (): Promise<void> => {
    if (running) {
      void vscode.window.showInformationMessage(vscode.l10n.t('PepperPy: Plan Cost Reduction is already running: answer or cancel its questions first.'));
      return;
    }
    running = true;
    try {
      await planOnce(panel, prompts, engine, log, ui);
    } finally {
      running = false;
    }
  };
}

async function planOnce(panel: CostPanel, prompts: PromptIndex, engine: EngineService, log: Log, ui: EstimateUi): Promise<void> {
  const title = vscode.l10n.t('PepperPy: Plan Cost Reduction');
  let form = panel.currentState.planForm;
  let found: WorkspacePrompts | undefined;
  try {
    let cancelled = false;
    found = await ui.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('PepperPy: finding the prompts of this workspace…'), cancellable: true }, async (progress, token) => {
      const result = await workspacePrompts(prompts, engine, log, token, (message) => progress.report({ message }));
      cancelled = token.isCancellationRequested;
      return result;
    });
    // Cancelled: the user stopped the command, not the scan only.
    if (cancelled) return;
  } catch (error) {
    log.warn(`Plan Cost Reduction: the workspace scan failed: ${errorMessage(error)}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: could not find the prompts of this workspace ({0}); planning the setup of the Cost Dashboard.', errorMessage(error)));
  }
  if (found && found.prompts.length > 0) {
    const outputTokens = await askNumber(title, vscode.l10n.t('Output tokens per request, for each of the {0} prompts found in {1} (the code does not say)', formatCount(found.prompts.length), found.name), panel.currentState.estimateForm.avgOutputTokens, { min: 0, max: MAX_TOKENS_PER_REQUEST }, ui.askText);
    if (outputTokens === undefined) return;
    const maxRequests = maxRequestsPerDay(found.prompts);
    const requestsPerDay = await askNumber(title, vscode.l10n.t('Requests a day per prompt (default: {0})', 'pepperpy.callsPerDay'), Math.min(config.callsPerDay(), maxRequests), { min: 0, max: maxRequests }, ui.askText);
    if (requestsPerDay === undefined) return;
    const built = workspaceSetup(found.prompts, { outputTokens, requestsPerDay, kind: WORKSPACE_TASK_KIND });
    if (built) form = { ...form, currentSetup: JSON.stringify(built.setup, null, 2), source: workspaceSource(found, built, outputTokens, requestsPerDay) };
    else {
      const models = [...new Set(found.prompts.map((p) => p.model))].sort().join(', ');
      log.info(`Plan Cost Reduction: no model of the prompts of ${found.name} has a price (${models}); planning the dashboard's setup.`);
      void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: no model of the {0} prompts found has a price ({1}); planning the setup of the Cost Dashboard.', formatCount(found.prompts.length), models));
    }
  } else if (found) {
    log.info(`Plan Cost Reduction: no prompts found in ${found.name}${found.scanCapped ? ` (the first ${MAX_SCANNED_FILES} files scanned)` : ''}; planning the dashboard's setup.`);
  }
  const targetCostReduction = await askNumber(title, vscode.l10n.t('Target cost reduction, 0-1 (0.3 = 30 %)'), form.targetCostReduction, { min: 0, max: 1 }, ui.askText);
  if (targetCostReduction === undefined) return;
  const maxQualityReduction = await askNumber(title, vscode.l10n.t('Largest quality loss per task, 0-1 (0.1 = 10 %)'), form.maxQualityReduction, { min: 0, max: 1 }, ui.askText);
  if (maxQualityReduction === undefined) return;
  await panel.open();
  const state = await panel.optimize({ ...form, targetCostReduction, maxQualityReduction });
  if (state.planError) void vscode.window.showErrorMessage(`PepperPy: ${state.planError}`);
  else if (state.plan) void vscode.window.showInformationMessage(`PepperPy: ${state.plan.summary} ${vscode.l10n.t('Edit the current setup in the Cost Dashboard.')}`);
}

export function startCostMonitor(monitor: CostMonitorService, engine: EngineService) {
  return async (): Promise<void> => {
    try {
      const status = await monitor.start();
      const copy = vscode.l10n.t('Copy OPENAI_BASE_URL');
      const open = vscode.l10n.t('Open Dashboard');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('PepperPy: cost monitor on {0}. Point clients at {1} or {2}.', `${status.url}`, `OPENAI_BASE_URL=${status.openAiBaseUrl}`, `ANTHROPIC_BASE_URL=${status.anthropicBaseUrl}`),
        copy,
        open,
      );
      if (choice === copy) await vscode.env.clipboard.writeText(status.openAiBaseUrl ?? '');
      if (choice === open) await vscode.commands.executeCommand('pepperpy.cost.openDashboard');
    } catch (error) {
      await engine.showError(error);
    }
  };
}

export function stopCostMonitor(monitor: CostMonitorService) {
  return async (): Promise<void> => {
    await monitor.stop();
    void vscode.window.showInformationMessage(vscode.l10n.t('PepperPy: cost monitor stopped.'));
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
    void vscode.window.showInformationMessage(value.trim() === '' ? vscode.l10n.t('PepperPy: cost alert {0} removed.', spec.what) : vscode.l10n.t("PepperPy: cost alert {0} saved in VS Code's secret storage.", spec.what));
  };
}

export function setAlertWebhook(context: vscode.ExtensionContext, monitor: CostMonitorService, log: Log) {
  return setSecret(context, monitor, log, {
    key: SECRET_WEBHOOK,
    title: vscode.l10n.t('PepperPy: Set Cost Alert Webhook'),
    prompt: vscode.l10n.t("Slack-compatible incoming webhook URL (kept in VS Code's secret storage). Leave empty to remove it."),
    validate: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : vscode.l10n.t('Enter an http(s) URL.')),
    what: vscode.l10n.t('webhook'),
  });
}

export function setSmtpPassword(context: vscode.ExtensionContext, monitor: CostMonitorService, log: Log) {
  return setSecret(context, monitor, log, { key: SECRET_SMTP_PASSWORD, title: vscode.l10n.t('PepperPy: Set Cost Alert SMTP Password'), prompt: vscode.l10n.t('Password of {0}. Leave empty to remove it.', 'pepperpy.cost.smtp.user'), what: vscode.l10n.t('SMTP password') });
}
