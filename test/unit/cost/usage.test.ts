/**
 * What the cost monitor's proxy records from the providers' answers. The bodies and events
 * below follow the shapes in the official API references (field names, nesting, event
 * names and order); token figures are the documentation's own where it gives non-zero
 * ones, otherwise chosen so that every field is told apart from the others:
 * - OpenAI chat completion object and `usage` (prompt_tokens_details.cached_tokens,
 *   completion_tokens_details.reasoning_tokens):
 *   https://platform.openai.com/docs/api-reference/chat/object and the prompt caching guide
 *   https://platform.openai.com/docs/guides/prompt-caching (prompt_tokens 2006, cached_tokens 1920).
 * - Streamed chat chunks with `stream_options.include_usage`: every chunk has `usage: null`
 *   except an extra last chunk whose `choices` is empty
 *   (https://platform.openai.com/docs/api-reference/chat-streaming/streaming).
 * - OpenAI embeddings: `usage: { prompt_tokens, total_tokens }`
 *   (https://platform.openai.com/docs/api-reference/embeddings/object).
 * - OpenAI Responses: `usage.input_tokens`, `input_tokens_details.cached_tokens`, `output_tokens`,
 *   `output_tokens_details.reasoning_tokens` (reasoning guide: 75 in, 1186 out, 1024 reasoning)
 *   and the `response.created` / `response.completed` stream events
 *   (https://platform.openai.com/docs/api-reference/responses/object,
 *   https://platform.openai.com/docs/api-reference/responses-streaming).
 * - Anthropic Messages: `usage.input_tokens` excludes `cache_read_input_tokens` and
 *   `cache_creation_input_tokens` (https://docs.anthropic.com/en/api/messages,
 *   https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching); the stream is
 *   message_start (usage 25 in, 1 out), content blocks, ping, message_delta (usage 15 out),
 *   message_stop (https://docs.anthropic.com/en/docs/build-with-claude/streaming).
 */
import * as assert from 'node:assert/strict';
import { SseSplitter, StreamUsageTracker, usageFromBody, type ApiKind, type SseEvent } from '../../../src/engine/cost/usage';

const enc = new TextEncoder();

/** Server-sent-event text for events of {event?, data}. */
function sseText(events: Array<{ event?: string; data: unknown }>): string {
  return events.map((e) => `${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`).join('');
}

function track(api: ApiKind, text: string): { tracker: StreamUsageTracker; finals: boolean[] } {
  const splitter = new SseSplitter();
  const tracker = new StreamUsageTracker(api);
  const finals = [...splitter.push(enc.encode(text)), ...splitter.flush()].map((e) => tracker.observe(e));
  return { tracker, finals };
}

