/**
 * Hides secrets in text the cost monitor writes (ledger lines, log messages): a request
 * target or header value a client sent may carry an API key, and the ledger is a plain
 * file that people share. What is hidden:
 *   - the values of query parameters named like a credential (`key`, `api_key`, `token`,
 *     `access_token`, `secret`, `password`, `signature`, ...), in any case, raw or
 *     percent-encoded names;
 *   - the credentials of `Authorization` / `Proxy-Authorization` / `x-api-key` /
 *     `api-key` / `x-goog-api-key` header values (`Bearer …`, `Basic …`, `x-api-key: …`);
 *   - the password of a URL's user-info (`https://user:pass@host`);
 *   - strings shaped like provider keys (`sk-…`, `sk-ant-…`, `sk-proj-…`, `AIza…`,
 *     `xox[bp]-…`, `ghp_…`, `github_pat_…`), wherever they appear.
 */

const MASK = '***';

/** Query parameter names whose values are credentials. */
const SECRET_PARAM = /^(?:key|api[-_]?key|apikey|x[-_]api[-_]key|token|access[-_]?token|refresh[-_]?token|id[-_]?token|auth|authorization|bearer|secret|client[-_]?secret|password|passwd|pwd|sig|signature|session|sessionid|code|credential|credentials)$/i;

const KEY_SHAPES: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{6,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\bxox[abposr]-[0-9A-Za-z-]{8,}/g,
  /\bghp_[0-9A-Za-z]{20,}/g,
  /\bgithub_pat_[0-9A-Za-z_]{20,}/g,
];

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * `name=value` pairs in query strings (after `?`, `&` or `;`): values of secret names are masked.
 * A value ends at a quote, unless the quote is escaped (`\"`): messages quote a request target
 * as a JSON string, and a target may itself hold a `"` (`?key=abc"sk-…` became `?key=abc\"sk-…`,
 * and everything after the escaped quote was left in clear).
 */
function redactQuery(text: string): string {
  return text.replace(/([?&;])([^=&;#?\s"'<>]{1,64})=((?:\\.|[^&;#\s"'<>\\])*)/g, (whole, sep: string, name: string, value: string) => (value && SECRET_PARAM.test(safeDecode(name)) ? `${sep}${name}=${MASK}` : whole));
}

/** Header-like `Authorization: Bearer x`, `x-api-key: x`, and bare `Bearer x` / `Basic x`. */
function redactHeaders(text: string): string {
  return text
    .replace(/\b((?:proxy-)?authorization|x-api-key|api-key|x-goog-api-key)(["']?\s*[:=]\s*["']?)(?:(bearer|basic|token)\s+)?[^\s"',;&]+/gi, (_whole, name: string, sep: string, scheme: string | undefined) => `${name}${sep}${scheme ? `${scheme} ` : ''}${MASK}`)
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, (_whole, scheme: string) => `${scheme} ${MASK}`);
}

/** `scheme://user:password@host` → `scheme://user:***@host`. */
function redactUserInfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@"']+):[^\s/@"']+@/gi, (_whole, prefix: string) => `${prefix}:${MASK}@`);
}

export function redactSecrets(text: string): string {
  let out = redactUserInfo(redactHeaders(redactQuery(text)));
  for (const shape of KEY_SHAPES) out = out.replace(shape, (match) => `${match.slice(0, match.startsWith('sk-') ? 3 : 4)}${MASK}`);
  return out;
}
