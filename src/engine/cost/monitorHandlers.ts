/**
 * The cost monitor as a service of the engine process, for the editor: one `CostMonitor`
 * at a time (`cost/monitorStart`, `cost/monitorStop`, `cost/monitorStatus`), its records
 * and alerts pushed to the extension as `cost/didRecord` and `cost/didAlert`
 * notifications, and `cost/history` (spend per day and model) for the dashboard's chart.
 * The engine never reads settings: the extension passes the port, ledger, threshold and
 * the secrets (webhook URL, SMTP password), which are never logged or returned.
 */
import type { z } from 'zod';
import {
  CostDidAlertNotification,
  CostDidRecordNotification,
  CostHistoryRequest,
  CostMonitorStartRequest,
  CostMonitorStatusRequest,
  CostMonitorStopRequest,
} from '../../protocol/engine';
import {
  CostHistoryParamsSchema,
  CostMonitorStartParamsSchema,
  type CostAlertInfo,
  type CostDidAlertParams,
  type CostDidRecordParams,
  type CostHistory,
  type CostHistoryParams,
  type CostHistoryDay,
  type CostMonitorStatus,
  type LedgerEntry,
} from '../../protocol/cost';
import type { HandlerContext } from '../context';
import { checkedByHandler, noParams, type Dispatcher } from '../rpc';
import { JsonlLedger, openLedger, ownRecord, utcDay, type Ledger } from './ledger';
import { CostMonitor } from './monitor';
import { COST_PARAMS_HINT, validate } from './validate';

interface ActiveMonitor {
  monitor: CostMonitor;
  url: string;
  port: number;
  ledger: string;
  startedAt: string;
  alertThreshold?: number;
  alerts: CostAlertInfo[];
}

/** The one monitor of this engine process (a proxy port is a process-wide resource). */
let active: ActiveMonitor | undefined;

/**
 * Starts and stops run one at a time, in the order they arrived. Without this, two starts
 * sent together (a settings change while the first start reads its ledger) both found no
 * monitor, both started one, and the first was forgotten, still listening, with no way to
 * stop it; a stop sent during a start answered "not running" and the start went on to listen.
 */
let lifecycle: Promise<unknown> = Promise.resolve();

function serialized<T>(step: () => Promise<T>): Promise<T> {
  const next = lifecycle.then(step, step);
  lifecycle = next.catch(() => undefined);
  return next;
}

export function monitorStatus(): CostMonitorStatus {
  if (!active) return { running: false, alerts: [], enginePid: process.pid };
  return {
    running: true,
    url: active.url,
    port: active.port,
    openAiBaseUrl: `${active.url}/v1`,
    anthropicBaseUrl: active.url,
    ledger: active.ledger,
    startedAt: active.startedAt,
    ...(active.alertThreshold !== undefined ? { alertThreshold: active.alertThreshold } : {}),
    alerts: [...active.alerts],
    today: active.monitor.getCurrentCosts(),
    enginePid: process.pid,
  };
}

export async function stopMonitor(): Promise<void> {
  const current = active;
  active = undefined;
  if (current) await current.monitor.stop();
}

async function startMonitor(params: z.output<typeof CostMonitorStartParamsSchema>, ctx: HandlerContext): Promise<CostMonitorStatus> {
  // A new start replaces the running monitor (new settings); its port is free again first.
  await stopMonitor();
  const ledger = openLedger(params);
  const monitor = new CostMonitor({
    ledger,
    port: params.port,
    ...(params.alertThreshold !== undefined ? { alertThreshold: params.alertThreshold } : {}),
    ...(params.alertWebhook ? { alertWebhook: params.alertWebhook } : {}),
    ...(params.smtp ? { alertEmail: { ...params.smtp, secure: params.smtp.secure ?? params.smtp.port === 465 } } : {}),
    ...(params.upstreamOpenAi ? { upstreamOpenAi: params.upstreamOpenAi } : {}),
    ...(params.upstreamAnthropic ? { upstreamAnthropic: params.upstreamAnthropic } : {}),
    ...(params.allowedOrigins ? { allowedOrigins: params.allowedOrigins } : {}),
    ...(params.allowedHosts ? { allowedHosts: params.allowedHosts } : {}),
    ...(params.clientTimeouts ? { clientTimeouts: params.clientTimeouts } : {}),
    log: (level, message) => ctx.log(level, message),
  });
  let address;
  try {
    address = await monitor.start();
  } catch (error) {
    await ledger.close().catch(() => undefined);
    throw error;
  }
  const state: ActiveMonitor = {
    monitor,
    url: address.url,
    port: address.port,
    ledger: ledger.description,
    startedAt: new Date().toISOString(),
    ...(params.alertThreshold !== undefined ? { alertThreshold: params.alertThreshold } : {}),
    alerts: [],
  };
  const channels: CostAlertInfo['channels'] = [...(params.alertWebhook ? (['webhook'] as const) : []), ...(params.smtp ? (['email'] as const) : [])];
  monitor.on('recorded', (entry: LedgerEntry) => {
    const today = monitor.getCurrentCosts();
    const notice: CostDidRecordParams = { entry, day: today.day, todayTotal: today.totalCost, todayRequests: today.requests, todayUnknownCostRequests: today.unknownCostRequests ?? 0 };
    ctx.notify?.(CostDidRecordNotification.method, notice);
  });
  monitor.on('alert', (alert) => {
    const info: CostAlertInfo = { day: alert.day, threshold: alert.threshold, totalCost: alert.totalCost, at: new Date().toISOString(), channels, unknownCostRequests: alert.costs.unknownCostRequests ?? 0 };
    state.alerts.push(info);
    const notice: CostDidAlertParams = { alert: info, costs: alert.costs };
    ctx.notify?.(CostDidAlertNotification.method, notice);
  });
  monitor.on('alertFailed', ({ channel, error }) => ctx.log('warn', `The cost alert could not be sent by ${channel}: ${error}`));
  active = state;
  return monitorStatus();
}

