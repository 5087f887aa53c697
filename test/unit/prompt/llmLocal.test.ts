// LLM-mode Optimize Prompt on a local OpenAI-compatible server (issue 14): the request, the CLI
// and the bad inputs, against the shared fake server (test/helpers/fakeLocalServer.ts) pointed
// to by PEPPERPY_OLLAMA_URL. The fake's usage counts are the oracle for `usage`; the text it
// answers is the oracle for what is applied.
import * as assert from 'node:assert/strict';
import { runCli } from '../../../src/engine/cli/framework';
import { promptCommands } from '../../../src/engine/cli/promptCommands';
import { createDispatcher } from '../../../src/engine/handlers';
import type { RequestScope } from '../../../src/engine/rpc';
import { EngineError } from '../../../src/protocol/errors';
import type { OptimizedPrompt } from '../../../src/protocol/prompt';
import { startFakeLocalServer, type FakeLocalServer } from '../../helpers/fakeLocalServer';

const PROMPT = 'Please, I want you to act as a SQL terminal. Do not write explanations. My first command is "SELECT TOP 10 * FROM Products".';
const REWRITE = 'Act as a SQL terminal. Do not write explanations. My first command is "SELECT TOP 10 * FROM Products".';
const VARS = ['PEPPERPY_OLLAMA_URL', 'OLLAMA_HOST'];

const scope: RequestScope = { token: { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) }, progress: () => undefined, log: () => undefined };

