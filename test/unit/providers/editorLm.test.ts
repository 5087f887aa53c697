// The editor's models (vscode:…) as the engine sees them: the reverse requests over a real
// vscode-jsonrpc connection pair (the engine's end from src/engine/editorLmConnection.ts, a
// fake extension end that records what it got), cancellation, error mapping, and the
// provider wherever a model name is accepted.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter, type CancellationToken, type MessageConnection } from 'vscode-jsonrpc/node';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveProvider } from '../../../src/engine/benchmark/common';
import { LatencyBenchmark } from '../../../src/engine/benchmark/latency';
import { ModelBenchmark } from '../../../src/engine/benchmark/model';
import { connectionEditorLmPeer } from '../../../src/engine/editorLmConnection';
import { EDITOR_LM_JUSTIFICATION, EditorLmProvider, setEditorLmPeer, type EditorLmPeer } from '../../../src/engine/providers/editorLm';
import { createRewriter } from '../../../src/engine/prompt/llm';
import { PromptOptimizer } from '../../../src/engine/prompt/optimizer';
import { EditorLmChatRequest, editorLmSelectors, MAX_EDITOR_ANSWER_CHARS, NO_EDITOR_MESSAGE, type EditorLmChatParams } from '../../../src/protocol/editorLm';
import { EngineError } from '../../../src/protocol/errors';
import { LlmProviderConfigSchema } from '../../../src/protocol/prompt';

function pair(): { engine: MessageConnection; editor: MessageConnection; dispose(): void } {
  const a = new PassThrough();
  const b = new PassThrough();
  const engine = createMessageConnection(new StreamMessageReader(a), new StreamMessageWriter(b));
  const editor = createMessageConnection(new StreamMessageReader(b), new StreamMessageWriter(a));
  engine.listen();
  editor.listen();
  return { engine, editor, dispose: () => { engine.dispose(); editor.dispose(); } };
}

const MODEL = { id: 'fake-1', vendor: 'fake', family: 'echo', name: 'Fake', version: '1', maxInputTokens: 1000 };

