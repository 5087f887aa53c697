/**
 * The webview side of the panel protocol: typed messages to the host, validation of what
 * the host sends, and state kept with `setState` so a hidden-then-shown panel (or a
 * reloaded window) renders at once from where it was.
 */
import type { HostToWebview, WebviewToHost } from '../../../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}

export function savedMessage(): HostToWebview | undefined {
  const state = api.getState();
  return isHostMessage(state) ? state : undefined;
}

function isHostMessage(value: unknown): value is HostToWebview {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  if (type === 'analysis/didChange') {
    const state = (value as { state?: unknown }).state;
    return typeof state === 'object' && state !== null && typeof (state as { source?: unknown }).source === 'string';
  }
  if (type === 'error/didOccur') return typeof (value as { message?: unknown }).message === 'string';
  return false;
}

/** Calls `onMessage` for each valid message from the host; remembers state-bearing ones. */
export function listen(onMessage: (message: HostToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isHostMessage(event.data)) return;
    if (event.data.type !== 'error/didOccur') api.setState(event.data);
    onMessage(event.data);
  });
}

/** Small DOM builder: text always goes through textContent, never innerHTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; attrs?: Record<string, string> } = {}, children: Array<Node | string> = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

export function custom(tag: string, attrs: Record<string, string> = {}, children: Array<Node | string> = []): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}