describe('LLM-mode Optimize on a local server (provider local)', function () {
  this.timeout(20_000);
  const saved = new Map(VARS.map((v) => [v, process.env[v]]));
  let fake: FakeLocalServer;
  const rpc = createDispatcher();
  const optimize = (llm: unknown) => rpc.dispatch('prompt/optimize', { text: PROMPT, target: 'efficiency', llm }, scope) as Promise<OptimizedPrompt>;

  before(async () => {
    fake = await startFakeLocalServer('ok', { reply: () => REWRITE, usage: { prompt_tokens: 321, completion_tokens: 45 } });
    delete process.env.OLLAMA_HOST;
    process.env.PEPPERPY_OLLAMA_URL = fake.baseUrl;
  });
  after(async () => {
    for (const [k, v] of saved) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await fake.close();
  });

  it('rewrites with ollama:llama3.2: the text it answered, its own token counts, $0 and the measured latency, no key sent', async () => {
    const before = fake.requests.length;
    const result = await optimize({ provider: 'local', model: 'ollama:llama3.2' });
    assert.equal(result.llm?.status, 'accepted', result.llm?.reason);
    assert.equal(result.mode, 'llm');
    assert.equal(result.text, REWRITE);
    assert.deepEqual(result.llm?.usage, { inputTokens: 321, outputTokens: 45 });
    const forecast = result.llm?.forecast;
    assert.equal(forecast?.provider, 'local');
    assert.equal(forecast?.model, 'ollama:llama3.2');
    assert.equal(forecast?.priced, true);
    assert.equal(forecast?.maxTotalCostUsd, 0);
    assert.equal(forecast?.priceNote, `local, $0: runs on localhost:${fake.port}`);
    assert.ok(typeof result.llm?.latencyMs === 'number' && result.llm.latencyMs >= 0);
    const sent = fake.requests.slice(before);
    assert.equal(sent.length, 1, 'one call, with no approval step');
    assert.equal(sent[0].model, 'llama3.2');
    assert.equal(sent[0].messages[0].role, 'system');
    assert.equal(fake.headers[fake.headers.length - 1].authorization, undefined);
  });

  it('refuses a non-local base URL, a key, an unknown server and a non-local model name, saying what to do', async () => {
    await assert.rejects(optimize({ provider: 'local', model: 'ollama:llama3.2', baseUrl: 'http://10.0.0.5:11434/v1' }), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message === "Invalid parameters for prompt/optimize: llm.baseUrl: a local server model's base URL must be on this machine (http://localhost, 127.0.0.1 or [::1]), got http://10.0.0.5:11434/v1.");
    await assert.rejects(optimize({ provider: 'local', model: 'ollama:llama3.2', apiKey: 'sk-x' }), /llm\.apiKey: a local server model \(provider local\) takes no API key/);
    await assert.rejects(optimize({ provider: 'local', model: 'gpt-4o' }), /llm\.model: provider local takes a local model name such as ollama:llama3\.2/);
    await assert.rejects(optimize({ provider: 'local', model: 'foo:bar' }), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message === '"foo:bar" is not a local server model.' && /pepperpy-opt engine models/.test(e.hint ?? ''));
    const requests = fake.requests.length;
    process.env.OLLAMA_HOST = '10.0.0.5:11434';
    const remote = process.env.PEPPERPY_OLLAMA_URL;
    delete process.env.PEPPERPY_OLLAMA_URL;
    try {
      await assert.rejects(optimize({ provider: 'local', model: 'ollama:llama3.2' }), (e: unknown) => e instanceof EngineError && e.message === 'http://10.0.0.5:11434/v1 is not on this machine: a local model\'s base URL must be http://localhost, 127.0.0.1 or [::1], so the prompt never leaves it.');
    } finally {
      delete process.env.OLLAMA_HOST;
      process.env.PEPPERPY_OLLAMA_URL = remote;
    }
    assert.equal(fake.requests.length, requests, 'nothing was sent anywhere');
  });

  it('a server that is not running: the local rewrite is kept and the reason says what to do', async () => {
    const down = await startFakeLocalServer('ok');
    await down.close();
    const result = await optimize({ provider: 'local', model: 'ollama:llama3.2', baseUrl: down.baseUrl });
    assert.equal(result.llm?.status, 'failed');
    assert.equal(result.mode, 'local');
    assert.equal(result.llm?.reason, `Ollama at ${down.baseUrl} is not running (nothing answers there). Start it (\`ollama serve\`), or choose another model; \`pepperpy-opt engine models\` lists what runs on this machine.`);
  });

  it('the CLI: prompt optimize - --llm ollama:llama3.2 prints the same rewrite, $0', async () => {
    let out = '';
    let err = '';
    const code = await runCli(['prompt', 'optimize', '-', '--target', 'efficiency', '--llm', 'ollama:llama3.2', '--json'], promptCommands, { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve(PROMPT) });
    assert.equal(code, 0, err);
    const json = JSON.parse(out) as OptimizedPrompt;
    assert.equal(json.text, REWRITE);
    assert.equal(json.llm?.status, 'accepted');
    assert.deepEqual(json.llm?.usage, { inputTokens: 321, outputTokens: 45 });
    assert.equal(json.llm?.forecast.maxTotalCostUsd, 0);
    let bad = '';
    const refused = await runCli(['prompt', 'optimize', '-', '--llm', 'ollama:llama3.2', '--llm-base-url', 'http://example.com/v1'], promptCommands, { stdout: () => undefined, stderr: (t) => (bad += t), readStdin: () => Promise.resolve(PROMPT) });
    assert.equal(refused, 2, "bad usage");
    assert.match(bad, /http:\/\/example\.com\/v1 is not on this machine/);
    // The model call fails (nothing answers there): exit 1, with the rules' rewrite and the failure printed.
    const down = await startFakeLocalServer('ok');
    await down.close();
    let failedOut = '';
    const failed = await runCli(['prompt', 'optimize', '-', '--llm', 'ollama:llama3.2', '--llm-base-url', down.baseUrl], promptCommands, { stdout: (t) => (failedOut += t), stderr: () => undefined, readStdin: () => Promise.resolve(PROMPT) });
    assert.equal(failed, 1);
    assert.match(failedOut, /# LLM status: failed — Ollama at .* is not running/);
  });
});
