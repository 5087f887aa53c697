// Secrets in what the cost monitor writes (issue 11, finding 8): hand-written inputs, exact outputs.
import * as assert from 'node:assert/strict';
import { redactSecrets } from '../../../src/engine/cost/redact';

describe('redactSecrets', () => {
  const cases: Array<[string, string]> = [
    ['the request target "http://evil.example/v1/chat?key=sk-live-abcdef123456" is not a path', 'the request target "http://evil.example/v1/chat?key=***" is not a path'],
    ['/v1/x?model=gpt-4o&api_key=AKIA1234567890&x=1', '/v1/x?model=gpt-4o&api_key=***&x=1'],
    ['/v1/x?API-KEY=abc&token=t0k3n;access_token=zz', '/v1/x?API-KEY=***&token=***;access_token=***'],
    ['/v1/x?api%5Fkey=abc', '/v1/x?api%5Fkey=***'],
    ['/v1/x?keyword=cats&monkey=1', '/v1/x?keyword=cats&monkey=1'],
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer ***'],
    ['x-api-key: sk-ant-api03-XXXXXXXXXXXX', 'x-api-key: ***'],
    ['{"authorization":"Basic dXNlcjpwYXNz"}', '{"authorization":"Basic ***"}'],
    ['upstream said: bearer eyJhbGciOiJIUzI1NiJ9.e30.x', 'upstream said: bearer ***'],
    ['could not reach https://user:hunter2@proxy.example:8080/v1', 'could not reach https://user:***@proxy.example:8080/v1'],
    ['key sk-proj-0123456789abcdef in a sentence', 'key sk-*** in a sentence'],
    ['AIzaSyA-1234567890abcdefghijklmnop and ghp_abcdefghijklmnopqrstuvwxyz0123', 'AIza*** and ghp_***'],
    ['no secret here: gpt-4o sent no answer within 300 ms', 'no secret here: gpt-4o sent no answer within 300 ms'],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => assert.equal(redactSecrets(input), expected));
  }
});
