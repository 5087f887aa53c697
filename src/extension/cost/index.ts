/** LLM cost: the cost monitor (metering proxy, ledger, alerts), the Cost Dashboard and the spend status-bar item. */
import type { AreaContext, Registered } from '../common/area';
import { registerPanelSerializer } from '../common/panelHost';
import { CostMonitorService } from './costMonitorService';
import { CostPanel } from './costPanel';
import { CostStatus } from './costStatus';

export interface CostApi {
  monitor: CostMonitorService;
  panel: CostPanel;
  status: CostStatus;
}

export function register({ context, log, engine }: AreaContext): Registered<CostApi> {
  const monitor = new CostMonitorService(context, log, engine);
  const panel = new CostPanel(context, log, engine, monitor);
  const status = new CostStatus(monitor, log);
  return {
    api: { monitor, panel, status },
    disposables: [monitor, panel, status, registerPanelSerializer(panel.host, () => panel.refresh())],
  };
}