const chatCompletion = {
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I assist you today?', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
  usage: {
    prompt_tokens: 2006,
    completion_tokens: 300,
    total_tokens: 2306,
    prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 64, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
  service_tier: 'default',
};

const responsesBody = {
  id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
  object: 'response',
  created_at: 1741476542,
  status: 'completed',
  model: 'o4-mini-2025-04-16',
  output: [],
  usage: { input_tokens: 75, input_tokens_details: { cached_tokens: 32 }, output_tokens: 1186, output_tokens_details: { reasoning_tokens: 1024 }, total_tokens: 1261 },
};

const anthropicMessage = {
  id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
  type: 'message',
  role: 'assistant',
  model: 'claude-3-5-haiku-20241022',
  content: [{ type: 'text', text: 'Hi!' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 21, cache_creation_input_tokens: 188086, cache_read_input_tokens: 1024, output_tokens: 393 },
};

describe('usage from complete answers', () => {
  it('OpenAI chat: prompt tokens include the cached ones; reasoning is part of completion tokens', () => {
    assert.deepEqual(usageFromBody('openai.chat', chatCompletion), { model: 'gpt-4o-2024-08-06', inputTokens: 2006, outputTokens: 300, cachedInputTokens: 1920, cacheWriteTokens: 0, reasoningTokens: 64 });
  });

  it('OpenAI embeddings: prompt tokens only', () => {
    const body = { object: 'list', data: [{ object: 'embedding', embedding: [0.0023064255, -0.009327292], index: 0 }], model: 'text-embedding-3-small', usage: { prompt_tokens: 8, total_tokens: 8 } };
    assert.deepEqual(usageFromBody('openai.embeddings', body), { model: 'text-embedding-3-small', inputTokens: 8, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('OpenAI responses: input and output tokens with their details', () => {
    assert.deepEqual(usageFromBody('openai.responses', responsesBody), { model: 'o4-mini-2025-04-16', inputTokens: 75, outputTokens: 1186, cachedInputTokens: 32, cacheWriteTokens: 0, reasoningTokens: 1024 });
    // Both counts are required: a Responses usage without output_tokens is not one.
    assert.equal(usageFromBody('openai.responses', { ...responsesBody, usage: { input_tokens: 75 } }), undefined);
    assert.equal(usageFromBody('openai.responses', { ...responsesBody, usage: { output_tokens: 75 } }), undefined);
    // A chat-shaped usage is not read as a Responses one, nor the reverse.
    assert.equal(usageFromBody('openai.responses', chatCompletion), undefined);
    assert.equal(usageFromBody('openai.chat', responsesBody), undefined);
  });

  it('Anthropic: cache reads and writes are added back to input_tokens', () => {
    // 21 + 188,086 + 1,024 = 189,131 input tokens in all.
    assert.deepEqual(usageFromBody('anthropic.messages', anthropicMessage), { model: 'claude-3-5-haiku-20241022', inputTokens: 189_131, outputTokens: 393, cachedInputTokens: 1024, cacheWriteTokens: 188_086, reasoningTokens: 0 });
    const plain = { ...anthropicMessage, usage: { input_tokens: 25, output_tokens: 15 } };
    assert.deepEqual(usageFromBody('anthropic.messages', plain), { model: 'claude-3-5-haiku-20241022', inputTokens: 25, outputTokens: 15, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    assert.equal(usageFromBody('anthropic.messages', { ...anthropicMessage, usage: { output_tokens: 15 } }), undefined);
  });

  it('ignores what is not a count, and bodies without usage', () => {
    assert.equal(usageFromBody('openai.chat', null), undefined);
    assert.equal(usageFromBody('openai.chat', [chatCompletion]), undefined);
    assert.equal(usageFromBody('openai.chat', 'not json'), undefined);
    assert.equal(usageFromBody('openai.chat', { ...chatCompletion, usage: null }), undefined);
    assert.equal(usageFromBody('openai.chat', { ...chatCompletion, usage: [] }), undefined);
    assert.equal(usageFromBody('openai.chat', { ...chatCompletion, usage: { prompt_tokens: -3, completion_tokens: 2 } }), undefined);
    assert.equal(usageFromBody('openai.chat', { ...chatCompletion, usage: { prompt_tokens: '12', completion_tokens: 2 } }), undefined);
    assert.equal(usageFromBody('openai.chat', { ...chatCompletion, usage: { prompt_tokens: Number.POSITIVE_INFINITY } }), undefined);
    // Zero is a count; a negative or non-numeric detail counts as absent.
    assert.deepEqual(usageFromBody('openai.chat', { usage: { prompt_tokens: 0, completion_tokens: -1, prompt_tokens_details: { cached_tokens: 'x' }, completion_tokens_details: null } }), { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    // The model is kept only when it is a string.
    assert.deepEqual(usageFromBody('openai.chat', { model: 42, usage: { prompt_tokens: 5, completion_tokens: 1 } }), { inputTokens: 5, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });
});

describe('SseSplitter', () => {
  it('splits events as bytes arrive, across chunk and multi-byte boundaries, keeping the raw text', () => {
    const splitter = new SseSplitter();
    const text = 'event: message_start\ndata: {"a":"é"}\n\ndata:a b\n\nevent:ping\r\ndata:{"type":"ping"}\r\n\r\ndata: line one\ndata:  two spaces\n\n';
    const bytes = enc.encode(text);
    const events: SseEvent[] = [];
    // One byte at a time: "é" is two bytes in UTF-8, so one push holds half a character.
    for (let i = 0; i < bytes.length; i++) events.push(...splitter.push(bytes.subarray(i, i + 1)));
    assert.deepEqual(events, [
      { event: 'message_start', data: '{"a":"é"}', raw: 'event: message_start\ndata: {"a":"é"}\n\n' },
      { data: 'a b', raw: 'data:a b\n\n' },
      { event: 'ping', data: '{"type":"ping"}', raw: 'event:ping\r\ndata:{"type":"ping"}\r\n\r\n' },
      { data: 'line one\n two spaces', raw: 'data: line one\ndata:  two spaces\n\n' },
    ]);
    assert.deepEqual(splitter.flush(), []);
  });

  it('returns several events from one chunk, and an unterminated last event on flush', () => {
    const splitter = new SseSplitter();
    assert.deepEqual(splitter.push(enc.encode('data: 1\n\ndata: 2\n\ndata: 3')), [
      { data: '1', raw: 'data: 1\n\n' },
      { data: '2', raw: 'data: 2\n\n' },
    ]);
    assert.deepEqual(splitter.flush(), [{ data: '3', raw: 'data: 3' }]);
    assert.deepEqual(splitter.flush(), [], 'the tail is emptied');
    assert.deepEqual(new SseSplitter().flush(), []);
    const blank = new SseSplitter();
    assert.deepEqual(blank.push(enc.encode('\n')), []);
    assert.deepEqual(blank.flush(), [], 'whitespace alone is no event');
  });
});

describe('StreamUsageTracker', () => {
  it('OpenAI chat with include_usage: the usage-only last chunk is recognised', () => {
    const base = { id: 'chatcmpl-123', object: 'chat.completion.chunk', created: 1694268190, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_44709d6fcb' };
    const text = sseText([
      { data: { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }], usage: null } },
      { data: { ...base, choices: [{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }], usage: null } },
      { data: { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usage: null } },
      { data: { ...base, choices: [], usage: { prompt_tokens: 2006, completion_tokens: 300, total_tokens: 2306, prompt_tokens_details: { cached_tokens: 1920 }, completion_tokens_details: { reasoning_tokens: 64 } } } },
      { data: '[DONE]' },
    ]);
    const { tracker, finals } = track('openai.chat', text);
    assert.deepEqual(finals, [false, false, false, true, false]);
    assert.equal(tracker.malformedEvents, 0);
    assert.deepEqual(tracker.result(), { model: 'gpt-4o-mini-2024-07-18', inputTokens: 2006, outputTokens: 300, cachedInputTokens: 1920, cacheWriteTokens: 0, reasoningTokens: 64 });
  });

  it('OpenAI chat: usage on a chunk that still has choices is kept but is not the usage-only chunk', () => {
    const { tracker, finals } = track('openai.chat', sseText([{ data: { model: 'm', choices: [{ index: 0, delta: {} }], usage: { prompt_tokens: 3, completion_tokens: 4 } } }, { data: { model: 'm', usage: { prompt_tokens: 5, completion_tokens: 6 } } }]));
    assert.deepEqual(finals, [false, false], 'choices missing is not choices empty');
    assert.deepEqual(tracker.result(), { model: 'm', inputTokens: 5, outputTokens: 6, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('without usage there is no result, and bad events are counted', () => {
    const { tracker, finals } = track('openai.chat', 'data: {"model":"gpt-4o","choices":[]}\n\ndata: {not json\n\ndata: [1,2]\n\ndata: 7\n\ndata: null\n\n: comment\n\ndata: [DONE]\n\n');
    assert.deepEqual(finals, [false, false, false, false, false, false, false]);
    assert.equal(tracker.malformedEvents, 1);
    assert.equal(tracker.result(), undefined);
  });

  it('OpenAI embeddings streamed like chat; a model that is not a string is not kept', () => {
    const { tracker } = track('openai.embeddings', sseText([{ data: { model: 'text-embedding-3-small', usage: { prompt_tokens: 8, total_tokens: 8 } } }]));
    assert.deepEqual(tracker.result(), { model: 'text-embedding-3-small', inputTokens: 8, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    const odd = track('openai.chat', sseText([{ data: { model: 5, choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } } }]));
    assert.deepEqual(odd.tracker.result(), { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('OpenAI responses: usage from response.completed, model from the response', () => {
    const created = { type: 'response.created', response: { id: 'resp_1', object: 'response', status: 'in_progress', model: 'o4-mini-2025-04-16', output: [], usage: null } };
    const delta = { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hi' };
    const completed = { type: 'response.completed', response: { ...responsesBody, status: 'completed' } };
    const { tracker, finals } = track('openai.responses', sseText([{ event: 'response.created', data: created }, { event: 'response.output_text.delta', data: delta }, { event: 'response.completed', data: completed }, { event: 'response.output_text.done', data: { type: 'response.output_text.done', text: 'Hi' } }]));
    assert.deepEqual(finals, [false, false, false, false]);
    assert.deepEqual(tracker.result(), { model: 'o4-mini-2025-04-16', inputTokens: 75, outputTokens: 1186, cachedInputTokens: 32, cacheWriteTokens: 0, reasoningTokens: 1024 });
    const onlyCreated = track('openai.responses', sseText([{ event: 'response.created', data: created }]));
    assert.equal(onlyCreated.tracker.result(), undefined);
    const noModel = track('openai.responses', sseText([{ data: { type: 'response.completed', response: { ...responsesBody, model: 7 } } }]));
    assert.deepEqual(noModel.tracker.result(), { inputTokens: 75, outputTokens: 1186, cachedInputTokens: 32, cacheWriteTokens: 0, reasoningTokens: 1024 });
  });

  it("Anthropic: message_start's input, message_delta's cumulative output (the documented stream)", () => {
    const text = sseText([
      { event: 'message_start', data: { type: 'message_start', message: { id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', type: 'message', role: 'assistant', content: [], model: 'claude-opus-4-20250514', stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } } } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
      { event: 'ping', data: { type: 'ping' } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
    const { tracker, finals } = track('anthropic.messages', text);
    assert.ok(finals.every((f) => f === false));
    assert.deepEqual(tracker.result(), { model: 'claude-opus-4-20250514', inputTokens: 25, outputTokens: 15, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('Anthropic: cache figures from message_start; a message_delta with input counts replaces them only when it has some', () => {
    const start = { type: 'message_start', message: { model: 'claude-3-5-haiku-20241022', usage: { input_tokens: 21, cache_creation_input_tokens: 100, cache_read_input_tokens: 1024, output_tokens: 1 } } };
    // A delta whose input counts are all zero leaves message_start's figures alone.
    const zero = track('anthropic.messages', sseText([{ data: start }, { data: { type: 'message_delta', usage: { input_tokens: 0, output_tokens: 40 } } }]));
    assert.deepEqual(zero.tracker.result(), { model: 'claude-3-5-haiku-20241022', inputTokens: 1145, outputTokens: 40, cachedInputTokens: 1024, cacheWriteTokens: 100, reasoningTokens: 0 });
    // Newer API versions repeat cumulative input counts on message_delta: they replace the start's.
    const updated = track('anthropic.messages', sseText([{ data: start }, { data: { type: 'message_delta', usage: { input_tokens: 30, cache_creation_input_tokens: 5, cache_read_input_tokens: 2048, output_tokens: 41 } } }]));
    assert.deepEqual(updated.tracker.result(), { model: 'claude-3-5-haiku-20241022', inputTokens: 2083, outputTokens: 41, cachedInputTokens: 2048, cacheWriteTokens: 5, reasoningTokens: 0 });
    // A delta without output_tokens keeps the last output count.
    const noOutput = track('anthropic.messages', sseText([{ data: start }, { data: { type: 'message_delta', usage: {} } }]));
    assert.equal(noOutput.tracker.result()?.outputTokens, 1);
    // A delta before any message_start starts from zero.
    const deltaOnly = track('anthropic.messages', sseText([{ data: { type: 'message_delta', usage: { output_tokens: 9 } } }]));
    assert.deepEqual(deltaOnly.tracker.result(), { inputTokens: 0, outputTokens: 9, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    // Only message_start and message_delta carry usage; a delta without a usage object is ignored.
    const others = track('anthropic.messages', sseText([{ data: { type: 'message_stop', usage: { output_tokens: 5 }, message: start.message } }, { data: { type: 'message_delta', delta: {} } }, { data: { type: 'message_start', message: { model: 3, usage: { output_tokens: 2 } } } }]));
    assert.equal(others.tracker.result(), undefined);
    // A message_start without a message, or a later one without usage, changes nothing; a model that is not a string is not kept.
    const odd = track('anthropic.messages', sseText([{ data: { type: 'message_start' } }, { data: { type: 'message_start', message: { model: 3, usage: { input_tokens: 4, output_tokens: 1 } } } }, { data: { type: 'message_start', message: { model: 'claude-x' } } }]));
    assert.deepEqual(odd.tracker.result(), { model: 'claude-x', inputTokens: 4, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    const numeric = track('anthropic.messages', sseText([{ data: { type: 'message_start', message: { model: 3, usage: { input_tokens: 4, output_tokens: 1 } } } }]));
    assert.equal(numeric.tracker.result()?.model, undefined);
  });
});
