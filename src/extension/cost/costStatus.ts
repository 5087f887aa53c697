/**
 * The status-bar item with today's LLM spend, as the cost monitor's ledger has it:
 * `$(graph) $X.XX today`, updated on every `cost/didRecord`. Hidden while there is no
 * ledger data and no monitor, so people who never meter anything never see it.
 */
import * as vscode from 'vscode';
import { unknownCostText, type CostMonitorService } from './costMonitorService';
import type { Log } from '../common/log';
import { errorMessage } from '../../protocol/errors';

/** The item's text; requests of unknown cost (not in the total) are counted beside it. */
export function todayText(totalCost: number, unknownCostRequests = 0): string {
  const today = vscode.l10n.t('{0} today', `$${totalCost.toFixed(2)}`);
  return `$(graph) ${today}${unknownCostRequests > 0 ? ` ${vscode.l10n.t('(+{0} unknown)', unknownCostRequests)}` : ''}`;
}

export class CostStatus implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly firstRead: NodeJS.Timeout;

  constructor(
    private readonly monitor: CostMonitorService,
    private readonly log: Log,
  ) {
    this.item = vscode.window.createStatusBarItem('pepperpy.costToday', vscode.StatusBarAlignment.Right, 99);
    this.item.name = vscode.l10n.t('PepperPy Spend Today');
    this.item.command = 'pepperpy.cost.openDashboard';
    this.disposables.push(this.item, monitor.onDidChange(() => this.render()));
    // Reading the ledger needs the engine: do it after activation, and only when a file ledger has data.
    this.firstRead = setTimeout(() => void this.refresh(), 1500);
  }

  /** The text shown, or undefined while hidden (the tests read it). */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  visible = false;

  async refresh(): Promise<void> {
    try {
      await this.monitor.readToday();
    } catch (error) {
      this.log.warn(`Could not read today's spend from the cost ledger ${this.monitor.ledgerDescription()}: ${errorMessage(error)}`);
    }
    this.render();
  }

  render(): void {
    const today = this.monitor.today;
    const show = this.monitor.running || (today !== undefined && today.requests > 0);
    if (!show) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const total = today?.totalCost ?? 0;
    const unknown = today?.unknownCostRequests ?? 0;
    this.item.text = todayText(total, unknown);
    const unknownLine = unknownCostText(unknown);
    const tooltip = new vscode.MarkdownString(
      `${vscode.l10n.t('**PepperPy: {0} spent today** (UTC, {1} requests)', `$${total.toFixed(4)}`, today?.requests ?? 0)}\n\n` +
        (unknownLine ? `${unknownLine}\n\n` : '') +
        `${this.monitor.running ? vscode.l10n.t('Cost monitor running at {0}.', `\`${this.monitor.status?.url ?? ''}\``) : vscode.l10n.t('Cost monitor stopped.')} ${vscode.l10n.t('Ledger: {0}', `\`${this.monitor.ledgerDescription()}\``)}\n\n${vscode.l10n.t('Click to open the Cost Dashboard.')}`,
    );
    this.item.tooltip = tooltip;
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    clearTimeout(this.firstRead);
    for (const d of this.disposables) d.dispose();
  }
}
