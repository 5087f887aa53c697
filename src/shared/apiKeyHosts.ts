/**
 * Where the extension's stored API keys may go. A key in VS Code's SecretStorage was given for
 * the provider's own API: it is handed to a run only when the run's base URL is that API's
 * host, or a server on this machine (a local proxy such as the cost monitor). A pipeline config
 * in the workspace that names any other `base_url` would otherwise receive the key.
 */
import { isLoopbackUrl } from '../protocol/prompt';

export type KeyedProvider = 'openai' | 'anthropic';

/** The providers' official API origins, the only remote hosts a stored key is sent to. */
export const OFFICIAL_API_ORIGINS: Readonly<Record<KeyedProvider, string>> = {
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
};

/**
 * Undefined when `provider`'s stored key may be sent with requests to `baseUrl` (none given
 * means the official API); otherwise the sentence that says why not and what to do.
 */
export function storedKeyRefusal(provider: KeyedProvider, baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined || baseUrl.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `the base URL ${JSON.stringify(baseUrl.slice(0, 200))} is not a URL`;
  }
  if (url.username !== '' || url.password !== '') return `the base URL ${url.origin} carries a user name or password; PepperPy sends your stored ${provider} key only to ${OFFICIAL_API_ORIGINS[provider]} or a server on this machine`;
  if (url.origin === OFFICIAL_API_ORIGINS[provider]) return undefined;
  if (isLoopbackUrl(baseUrl)) return undefined;
  return `the pipeline sends ${provider} requests to ${url.origin}, and PepperPy sends your stored ${provider} key only to ${OFFICIAL_API_ORIGINS[provider]} or a server on this machine (such as the cost monitor)`;
}
