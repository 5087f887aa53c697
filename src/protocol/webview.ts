/**
 * Messages between webview panels and the extension host. Three kinds, as in GitLens:
 * commands (webview → host, no reply), requests with a reply, and `did…` notifications
 * (host → webview). Everything the webview sends is untrusted and is validated with these
 * schemas before use; the webview validates what it receives too.
 */
import { z } from 'zod';
import type { PromptAnalysis } from './prompt';

export const PANEL_IDS = ['analysis'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

// ---- Webview → host -------------------------------------------------------------

export const WebviewToHostSchema = z.discriminatedUnion('type', [
  /** The page has loaded and wants its state. */
  z.object({ type: z.literal('ready') }).strict(),
  /** The user asked to analyze the same text again with another model. */
  z.object({ type: z.literal('analysis/reanalyze'), model: z.string().min(1).max(200) }).strict(),
  /** The user asked to copy the result as JSON to the clipboard. */
  z.object({ type: z.literal('analysis/copyJson') }).strict(),
  /** The page rendered a state; its text lets tests check what the user sees. */
  z.object({ type: z.literal('didRender'), summary: z.string().max(10_000) }).strict(),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

// ---- Host → webview ---------------------------------------------------------------

export interface AnalysisViewState {
  /** Where the text came from, for the heading ("selection in app.py"). */
  source: string;
  model: string;
  /** Models offered in the model picker. */
  models: string[];
  analysis?: PromptAnalysis;
  error?: string;
  busy: boolean;
}

export type HostToWebview =
  | { type: 'analysis/didChange'; state: AnalysisViewState }
  | { type: 'error/didOccur'; message: string };

/** Validates a message from a webview; returns a readable reason when it is rejected. */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewToHost } | { ok: false; reason: string } {
  const result = WebviewToHostSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, reason: `${issue?.message ?? 'invalid message'}${where}` };
}
