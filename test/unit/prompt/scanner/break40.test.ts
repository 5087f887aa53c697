/**
 * break40: YAML and JSON prompt catalogs are scanned whole on every edit, and each string read again the keys of every
 * map (object) around it and its item's place in its sequence (array): a catalog of n prompts under one map took n²
 * steps (10,000 lines, 1.3 s to 6.7 s per edit). Work is counted in steps (map entries and sequence items looked at), never
 * timed: it must be linear in the entries.
 */
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { jsonWork, yamlWork } from '../../../../src/shared/prompt/scanner/documents';

function stepsOf(work: { steps: number }, run: () => void): number {
  const before = work.steps;
  run();
  return work.steps - before;
}

const N = 2000;
const line = (i: number) => `You are a helpful assistant number ${i}, answer briefly.`;

describe('break40: YAML and JSON catalogs in linear work', () => {
  it('a flat YAML catalog of 2,000 prompts: each a prompt with its key, in one step per map entry', () => {
    const src = 'model: gpt-4o\n' + Array.from({ length: N }, (_, i) => `prompt_${i}: "${line(i)}"\n`).join('');
    let prompts: ReturnType<typeof findPrompts> = [];
    const steps = stepsOf(yamlWork, () => (prompts = findPrompts(src, 'yaml', { fileName: 'prompts.yaml' })));
    assert.equal(prompts.length, N);
    assert.deepEqual([prompts[0].boundName, prompts[0].text, prompts[0].model?.name], ['prompt_0', line(0), 'gpt-4o']);
    assert.deepEqual([prompts[N - 1].boundName, prompts[N - 1].text, prompts[N - 1].model?.name], [`prompt_${N - 1}`, line(N - 1), 'gpt-4o']);
    // One read of the root map's N + 1 entries.
    assert.equal(steps, N + 1);
  });

  it('a YAML message list of 2,000 turns: roles and places in the list, in linear steps', () => {
    const src = 'model: gpt-4o\nmessages:\n' + Array.from({ length: N }, (_, i) => `  - role: ${i % 2 ? 'assistant' : 'user'}\n    content: "${line(i)}"\n`).join('');
    let prompts: ReturnType<typeof findPrompts> = [];
    const steps = stepsOf(yamlWork, () => (prompts = findPrompts(src, 'yaml', { fileName: 'chat.yaml' })));
    assert.equal(prompts.length, N);
    // Read from the roles and the places in the list: the earlier turns are few-shot examples, the last two the live turns.
    assert.deepEqual(prompts.map((p) => p.kind).filter((k) => k === 'fewShot').length, N - 2);
    assert.deepEqual(prompts.slice(N - 2).map((p) => [p.kind, p.text, p.model?.name]), [['user', line(N - 2), 'gpt-4o'], ['assistant', line(N - 1), 'gpt-4o']]);
    // Each turn's map (2 entries) and the root (2) read once; the list numbered once (N); each string of 8 characters or
    // more looks up its place once: the N contents and the N / 2 "assistant" roles.
    assert.equal(steps, 2 * N + 2 + N + N + N / 2);
  });

  it('a flat JSON catalog of 2,000 prompts, and a JSON message list of 2,000 turns, in linear steps', () => {
    const flat = '{\n  "model": "gpt-4o",\n' + Array.from({ length: N }, (_, i) => `  "prompt_${i}": "${line(i)}"`).join(',\n') + '\n}\n';
    let prompts: ReturnType<typeof findPrompts> = [];
    let steps = stepsOf(jsonWork, () => (prompts = findPrompts(flat, 'json', { fileName: 'prompts.json' })));
    assert.equal(prompts.length, N);
    assert.deepEqual([prompts[N - 1].boundName, prompts[N - 1].text, prompts[N - 1].model?.name], [`prompt_${N - 1}`, line(N - 1), 'gpt-4o']);
    assert.equal(steps, N + 1);
    const chat = '{"model": "gpt-4o", "messages": [\n' + Array.from({ length: N }, (_, i) => `  {"role": "${i % 2 ? 'assistant' : 'user'}", "content": "${line(i)}"}`).join(',\n') + '\n]}\n';
    steps = stepsOf(jsonWork, () => (prompts = findPrompts(chat, 'json', { fileName: 'chat.json' })));
    assert.equal(prompts.length, N);
    assert.deepEqual(prompts.map((p) => p.kind).filter((k) => k === 'fewShot').length, N - 2);
    assert.deepEqual(prompts.slice(N - 2).map((p) => [p.kind, p.text, p.model?.name]), [['user', line(N - 2), 'gpt-4o'], ['assistant', line(N - 1), 'gpt-4o']]);
    // As in YAML.
    assert.equal(steps, 2 * N + 2 + N + N + N / 2);
  });
});
