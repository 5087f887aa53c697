/**
 * The one model picker: wherever the user chooses a model for a rewrite or a benchmark, this
 * QuickPick lists, under three separators, the editor's models (vscode.lm: no key, included in
 * the user's plan), the models local OpenAI-compatible servers serve now (no key, $0; asked of
 * the engine's `engine/localModels`) and the current models of each provider with a key in
 * SecretStorage (prices from the catalog; providers without a key get one "Set API key for X…"
 * item that runs "PepperPy: Set API Key"). The picker shows at once, busy, and fills the local
 * servers when the probe answers: probing never holds it back.
 */
import * as vscode from 'vscode';
import { EDITOR_LM_COST_LABEL } from '../../protocol/editorLm';
import { LocalModelsRequest } from '../../protocol/engine';
import { errorMessage } from '../../protocol/errors';
import type { LocalModelsResult } from '../../protocol/localServers';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { KNOWN_LOCAL_SERVERS } from '../../shared/localModels';
import { currentKeyModels, KEY_PROVIDER_NAMES, KEY_PROVIDERS, localCostDetail, perMillion, type KeyModelChoice, type KeyProvider } from '../../shared/modelChoices';
import type { EngineService } from '../client/engineService';
import { editorModelChoices } from '../client/editorModels';
import { providersWithKey } from './apiKeys';
import type { Log } from './log';

/** What the user chose: the local rules (Optimize only) or a model name the engine takes. */
export type PickedModel = { kind: 'rules' } | { kind: 'editor' | 'local' | 'key'; name: string };

export interface ModelPickItem extends vscode.QuickPickItem {
  /** Set on items that choose something; info lines ("Looking for local servers…") have none. */
  choice?: PickedModel;
  /** "Set API key for X…" */
  setKey?: KeyProvider;
}

export interface PickOptions {
  title: string;
  placeholder?: string;
  /** Offer "Local rules" first (LLM-mode Optimize: no model at all). */
  localRules?: boolean;
}

/** The three groups' separators, as the tests and the screenshot read them. */
export function groupLabels(): { editor: string; local: string; key: string } {
  return { editor: vscode.l10n.t('Editor models (no key)'), local: vscode.l10n.t('Local servers (no key, $0)'), key: vscode.l10n.t('API key') };
}

/** "genai-prices 0.1.8, 2026-09-23" for the bundled catalog's long name, so the line fits the picker's width. */
export function shortSource(source: string): string {
  return source.replace(/^@pydantic\/genai-prices@(\S+) bundled data/, 'genai-prices $1');
}

const separator = (label: string): ModelPickItem => ({ label, kind: vscode.QuickPickItemKind.Separator });

export interface Loaded {
  editor?: Array<{ name: string; label: string }>;
  local?: LocalModelsResult | { error: string };
  keys?: { withKey: KeyProvider[]; models: KeyModelChoice[] } | { error: string };
}

/** A name shown as a label: `$(…)` would render as an icon, so it is broken with a zero-width space. */
function plain(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}

/** The picker's items for what has loaded so far (pure: the tests and the picker share it). */
export function buildItems(loaded: Loaded, options: { localRules?: boolean }): ModelPickItem[] {
  const groups = groupLabels();
  const items: ModelPickItem[] = [];
  if (options.localRules) items.push({ label: vscode.l10n.t('Local rules'), description: vscode.l10n.t('no model, no network'), detail: vscode.l10n.t('$0, deterministic rewrite on this machine'), choice: { kind: 'rules' } });

  items.push(separator(groups.editor));
  if (loaded.editor === undefined) items.push({ label: `$(loading~spin) ${vscode.l10n.t("Asking VS Code for the editor's models…")}` });
  else if (loaded.editor.length === 0) items.push({ label: vscode.l10n.t('No editor models'), detail: vscode.l10n.t('Sign in to GitHub Copilot (or install another chat model provider) to use its models here.') });
  for (const m of loaded.editor ?? []) items.push({ label: plain(m.label), description: plain(m.name), detail: EDITOR_LM_COST_LABEL, choice: { kind: 'editor', name: m.name } });

  items.push(separator(groups.local));
  const local = loaded.local;
  if (local === undefined) items.push({ label: `$(loading~spin) ${vscode.l10n.t('Looking for local servers…')}`, detail: KNOWN_LOCAL_SERVERS.map((s) => `${s.name} ${s.port}`).join(', ') });
  else if ('error' in local) items.push({ label: vscode.l10n.t('Local servers could not be probed'), detail: local.error });
  else if (local.models.length === 0) {
    items.push({ label: vscode.l10n.t('No local server found'), detail: vscode.l10n.t('Start one of: {0}; then open this list again.', KNOWN_LOCAL_SERVERS.map((s) => `${s.name} (${s.port})`).join(', ')) });
  } else {
    for (const m of local.models) {
      const description = m.latencyMs !== undefined ? vscode.l10n.t('{0}, answered in {1} ms', m.server, Math.max(1, Math.round(m.latencyMs))) : m.server;
      items.push({ label: plain(m.name), description, detail: localCostDetail(m.baseUrl), choice: { kind: 'local', name: m.name } });
    }
  }

  items.push(separator(groups.key));
  if (loaded.keys === undefined) items.push({ label: `$(loading~spin) ${vscode.l10n.t('Reading the stored API keys…')}` });
  // SecretStorage failed (e.g. no keyring): say so, rather than offer to set keys that may well be stored.
  else if ('error' in loaded.keys) items.push({ label: vscode.l10n.t('The stored API keys could not be read'), detail: loaded.keys.error });
  else {
    for (const provider of KEY_PROVIDERS) {
      if (!loaded.keys.withKey.includes(provider)) continue;
      for (const m of loaded.keys.models.filter((k) => k.provider === provider)) {
        items.push({ label: m.name, description: m.label, detail: `${perMillion(m.inputPerMTok, m.outputPerMTok)} (${shortSource(m.source)})`, choice: { kind: 'key', name: m.name } });
      }
    }
    for (const provider of KEY_PROVIDERS) {
      if (loaded.keys.withKey.includes(provider)) continue;
      items.push({ label: vscode.l10n.t('Set API key for {0}…', KEY_PROVIDER_NAMES[provider]), detail: vscode.l10n.t('Kept in VS Code SecretStorage; its models and prices then appear here'), setKey: provider });
    }
  }
  return items;
}