/** The last `days` UTC days (today included), oldest first. */
function lastDays(days: number, now = new Date()): string[] {
  const result: string[] = [];
  for (let i = days - 1; i >= 0; i--) result.push(utcDay(new Date(now.getTime() - i * 86_400_000)));
  return result;
}

/**
 * Spend per day and model. Model names are any string a request carried (`toString`,
 * `__proto__`...), so they are kept in Maps and turned into own properties at the end;
 * requests of unknown cost are counted, not added as $0.
 */
export function historyOf(entries: LedgerEntry[], days: string[], ledger: string): CostHistory {
  const byDay = new Map<string, { day: string; totalCost: number; requests: number; unknownCostRequests: number; byModel: Map<string, number> }>(days.map((day) => [day, { day, totalCost: 0, requests: 0, unknownCostRequests: 0, byModel: new Map() }]));
  const modelTotals = new Map<string, number>();
  let totalCost = 0;
  let requests = 0;
  let unknownCostRequests = 0;
  for (const entry of entries) {
    const day = byDay.get(entry.ts.slice(0, 10));
    if (!day) continue;
    const cost = entry.cost ?? 0;
    day.requests++;
    requests++;
    if (entry.cost === null) {
      day.unknownCostRequests++;
      unknownCostRequests++;
    }
    day.totalCost += cost;
    day.byModel.set(entry.model, (day.byModel.get(entry.model) ?? 0) + cost);
    modelTotals.set(entry.model, (modelTotals.get(entry.model) ?? 0) + cost);
    totalCost += cost;
  }
  const models = [...modelTotals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([model]) => model);
  const dayList: CostHistoryDay[] = [...byDay.values()].map((d) => ({ day: d.day, totalCost: d.totalCost, requests: d.requests, byModel: ownRecord(d.byModel), unknownCostRequests: d.unknownCostRequests }));
  return { days: dayList, models, totalCost, requests, unknownCostRequests, ledger };
}

/** `cost/history` (also the CLI's `cost history`). */
export async function history(raw: unknown): Promise<CostHistory> {
  const params = validate(CostHistoryParamsSchema, raw, CostHistoryRequest.method);
  const days = lastDays(params.days);
  const ledger: Ledger = openLedger(params);
  try {
    // A JSONL file is read once, keeping only the days asked for; Redis keeps one list per day.
    const wanted = new Set(days);
    const entries = ledger instanceof JsonlLedger ? await ledger.readWhere((e) => wanted.has(e.ts.slice(0, 10))) : (await Promise.all(days.map((day) => ledger.readDay(day)))).flat();
    return historyOf(entries, days, ledger.description);
  } finally {
    await ledger.close();
  }
}

export function registerMonitorHandlers(rpc: Dispatcher): void {
  rpc.on(CostHistoryRequest.type, checkedByHandler<CostHistoryParams>(), (params) => history(params));
  // Validated when it arrives; the start itself waits for the starts and stops before it.
  rpc.on(CostMonitorStartRequest.type, CostMonitorStartParamsSchema, (params, ctx) => serialized(() => startMonitor(params, ctx)), COST_PARAMS_HINT);
  rpc.on(CostMonitorStopRequest.type, noParams, () =>
    serialized(async () => {
      await stopMonitor();
      return monitorStatus();
    }),
  );
  rpc.on(CostMonitorStatusRequest.type, noParams, () => monitorStatus());
}
