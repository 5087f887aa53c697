// A key stored in SecretStorage goes only to the provider's own API or to this machine; a
// pipeline config's base_url elsewhere gets a refusal that names the host (break-pass finding).
import * as assert from 'node:assert/strict';
import { storedKeyRefusal } from '../../../src/shared/apiKeyHosts';

describe('stored API keys: where they may go', () => {
  it('the official API and servers on this machine take the key', () => {
    for (const [provider, url] of [
      ['openai', undefined],
      ['openai', ''],
      ['openai', 'https://api.openai.com/v1'],
      ['openai', 'https://API.OpenAI.com:443/v1/'],
      ['anthropic', 'https://api.anthropic.com'],
      ['openai', 'http://127.0.0.1:8787/v1'],
      ['anthropic', 'http://localhost:8787'],
      ['openai', 'http://[::1]:8787/v1'],
    ] as const) {
      assert.equal(storedKeyRefusal(provider, url), undefined, `${provider} ${String(url)}`);
    }
  });

  it('anything else is refused, naming the host', () => {
    assert.equal(storedKeyRefusal('openai', 'https://evil.example/v1'), 'the pipeline sends openai requests to https://evil.example, and PepperPy sends your stored openai key only to https://api.openai.com or a server on this machine (such as the cost monitor)');
    for (const [provider, url] of [
      ['openai', 'http://api.openai.com/v1'],
      ['openai', 'https://api.openai.com.evil.example/v1'],
      ['openai', 'https://api.anthropic.com/v1'],
      ['anthropic', 'https://api.openai.com'],
      ['openai', 'https://localhost.evil.example/v1'],
      ['openai', 'http://127.0.0.1.nip.io/v1'],
      ['openai', 'http://0.0.0.0:8787/v1'],
      ['openai', 'http://10.0.0.5/v1'],
    ] as const) {
      assert.match(storedKeyRefusal(provider, url) ?? '', /^the pipeline sends \w+ requests to /, `${provider} ${url}`);
    }
    assert.match(storedKeyRefusal('openai', 'https://user:pw@api.openai.com/v1') ?? '', /carries a user name or password/);
    assert.match(storedKeyRefusal('openai', 'http://127.0.0.1@evil.example/v1') ?? '', /carries a user name or password/);
    assert.match(storedKeyRefusal('openai', 'not a url') ?? '', /is not a URL/);
  });
});
