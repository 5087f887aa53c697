/**
 * The cost monitor as the editor runs it: the proxy lives in the engine process
 * (`cost/monitorStart`); this service passes it the settings and the secrets, listens to
 * `cost/didRecord` and `cost/didAlert`, turns alerts into VS Code notifications, and
 * starts the monitor again (on the same port) when the engine restarts under it.
 */
import * as vscode from 'vscode';
import type { CostAlertInfo, CostDidRecordParams, CostHistory, CostMonitorStartParams, CostMonitorStatus, CurrentCosts } from '../../protocol/cost';
import {
  CostCurrentCostsRequest,
  CostDidAlertNotification,
  CostDidRecordNotification,
  CostHistoryRequest,
  CostMonitorStartRequest,
  CostMonitorStopRequest,
} from '../../protocol/engine';
import type { EngineService } from '../client/engineService';
import type { Log } from '../common/log';
import { costSettings, describeLedger, ledgerLocation, ledgerMayHaveData, SECRET_SMTP_PASSWORD, SECRET_WEBHOOK } from './costSettings';
import { errorMessage } from '../../protocol/errors';

/**
 * The sentence for requests whose cost the ledger does not know (cut by a time-out, a stop
 * or a hang-up, or unpriced): the total shown beside it is a lower bound. Undefined for 0.
 */
export function unknownCostText(unknown: number | undefined): string | undefined {
  if (!unknown) return undefined;
  return unknown === 1
    ? vscode.l10n.t('1 request of unknown cost (cut by a time-out, stop or hang-up, or unpriced) not included: the spend may be higher.')
    : vscode.l10n.t('{0} requests of unknown cost (cut by a time-out, stop or hang-up, or unpriced) not included: the spend may be higher.', unknown);
}

export class CostMonitorService implements vscode.Disposable {
  /** The monitor's status as last reported by the engine (undefined: never started in this window). */
  status: CostMonitorStatus | undefined;
  /** Today's (UTC) spend as last known, from the ledger or the monitor's notifications; `unknownCostRequests` are not in `totalCost`. */
  today: { day: string; totalCost: number; requests: number; unknownCostRequests: number } | undefined;
  /** Alerts the monitor fired while this window listened, oldest first. */
  readonly alerts: CostAlertInfo[] = [];
  /** How many alert notifications were shown (the tests read it). */
  alertsShown = 0;
  /** How many times the monitor was started again after an engine restart. */
  restoredAfterEngineRestart = 0;

