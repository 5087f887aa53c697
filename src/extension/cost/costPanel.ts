/**
 * The Cost Dashboard: the monitor (start/stop, the base URLs to point clients at), spend
 * over time by model, today's spend per model, the alerts fired, an estimate form and an
 * optimization-plan form. The engine does the work; the panel only shows its answers.
 */
import * as vscode from 'vscode';
import type { CostOptimizeParams } from '../../protocol/cost';
import { CostEstimateRequest, CostOptimizeRequest } from '../../protocol/engine';
import { EngineError, errorMessage } from '../../protocol/errors';
import type { CostViewState, WebviewToHost } from '../../protocol/webview';
import { modelChoices } from '../common/config';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';
import type { CostMonitorService } from './costMonitorService';
import { costSettings } from './costSettings';
import { camelCaseKeys } from './setupKeys';
import type { EngineService } from '../client/engineService';
import type { Log } from '../common/log';
import { PanelHost, plainJson } from '../common/panelHost';

export const COST_VIEW_TYPE = 'pepperpy.cost';

/**
 * The example of the Python PepperPy `optimization` module's CostOptimizer.optimize (the
 * module this extension brings to VS Code; its docs section "Otimização de Custos", cost
 * optimisation): current models and usage per task, in camelCase.
 */
export const SEED_CURRENT_SETUP = {
  models: { summarization: 'gpt-4o', classification: 'gpt-4o', qa: 'gpt-4o', chat: 'gpt-4o' },
  avgUsage: {
    summarization: { queriesPerDay: 500, avgTokens: 800 },
    classification: { queriesPerDay: 1000, avgTokens: 300 },
    qa: { queriesPerDay: 800, avgTokens: 600 },
    chat: { queriesPerDay: 2000, avgTokens: 1000 },
  },
};

function messageOf(error: unknown): string {
  if (error instanceof EngineError) return error.fullMessage;
  return errorMessage(error);
}

