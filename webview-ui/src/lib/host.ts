/**
 * The webview side of the panel protocol: typed messages to the host, validation of what
 * the host sends, and state kept with `setState` so a hidden-then-shown panel (or a
 * reloaded window) renders at once from where it was.
 */
import * as l10n from '@vscode/l10n';
import { L10N_ELEMENT_ID, parseL10nBundle } from '../../../src/protocol/l10n';
import type { HostToWebview, WebviewToHost } from '../../../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

// The extension's translations, written into the page by the host (see src/protocol/l10n.ts);
// configured before any panel renders, so every l10n.t call below sees them. Empty: English.
l10n.config({ contents: parseL10nBundle(document.getElementById(L10N_ELEMENT_ID)?.textContent) });

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}

function savedMessage(): HostToWebview | undefined {
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
  if (type === 'cost/didChange') {
    const state = (value as { state?: unknown }).state;
    return typeof state === 'object' && state !== null && typeof (state as { monitor?: unknown }).monitor === 'object' && Array.isArray((state as { alerts?: unknown }).alerts);
  }
  if (type === 'benchmark/didChange') {
    const state = (value as { state?: unknown }).state;
    return typeof state === 'object' && state !== null && Array.isArray((state as { runs?: unknown }).runs) && typeof (state as { form?: unknown }).form === 'object';
  }
  if (type === 'model/didChange') {
    const state = (value as { state?: unknown }).state;
    return typeof state === 'object' && state !== null && Array.isArray((state as { runs?: unknown }).runs) && typeof (state as { form?: unknown }).form === 'object';
  }
  if (type === 'error/didOccur') return typeof (value as { message?: unknown }).message === 'string';
  return false;
}

/** Calls `onMessage` for each valid message from the host; remembers state-bearing ones. */
function listen(onMessage: (message: HostToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isHostMessage(event.data)) return;
    if (event.data.type !== 'error/didOccur') api.setState(event.data);
    onMessage(event.data);
  });
}

/** The host messages that carry a panel's state (everything but an error). */
type StateMessage = Exclude<HostToWebview, { type: 'error/didOccur' }>;
type StateOf = { [M in StateMessage as M['type']]: M['state'] };

/**
 * Every panel's start-up: listens to the host, keeps the latest `type` state and the host's
 * last error (cleared by the next state), hands both to `update` on each such message and
 * once now (from the state saved before the panel was hidden or the window reloaded, or
 * none), then tells the host the panel is ready. Other panels' messages are ignored.
 */
export function startPanel<T extends StateMessage['type']>(type: T, update: (state: StateOf[T] | undefined, errorBanner: string | undefined) => void): void {
  let state: StateOf[T] | undefined;
  let errorBanner: string | undefined;
  const take = (message: HostToWebview): boolean => {
    if (message.type === 'error/didOccur') {
      errorBanner = message.message;
    } else if (message.type === type) {
      state = message.state as StateOf[T];
      errorBanner = undefined;
    } else {
      return false;
    }
    return true;
  };
  listen((message) => {
    if (take(message)) update(state, errorBanner);
  });
  const saved = savedMessage();
  if (saved) take(saved);
  update(state, errorBanner);
  post({ type: 'ready' });
}

/** Tells the host what is on screen, so tests (and logs) can check what the user sees. */
export function reportRendered(root: Node): void {
  post({ type: 'didRender', summary: visibleText(root).slice(0, 10_000) });
}

/** Shows `text` in `node` (a banner or a notice), or hides the node when there is none. */
export function showText(node: HTMLElement, text: string | undefined): void {
  node.textContent = text ?? '';
  node.toggleAttribute('hidden', !text);
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

const BLOCK = new Set(['DIV', 'P', 'H1', 'H2', 'H3', 'LI', 'TR', 'SECTION', 'HEADER', 'TABLE', 'UL', 'OL', 'PRE', 'LABEL', 'VSCODE-DIVIDER']);

/**
 * The text a person sees in `root`, one block per line. Unlike `innerText` it includes the
 * light-DOM text of web components (badges, buttons), which `innerText` leaves out.
 */
export function visibleText(root: Node): string {
  let out = '';
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      out += node.textContent ?? '';
      return;
    }
    if (!(node instanceof HTMLElement)) return;
    if (node.hidden || node.tagName === 'SCRIPT' || node.tagName === 'STYLE' || (node.tagName === 'VSCODE-OPTION' && !node.hasAttribute('selected'))) return;
    const block = BLOCK.has(node.tagName);
    if (block && out !== '' && !out.endsWith('\n')) out += '\n';
    node.childNodes.forEach(walk);
    if (node.tagName === 'TH' || node.tagName === 'TD') out += '\t';
    if (block && !out.endsWith('\n')) out += '\n';
  };
  walk(root);
  return out.replace(/[ \t]+\n/g, '\n').replace(/\n{2,}/g, '\n').trim();
}