  private wanted = false;
  private lastPort: number | undefined;
  private pending: Promise<CostMonitorStatus> | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly recordEmitter = new vscode.EventEmitter<CostDidRecordParams>();
  private readonly alertEmitter = new vscode.EventEmitter<CostAlertInfo>();
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidRecord = this.recordEmitter.event;
  readonly onDidAlert = this.alertEmitter.event;
  private readonly subscriptions: Array<{ dispose(): void }> = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly engine: EngineService,
  ) {
    this.subscriptions.push(
      engine.client.onNotification(CostDidRecordNotification.type, (params) => this.onRecord(params)),
      // An engine of this version puts the unknown-cost count in the alert; `costs` has it too.
      engine.client.onNotification(CostDidAlertNotification.type, (params) => this.onAlert({ ...params.alert, unknownCostRequests: params.alert.unknownCostRequests ?? params.costs.unknownCostRequests ?? 0 })),
      engine.client.onDidChangeState((state) => {
        // After a crash the engine starts again only on a request: starting the monitor is that request.
        if (this.wanted && (state === 'restarting' || state === 'running')) void this.restoreIfLost();
      }),
      this.changeEmitter,
      this.recordEmitter,
      this.alertEmitter,
    );
  }

  get running(): boolean {
    return this.status?.running === true;
  }

  location(): { ledgerFile: string } | { redisUrl: string } {
    return ledgerLocation(this.context);
  }

  ledgerDescription(): string {
    return describeLedger(this.location());
  }

  /** Starts (or restarts with the current settings) the monitor in the engine. */
  start(port?: number): Promise<CostMonitorStatus> {
    this.wanted = true;
    const run = (async () => {
      const params = await this.startParams(port ?? costSettings.port());
      const status = await this.engine.request(CostMonitorStartRequest.type, params, { timeoutMs: 60_000 });
      this.status = status;
      this.lastPort = status.port;
      if (status.today) this.today = { day: status.today.day, totalCost: status.today.totalCost, requests: status.today.requests, unknownCostRequests: status.today.unknownCostRequests ?? 0 };
      this.log.info(`Cost monitor running at ${status.url} (OPENAI_BASE_URL=${status.openAiBaseUrl}, ANTHROPIC_BASE_URL=${status.anthropicBaseUrl}), ledger ${status.ledger}, engine pid ${status.enginePid}.`);
      this.changeEmitter.fire();
      return status;
    })();
    this.pending = run;
    return run.finally(() => {
      if (this.pending === run) this.pending = undefined;
    });
  }

  async stop(): Promise<void> {
    this.wanted = false;
    this.lastPort = undefined;
    if (this.status?.running) {
      try {
        this.status = await this.engine.request(CostMonitorStopRequest.type, {});
      } catch (error) {
        // A dead engine took the monitor with it.
        this.log.warn(`Stopping the cost monitor: ${errorMessage(error)}`);
        this.status = { running: false, alerts: [], enginePid: 0 };
      }
      this.log.info('Cost monitor stopped.');
    }
    this.changeEmitter.fire();
  }

  /** Today's spend from the ledger (undefined when a file ledger is empty or missing, so the engine is not started for nothing). */
  async readToday(): Promise<CurrentCosts | undefined> {
    const location = this.location();
    if (!this.running && !ledgerMayHaveData(location)) return undefined;
    const costs = await this.engine.request(CostCurrentCostsRequest.type, location);
    this.today = { day: costs.day, totalCost: costs.totalCost, requests: costs.requests, unknownCostRequests: costs.unknownCostRequests ?? 0 };
    return costs;
  }

  async history(days = costSettings.historyDays()): Promise<CostHistory | undefined> {
    const location = this.location();
    if (!this.running && !ledgerMayHaveData(location)) return undefined;
    return this.engine.request(CostHistoryRequest.type, { days, ...location });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private async startParams(port: number): Promise<CostMonitorStartParams> {
    const webhook = await this.context.secrets.get(SECRET_WEBHOOK);
    const email = costSettings.alertEmail();
    const smtp = costSettings.smtp();
    const params: CostMonitorStartParams = { port, ...this.location() };
    const threshold = costSettings.alertThreshold();
    if (threshold !== undefined) params.alertThreshold = threshold;
    if (webhook) params.alertWebhook = webhook;
    if (email) {
      if (!smtp.host || !smtp.from) {
        this.log.warn('pepperpy.cost.alertEmail is set but pepperpy.cost.smtp.host or pepperpy.cost.smtp.from is not: cost alerts are not e-mailed.');
      } else {
        const pass = smtp.user ? await this.context.secrets.get(SECRET_SMTP_PASSWORD) : undefined;
        params.smtp = { host: smtp.host, port: smtp.port, from: smtp.from, to: email, ...(smtp.user ? { user: smtp.user, pass: pass ?? '' } : {}) };
      }
    }
    if (costSettings.upstreamOpenAi()) params.upstreamOpenAi = costSettings.upstreamOpenAi();
    if (costSettings.upstreamAnthropic()) params.upstreamAnthropic = costSettings.upstreamAnthropic();
    const allowedHosts = costSettings.allowedHosts();
    if (allowedHosts) params.allowedHosts = allowedHosts;
    const allowedOrigins = costSettings.allowedOrigins();
    if (allowedOrigins) params.allowedOrigins = allowedOrigins;
    const clientTimeouts = costSettings.clientTimeouts();
    if (clientTimeouts) params.clientTimeouts = clientTimeouts;
    return params;
  }

  private async restoreIfLost(): Promise<void> {
    if (this.pending || !this.wanted) return;
    const pid = this.engine.client.pid;
    if (this.status?.running && pid !== undefined && this.status.enginePid === pid) return;
    const port = this.lastPort ?? costSettings.port();
    this.log.warn(`The engine restarted while the cost monitor ran: starting the monitor again on port ${port}.`);
    if (this.status) this.status = { ...this.status, running: false };
    this.changeEmitter.fire();
    try {
      await this.start(port);
      this.restoredAfterEngineRestart++;
      this.log.info(`Cost monitor restored after the engine restart (engine pid ${this.status?.enginePid}).`);
    } catch (error) {
      const message = errorMessage(error);
      this.log.error(`Could not start the cost monitor again after the engine restarted: ${message}`);
      void this.log.showErrorWithLogs(vscode.l10n.t('PepperPy: the cost monitor stopped with the engine and could not start again: {0}', message));
    }
  }

  private onRecord(params: CostDidRecordParams): void {
    this.today = { day: params.day, totalCost: params.todayTotal, requests: params.todayRequests, unknownCostRequests: params.todayUnknownCostRequests ?? 0 };
    this.recordEmitter.fire(params);
    this.changeEmitter.fire();
  }

  private onAlert(alert: CostAlertInfo): void {
    this.alerts.push(alert);
    this.alertsShown++;
    const unknown = unknownCostText(alert.unknownCostRequests);
    this.log.warn(`Cost alert: $${alert.totalCost.toFixed(4)} on ${alert.day} (UTC), above the daily threshold of $${alert.threshold.toFixed(2)}.${unknown ? ` ${unknown}` : ''}`);
    this.alertEmitter.fire(alert);
    this.changeEmitter.fire();
    const channels = alert.channels.length > 0 ? vscode.l10n.t(' Also sent by {0}.', alert.channels.join(` ${vscode.l10n.t('and')} `)) : '';
    const open = vscode.l10n.t('Open Dashboard');
    void vscode.window
      .showWarningMessage(`${vscode.l10n.t("PepperPy: today's LLM spend is {0}, above your daily alert threshold of {1}.", `$${alert.totalCost.toFixed(2)}`, `$${alert.threshold.toFixed(2)}`)}${unknown ? ` ${unknown}` : ''}${channels}`, open)
      .then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('pepperpy.cost.openDashboard');
      });
  }
}