async function rejects(promise: Promise<unknown>, code: string, message?: RegExp): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, `not an EngineError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail('did not reject');
}

describe('editor models (vscode:…) through reverse requests', () => {
  let conn: ReturnType<typeof pair>;
  beforeEach(() => {
    conn = pair();
  });
  afterEach(() => {
    conn.dispose();
    setEditorLmPeer(undefined);
  });

  it('sends exactly the messages and options, and reports the editor\'s own counts as the provider\'s', async () => {
    const got: EditorLmChatParams[] = [];
    conn.editor.onRequest(EditorLmChatRequest.method, (params: EditorLmChatParams) => {
      got.push(params);
      return { text: 'an answer', model: MODEL, inputTokens: 11, outputTokens: 3 };
    });
    const provider = new EditorLmProvider('vscode:fake-1', connectionEditorLmPeer(conn.engine));
    assert.equal(provider.paid, false);
    assert.equal(provider.kind, 'vscode');
    const result = await provider.generate({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi?' }], maxTokens: 16, temperature: 0 });
    assert.deepEqual(got, [{ model: 'fake-1', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi?' }], maxTokens: 16, temperature: 0, justification: EDITOR_LM_JUSTIFICATION }]);
    assert.equal(result.text, 'an answer');
    assert.equal(result.model, 'vscode:fake-1');
    assert.deepEqual(result.usage, { inputTokens: 11, outputTokens: 3, cachedInputTokens: 0, source: 'provider' });
    assert.equal(result.streamed, false);
    const chunks: string[] = [];
    await provider.stream({ messages: [{ role: 'user', content: 'x' }] }, (c) => chunks.push(c.text));
    assert.deepEqual(chunks, ['an answer']);
  });

  it('cancelling the engine side cancels the editor\'s token and settles as cancelled at once', async () => {
    let editorToken: CancellationToken | undefined;
    let editorSawCancel: () => void = () => undefined;
    const sawCancel = new Promise<void>((resolve) => { editorSawCancel = resolve; });
    conn.editor.onRequest(EditorLmChatRequest.method, (_params: unknown, token: CancellationToken) => {
      editorToken = token;
      return new Promise((resolve) => token.onCancellationRequested(() => { editorSawCancel(); resolve(new ResponseError(-32800, 'cancelled', { code: 'cancelled' })); }));
    });
    const abort = new AbortController();
    const provider = new EditorLmProvider('vscode:fake-1', connectionEditorLmPeer(conn.engine));
    const pending = provider.generate({ messages: [{ role: 'user', content: 'hold' }], signal: abort.signal });
    while (!editorToken) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    await rejects(pending, 'cancelled');
    await sawCancel;
    assert.equal(editorToken.isCancellationRequested, true);
    // Already aborted: nothing is sent.
    await rejects(provider.generate({ messages: [{ role: 'user', content: 'x' }], signal: abort.signal }), 'cancelled');
  });

  it('keeps the editor\'s error code and hint; a client without the method is "no editor attached"', async () => {
    conn.editor.onRequest(EditorLmChatRequest.method, () => new ResponseError(-32602, 'PepperPy may not use vscode:fake-1: consent refused', { code: 'badRequest', hint: 'Allow it when VS Code asks.' }));
    const peer = connectionEditorLmPeer(conn.engine);
    const error = await rejects(new EditorLmProvider('vscode:fake-1', peer).generate({ messages: [{ role: 'user', content: 'x' }] }), 'badRequest', /consent refused/);
    assert.equal(error.hint, 'Allow it when VS Code asks.');
    const bare = pair();
    try {
      await rejects(new EditorLmProvider('vscode:fake-1', connectionEditorLmPeer(bare.engine)).generate({ messages: [{ role: 'user', content: 'x' }] }), 'unsupported', /only available inside VS Code/);
    } finally {
      bare.dispose();
    }
  });

  it('refuses a malformed answer from the editor by name', async () => {
    conn.editor.onRequest(EditorLmChatRequest.method, () => ({ text: 'x', model: MODEL, inputTokens: -1, outputTokens: 1 }));
    await rejects(new EditorLmProvider('vscode:fake-1', connectionEditorLmPeer(conn.engine)).generate({ messages: [{ role: 'user', content: 'x' }] }), 'internal', /inputTokens/);
  });

  it('time to first token: the engine total less what the extension spent after the first fragment', async () => {
    conn.editor.onRequest(EditorLmChatRequest.method, async () => {
      await new Promise((r) => setTimeout(r, 60));
      return { text: 'an answer', model: MODEL, inputTokens: 1, outputTokens: 2, firstFragmentMs: 10, totalMs: 40 };
    });
    const result = await new EditorLmProvider('vscode:fake-1', connectionEditorLmPeer(conn.engine)).generate({ messages: [{ role: 'user', content: 'x' }] });
    assert.ok(result.timing.totalMs >= 60, String(result.timing.totalMs));
    assert.equal(result.timing.timeToFirstTokenMs, result.timing.totalMs - 30);
    // Without the extension's figures (an older extension) the first token is timed as the last.
    conn.editor.onRequest(EditorLmChatRequest.method, () => ({ text: 'an answer', model: MODEL, inputTokens: 1, outputTokens: 2 }));
    const old = await new EditorLmProvider('vscode:fake-1', connectionEditorLmPeer(conn.engine)).generate({ messages: [{ role: 'user', content: 'x' }] });
    assert.equal(old.timing.timeToFirstTokenMs, old.timing.totalMs);
  });

  it('refuses answer timings that are not durations and an answer over the size cap', async () => {
    conn.editor.onRequest(EditorLmChatRequest.method, () => ({ text: 'x', model: MODEL, inputTokens: 1, outputTokens: 1, firstFragmentMs: -5 }));
    await rejects(new EditorLmProvider('vscode:fake-1', connectionEditorLmPeer(conn.engine)).generate({ messages: [{ role: 'user', content: 'x' }] }), 'internal', /`firstFragmentMs` is not a duration/);
    conn.editor.onRequest(EditorLmChatRequest.method, () => ({ text: 'y'.repeat(MAX_EDITOR_ANSWER_CHARS + 1), model: MODEL, inputTokens: 1, outputTokens: 1 }));
    await rejects(new EditorLmProvider('vscode:fake-1', connectionEditorLmPeer(conn.engine)).generate({ messages: [{ role: 'user', content: 'x' }] }), 'internal', /longer than 1000000 characters/);
  });

  it('from the CLI (no editor peer) a vscode: model says where it works', async () => {
    setEditorLmPeer(undefined);
    const provider = resolveProvider('vscode:copilot/gpt-4o', {}, '');
    assert.ok(provider instanceof EditorLmProvider);
    assert.equal(provider.model, 'copilot/gpt-4o');
    const error = await rejects(provider.generate({ messages: [{ role: 'user', content: 'x' }] }), 'unsupported');
    assert.equal(error.message, NO_EDITOR_MESSAGE);
    assert.throws(() => resolveProvider('vscode:', {}, ''), /names no model/);
    const fromObject = resolveProvider({ provider: 'vscode', model: 'copilot/gpt-4o' }, {}, '');
    assert.ok(fromObject instanceof EditorLmProvider);
    assert.equal(fromObject.model, 'copilot/gpt-4o');
  });

  it('selectors: the id first, then vendor/family', () => {
    assert.deepEqual(editorLmSelectors('gpt-4o'), [{ id: 'gpt-4o' }]);
    assert.deepEqual(editorLmSelectors('copilot/gpt-4o'), [{ id: 'copilot/gpt-4o' }, { vendor: 'copilot', family: 'gpt-4o' }]);
    assert.deepEqual(editorLmSelectors('a/b/c'), [{ id: 'a/b/c' }]);
  });

  it('LLM-mode optimize on an editor model needs no key and no cost approval, and has no price', async () => {
    const sent: EditorLmChatParams[] = [];
    const peer: EditorLmPeer = {
      models: async () => ({ models: [MODEL] }),
      chat: async (params) => {
        sent.push(params);
        const user = params.messages[params.messages.length - 1]?.content ?? '';
        const prompt = /\nPROMPT:\n<<<\n([\s\S]*)\n>>>$/.exec(user)?.[1] ?? '';
        return { text: `Rewritten: ${prompt}`, model: MODEL, inputTokens: 40, outputTokens: 9 };
      },
    };
    const text = 'Summarize the ticket {ticket} in 3 bullet points.';
    const result = await new PromptOptimizer().optimizeWithLlm(text, { target: 'balanced', rewriter: createRewriter({ provider: 'vscode', model: 'fake-1', peer }) });
    assert.equal(sent.length, 1);
    assert.equal(result.llm?.status, 'accepted', result.llm?.reason);
    assert.equal(result.text, `Rewritten: ${text}`);
    assert.deepEqual(result.llm?.usage, { inputTokens: 40, outputTokens: 9 });
    assert.equal(result.llm?.forecast.priced, false);
    assert.equal(result.llm?.forecast.maxTotalCostUsd, undefined);
    assert.match(result.llm?.forecast.priceNote ?? '', /^included in your plan: vscode:fake-1/);
  });

  it('the LLM provider config: vscode takes no key; openai and anthropic need one', () => {
    assert.equal(LlmProviderConfigSchema.safeParse({ provider: 'vscode', model: 'copilot/gpt-4o' }).success, true);
    const withKey = LlmProviderConfigSchema.safeParse({ provider: 'vscode', model: 'x', apiKey: 'sk-1' });
    assert.equal(withKey.success, false);
    assert.match(JSON.stringify(withKey.error?.issues), /take no API key/);
    const noKey = LlmProviderConfigSchema.safeParse({ provider: 'openai', model: 'gpt-4o' });
    assert.equal(noKey.success, false);
    assert.match(JSON.stringify(noKey.error?.issues), /needs an API key/);
  });

  it('model and latency benchmarks on an editor model: its answers and counts, no paid-call gate, cost basis "included in your plan"', async () => {
    const sent: EditorLmChatParams[] = [];
    setEditorLmPeer({
      models: async () => ({ models: [MODEL] }),
      chat: async (params) => {
        sent.push(params);
        return { text: 'Paris', model: MODEL, inputTokens: 7, outputTokens: 2 };
      },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-editorlm-'));
    try {
      const dataset = path.join(dir, 'capitals.jsonl');
      fs.writeFileSync(dataset, '{"input":"What is the capital of France?","reference":"Paris"}\n{"input":"What is the capital of Italy?","reference":"Rome"}\n');
      // No confirmCost: a paid model would be refused here; the editor's model is not billed per token.
      const r = await new ModelBenchmark().run({ models: ['vscode:fake-1'], tasks: ['capitals'], datasets: { capitals: dataset }, maxTokens: 8 });
      const cell = r.results['vscode:fake-1'].capitals;
      assert.deepEqual({ items: cell.items, accuracy: cell.accuracy, f1: cell.f1 }, { items: 2, accuracy: 0.5, f1: 0.5 });
      assert.match(cell.costBasis, /^included in your plan/);
      assert.equal(sent.length, 2);
      assert.deepEqual(sent.map((p) => p.maxTokens), [8, 8]);
      sent.length = 0;
      const latency = await new LatencyBenchmark().run({ models: ['vscode:fake-1'], inputLengths: [8], outputLengths: [4], batchSizes: [2], iterations: 2, warmupIterations: 1 });
      // (1 warm-up + 2 measured) × batch 2 requests, each with the 4-token cap.
      assert.equal(sent.length, 6);
      assert.ok(sent.every((p) => p.maxTokens === 4 && p.messages.length === 1 && p.messages[0]?.content.split(' ').length === 8));
      assert.ok(latency.results['vscode:fake-1'], 'no latency result for the editor model');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