export class ModelPicker {
  /** The QuickPick on screen, if any (the tests read its items). */
  current: vscode.QuickPick<ModelPickItem> | undefined;

  constructor(
    private readonly engine: EngineService,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
  ) {}

  /** Shows the picker; resolves with the choice, or undefined when dismissed. */
  async pick(options: PickOptions): Promise<PickedModel | undefined> {
    for (;;) {
      const result = await this.showOnce(options);
      if (result === undefined || 'picked' in result) return result?.picked;
      // "Set API key for X…": store it, then offer the list again with that provider's models.
      const stored = await vscode.commands.executeCommand<boolean>('pepperpy.setApiKey', result.setKey);
      if (!stored) return undefined;
    }
  }

  private showOnce(options: PickOptions): Promise<{ picked: PickedModel } | { setKey: KeyProvider } | undefined> {
    const quickPick = vscode.window.createQuickPick<ModelPickItem>();
    quickPick.title = options.title;
    quickPick.placeholder = options.placeholder ?? vscode.l10n.t('Type to filter; the line under each model says what it costs');
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;
    quickPick.ignoreFocusOut = true;
    const loaded: Loaded = {};
    let pending = 3;
    const render = () => {
      quickPick.items = buildItems(loaded, options);
      quickPick.busy = pending > 0;
    };
    render();
    this.current = quickPick;
    quickPick.show();

    const done = () => {
      pending--;
      if (this.current === quickPick) render();
    };
    void editorModelChoices().then((models) => { loaded.editor = models; }, () => { loaded.editor = []; }).finally(done);
    void this.keyModels().then((keys) => { loaded.keys = keys; }, (error: unknown) => {
      this.log.warn(`Model picker: the key-based models could not be listed: ${errorMessage(error)}`);
      loaded.keys = { error: errorMessage(error) };
    }).finally(done);
    // The probe gives up on a server after 800 ms: a hung engine should not leave the group spinning for the default 30 s.
    void this.engine.request(LocalModelsRequest.type, {}, { timeoutMs: 8000 }).then((result) => { loaded.local = result; }, (error: unknown) => {
      loaded.local = { error: errorMessage(error) };
    }).finally(done);

    return new Promise((resolve) => {
      let settled = false;
      const finish = (value: { picked: PickedModel } | { setKey: KeyProvider } | undefined) => {
        if (settled) return;
        settled = true;
        if (this.current === quickPick) this.current = undefined;
        quickPick.dispose();
        resolve(value);
      };
      quickPick.onDidAccept(() => {
        const item = quickPick.selectedItems[0];
        // Info lines choose nothing: the picker stays open.
        if (item?.choice) finish({ picked: item.choice });
        else if (item?.setKey) finish({ setKey: item.setKey });
      });
      quickPick.onDidHide(() => finish(undefined));
    });
  }

  private async keyModels(): Promise<{ withKey: KeyProvider[]; models: KeyModelChoice[] }> {
    const withKey = await providersWithKey(this.secrets);
    if (withKey.length === 0) return { withKey, models: [] };
    const catalog = await sharedPriceCatalog();
    return { withKey, models: withKey.flatMap((p) => currentKeyModels(catalog, p)) };
  }
}
