import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// NextChat's English masks (test/fixtures/nextchat/SOURCES.md): each mask's turns are sent to the model of its own
// `modelConfig` (app/store/chat.ts newSession: `{ ...globalModelConfig, ...mask.modelConfig }`), newuser30.
const FIXTURE = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'nextchat', 'en-masks.ts.txt');

describe('findPrompts: the model of a record\'s modelConfig (NextChat masks)', () => {
  it('prices each mask\'s turns with its modelConfig.model, not the default', () => {
    const src = readFileSync(FIXTURE, 'utf8');
    const found = findPrompts(src, undefined, { fileName: 'en.ts' }).map((p) => `${p.range.start.line + 1} ${p.model?.name ?? '-'}`);
    // Before: no model for any of them (the file names two, so neither is "the only model"): the lens said "(gpt-5.4, default)".
    assert.deepEqual(found, ['12 gpt-4', '38 gpt-4', '44 gpt-4', '51 gpt-4', '58 gpt-4', '84 gpt-3.5-turbo', '110 gpt-4', '116 gpt-4']);
    // Named after the settings it came from, so that the hover says "resolved … from modelConfig.model", not "in this call".
    assert.deepEqual([...new Set(findPrompts(src, undefined, { fileName: 'en.ts' }).map((p) => p.model?.via))], ['modelConfig.model']);
  });

  it('a generic `config` or `options` sibling does not count, nor a model two objects away', () => {
    const src = [
      'export const A = { context: [{ role: "system", content: "You are a helpful assistant that answers questions about cooking." }], options: { model: "gpt-4o" } };',
      'export const B = { context: [{ role: "system", content: "You are a helpful assistant that answers questions about gardening." }], modelConfig: { inner: { model: "gpt-4o" } } };',
      'export const C = { context: [{ role: "system", content: "You are a helpful assistant that answers questions about history." }], modelConfig: { model: "gpt-4o-mini" } };',
      'export const D = "claude-sonnet-4-5";',
    ].join('\n');
    assert.deepEqual(findPrompts(src, undefined, { fileName: 'm.ts' }).map((p) => `${p.range.start.line + 1} ${p.model?.name ?? '-'}`), ['1 -', '2 -', '3 gpt-4o-mini']);
  });
});
