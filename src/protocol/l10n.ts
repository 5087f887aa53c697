/**
 * Handing the extension's translations (vscode.l10n.bundle) to a webview. The host writes
 * the bundle into the page as a JSON data block when it builds the HTML, so the panel has
 * its words before its first render and nothing about languages travels back: messages
 * from a webview are untrusted and never carry translations.
 */

/** Id of the `<script type="application/json">` element that holds the bundle. */
export const L10N_ELEMENT_ID = 'pepperpy-l10n';

/**
 * The bundle as text safe inside a `<script>` element: `<` is escaped, so a message that
 * contains `</script>` cannot end the element early. JSON.parse reads it back unchanged.
 */
export function l10nBundleJson(bundle: Record<string, string> | undefined): string {
  return JSON.stringify(bundle ?? {}).replace(/</g, '\\u003c');
}

/**
 * The bundle read back in the webview: an object of string values, or `{}` (English) for
 * anything else, so a broken page falls back to the English text instead of failing.
 */
export function parseL10nBundle(text: string | null | undefined): Record<string, string> {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(value)) if (typeof message === 'string') out[key] = message;
  return out;
}
