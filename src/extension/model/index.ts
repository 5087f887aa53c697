/** ONNX model optimization: the Model Optimization panel (its history, the running job, cancellation). */
import type { AreaContext, Registered } from '../common/area';
import { registerPanelSerializer } from '../common/panelHost';
import { ModelPanel } from './modelPanel';

export interface ModelApi {
  panel: ModelPanel;
}

export function register({ context, log, engine }: AreaContext): Registered<ModelApi> {
  const panel = new ModelPanel(context, log, engine);
  return {
    api: { panel },
    disposables: [panel, registerPanelSerializer(panel.host, () => panel.open())],
  };
}
