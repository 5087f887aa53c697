/** LLM cost: the cost monitor (metering proxy, ledger, alerts), the Cost Dashboard and the spend status-bar item. */
import type { AreaContext, Registered } from '../common/area';
import { registerPanelSerializer } from '../common/panelHost';
import { CostMonitorService } from './costMonitorService';
import { CostPanel } from './costPanel';
import { CostStatus } from './costStatus';
import { windowEstimateUi, type EstimateUi } from './estimateStart';

export interface CostApi {
  monitor: CostMonitorService;
  panel: CostPanel;
  status: CostStatus;
  /** How "Estimate Cost…" asks for its model and numbers (a QuickPick and InputBoxes; tests replace them). */
  estimateUi: EstimateUi;
}

export function register({ context, log, engine }: AreaContext): Registered<CostApi> {
  const monitor = new CostMonitorService(context, log, engine);
  const panel = new CostPanel(context, log, engine, monitor);
  const status = new CostStatus(monitor, log);
  return {
    api: { monitor, panel, status, estimateUi: { ...windowEstimateUi } },
    disposables: [monitor, panel, status, registerPanelSerializer(panel.host, () => panel.refresh())],
  };
}