export class CostPanel implements vscode.Disposable {
  readonly host: PanelHost;
  private state: CostViewState;
  private refreshGeneration = 0;
  private latestRefresh: Promise<CostViewState> | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly engine: EngineService,
    private readonly monitor: CostMonitorService,
  ) {
    this.host = new PanelHost(context, log, { viewType: COST_VIEW_TYPE, title: vscode.l10n.t('PepperPy: Cost Dashboard'), script: 'cost' }, (m) => this.onMessage(m));
    this.state = {
      monitor: { running: false, alerts: [] },
      ledger: monitor.ledgerDescription(),
      configuredPort: costSettings.port(),
      alerts: [],
      models: modelChoices(),
      estimateForm: { model: modelChoices()[0] ?? DEFAULT_MODEL, avgInputTokens: 500, avgOutputTokens: 300, queriesPerDay: 1000, days: 30 },
      planForm: { currentSetup: JSON.stringify(SEED_CURRENT_SETUP, null, 2), maxQualityReduction: 0.1, targetCostReduction: 0.3 },
    };
    // Spend changes arrive request by request: redraw at most a few times a second.
    this.subscriptions.push(
      monitor.onDidChange(() => {
        if (this.host.isOpen) this.scheduleRefresh();
      }),
    );
  }

  get currentState(): CostViewState {
    return this.state;
  }

  /** Opens (or reveals) the dashboard and reads the ledger and the monitor's status. */
  async open(): Promise<CostViewState> {
    this.host.show();
    this.post();
    await this.refresh();
    return this.state;
  }

  async refresh(): Promise<CostViewState> {
    const generation = ++this.refreshGeneration;
    const pending = this.readAndPublish(generation);
    this.latestRefresh = pending;
    return pending;
  }

  /**
   * Reads the ledger, then publishes. Refreshes overlap (the monitor's events start them);
   * one that a newer refresh overtook publishes nothing and answers with the newer one's
   * state, so an older read can never put back a stale monitor status or ledger.
   */
  private async readAndPublish(generation: number): Promise<CostViewState> {
    let history = this.state.history;
    let today = this.state.today;
    let error: string | undefined;
    try {
      history = await this.monitor.history();
      today = await this.monitor.readToday();
    } catch (e) {
      error = `Could not read the cost ledger ${this.monitor.ledgerDescription()}: ${messageOf(e)}`;
      this.log.warn(error);
    }
    if (generation !== this.refreshGeneration && this.latestRefresh) return this.latestRefresh;
    const monitor = this.monitor.status?.running ? this.monitor.status : { running: false as const, alerts: [] };
    this.update({ ...this.state, monitor, ledger: this.monitor.ledgerDescription(), configuredPort: costSettings.port(), history, today, alerts: [...this.monitor.alerts], models: modelChoices(), error });
    return this.state;
  }

  /** Runs the estimate form's figures through `cost/estimate`. */
  async estimate(form: CostViewState['estimateForm']): Promise<CostViewState> {
    // The old result goes at once: a result is only ever shown beside the figures it is for.
    this.update({ ...this.state, estimateForm: form, busy: 'Estimating…', estimate: undefined, estimateError: undefined });
    try {
      const estimate = await this.engine.request(CostEstimateRequest.type, form);
      this.update({ ...this.state, estimate, busy: undefined });
    } catch (error) {
      this.update({ ...this.state, estimate: undefined, estimateError: messageOf(error), busy: undefined });
    }
    return this.state;
  }

  /** Runs the plan form through `cost/optimize`: the setup is JSON text the user typed. */
  async optimize(form: CostViewState['planForm']): Promise<CostViewState> {
    // A form from the webview has no source: the setup in it started from the one the panel holds.
    const planForm = { ...form, ...(form.source === undefined && this.state.planForm.source !== undefined ? { source: this.state.planForm.source } : {}) };
    this.update({ ...this.state, planForm, planError: undefined });
    let currentSetup: unknown;
    try {
      currentSetup = camelCaseKeys(JSON.parse(form.currentSetup));
    } catch (error) {
      this.update({ ...this.state, plan: undefined, planError: `The current setup is not valid JSON: ${errorMessage(error)}` });
      return this.state;
    }
    this.update({ ...this.state, busy: 'Searching for the cheapest plan…' });
    try {
      const params = { currentSetup, maxQualityReduction: form.maxQualityReduction, targetCostReduction: form.targetCostReduction } as CostOptimizeParams;
      const plan = await this.engine.request(CostOptimizeRequest.type, params, { timeoutMs: 120_000 });
      this.update({ ...this.state, plan, busy: undefined });
    } catch (error) {
      this.update({ ...this.state, plan: undefined, planError: messageOf(error), busy: undefined });
    }
    return this.state;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const s of this.subscriptions) s.dispose();
    this.host.dispose();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, 250);
  }

  private update(state: CostViewState): void {
    this.state = plainJson(state);
    this.post();
  }

  private post(): void {
    this.host.post({ type: 'cost/didChange', state: this.state });
  }

  private async startOrStop(start: boolean): Promise<void> {
    this.update({ ...this.state, busy: start ? 'Starting the monitor…' : 'Stopping the monitor…', error: undefined });
    try {
      if (start) await this.monitor.start();
      else await this.monitor.stop();
      this.update({ ...this.state, busy: undefined });
    } catch (error) {
      this.update({ ...this.state, busy: undefined, error: `The cost monitor did not start: ${messageOf(error)}` });
    }
    await this.refresh();
  }

  private async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'cost/startMonitor':
        await this.startOrStop(true);
        break;
      case 'cost/stopMonitor':
        await this.startOrStop(false);
        break;
      case 'cost/refresh':
        await this.refresh();
        break;
      case 'cost/estimate': {
        const { type: _type, ...form } = message;
        await this.estimate(form);
        break;
      }
      case 'cost/optimize': {
        const { type: _type, ...form } = message;
        await this.optimize(form);
        break;
      }
      default:
        break;
    }
  }
}
