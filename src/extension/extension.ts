/**
 * Activation only wires things together: the log and the engine client first, then each
 * area (prompt hints, cost, benchmarks, model optimization) registers what it has, and the
 * command table (commands.ts) registers every command. Every disposable goes to
 * `context.subscriptions`.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { PepperpyApi } from './api';
import * as benchmark from './benchmark';
import { EngineService } from './client/engineService';
import { registerCommands } from './commands';
import type { AreaContext } from './common/area';
import { Log } from './common/log';
import * as cost from './cost';
import * as model from './model';
import * as prompt from './prompt';

export function activate(context: vscode.ExtensionContext): PepperpyApi {
  const started = performance.now();
  // Code without a vscode import (benchmark/results.ts) translates through @vscode/l10n: hand it
  // the bundle VS Code loaded for the display language (undefined in English).
  l10n.config({ contents: vscode.l10n.bundle ?? {} });
  const log = new Log();
  const engine = new EngineService(context, log);
  context.subscriptions.push(log, engine);

  const ctx: AreaContext = { context, log, engine };
  const areas = { prompt: prompt.register(ctx), cost: cost.register(ctx), benchmark: benchmark.register(ctx), model: model.register(ctx) };
  for (const area of Object.values(areas)) context.subscriptions.push(...area.disposables);
  const apis = { prompt: areas.prompt.api, cost: areas.cost.api, benchmark: areas.benchmark.api, model: areas.model.api };
  context.subscriptions.push(...registerCommands({ ...ctx, ...apis }));

  const activationMs = performance.now() - started;
  log.info(`PepperPy Optimization activated in ${activationMs.toFixed(1)} ms.`);
  return { activationMs, engine: engine.client, ...apis.prompt, cost: apis.cost, benchmark: apis.benchmark, model: apis.model };
}

export function deactivate(): void {
  // Disposables in context.subscriptions stop the engine process.
}
