/**
 * One host for every webview panel: strict Content-Security-Policy with a nonce,
 * `localResourceRoots` limited to dist/webview and media, theme colours from the
 * `--vscode-*` variables (media/panel.css), typed messages both ways, every incoming
 * message validated (webviews are untrusted), and state that survives the panel being
 * hidden and shown (the host re-sends it on `ready`) or the window reloading (serializer).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../../protocol/webview';
import type { Log } from './log';
import { errorMessage } from '../../protocol/errors';
import { L10N_ELEMENT_ID, l10nBundleJson } from '../../protocol/l10n';

export interface PanelSpec {
  viewType: string;
  title: string;
  /** Bundle name under dist/webview, without `.js`. */
  script: string;
}

/** A copy of a view state without its undefined keys, so what the host posts (and keeps) is plain JSON. */
export function plainJson<T>(state: T): T {
  return JSON.parse(JSON.stringify(state)) as T;
}

export type MessageHandler = (message: WebviewToHost) => void | Promise<void>;

export class PanelHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private lastMessage: HostToWebview | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderEmitter = new vscode.EventEmitter<string>();
  /** Fires with the text the webview reports after each render (used by tests and logs). */
  readonly onDidRender = this.renderEmitter.event;
  lastRenderSummary: string | undefined;
  rejectedMessages = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly spec: PanelSpec,
    private readonly handler: MessageHandler,
  ) {}

  get viewType(): string {
    return this.spec.viewType;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the panel (or reveals it) beside the editor. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(this.spec.viewType, this.spec.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
    this.attach(panel);
  }

  /** Re-attaches a panel VS Code restored after a reload. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
    if (state && typeof state === 'object' && 'type' in state) this.lastMessage = state as HostToWebview;
  }

  /** Sends a message now, and keeps it to re-send when the page reloads. */
  post(message: HostToWebview): void {
    if (message.type !== 'error/didOccur') this.lastMessage = message;
    if (this.panel) void this.panel.webview.postMessage(message);
  }

  /** Validates and dispatches one message from the webview; exposed for tests. */
  async receive(raw: unknown): Promise<{ ok: true } | { ok: false; reason: string }> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.rejectedMessages++;
      this.log.warn(`Rejected a message from the ${this.spec.viewType} webview: ${parsed.reason}.`);
      if (this.panel) void this.panel.webview.postMessage({ type: 'error/didOccur', message: `The panel sent a message the extension does not accept (${parsed.reason}).` } satisfies HostToWebview);
      return { ok: false, reason: parsed.reason };
    }
    const message = parsed.message;
    try {
      if (message.type === 'ready') {
        if (this.lastMessage && this.panel) await this.panel.webview.postMessage(this.lastMessage);
      } else if (message.type === 'didRender') {
        this.lastRenderSummary = message.summary;
        this.renderEmitter.fire(message.summary);
      } else {
        await this.handler(message);
      }
    } catch (error) {
      this.log.error(`The ${this.spec.viewType} panel failed to handle ${message.type}: ${errorMessage(error)}`);
    }
    return { ok: true };
  }

  dispose(): void {
    this.panel?.dispose();
    this.renderEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.context.extensionUri, 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'icon.svg');
    panel.webview.html = this.html(panel.webview);
    const subs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        for (const s of subs) s.dispose();
      }),
    ];
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview', `${this.spec.script}.js`));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'panel.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    // The translations go in the page itself (undefined in English): the panel reads them
    // before its first render, and they flow host → webview only.
    const l10n = l10nBundleJson(vscode.l10n.bundle);
    return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css.toString()}" nonce="${nonce}">
<title>${escapeHtml(this.spec.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">${escapeHtml(vscode.l10n.t('Loading…'))}</p></main>
<script type="application/json" id="${L10N_ELEMENT_ID}">${l10n}</script>
<script type="module" nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}

/**
 * Lets VS Code bring the panel back after a window reload: the host re-attaches it with the
 * state it last posted, then `afterRestore` refills it (a refresh or a re-open), if the panel needs that.
 */
export function registerPanelSerializer(host: PanelHost, afterRestore?: () => Promise<unknown>): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(host.viewType, {
    deserializeWebviewPanel: async (panel, state: unknown) => {
      host.restore(panel, state);
      await afterRestore?.();
    },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
