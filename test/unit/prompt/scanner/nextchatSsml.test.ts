import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// NextChat's Edge text-to-speech client (test/fixtures/nextchat/SOURCES.md), opened by a new user (newuser30).
const FIXTURE = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'nextchat', 'ms_edge_tts.ts.txt');

describe('findPrompts: an SSML document is not a prompt (NextChat ms_edge_tts.ts)', () => {
  it('finds no prompt in the text-to-speech client: _SSMLTemplate returns <speak xmlns=…> markup for Edge TTS', () => {
    // Before: a "template" lens of ≥77 tokens on _SSMLTemplate's `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" …>`.
    const src = readFileSync(FIXTURE, 'utf8');
    assert.deepEqual(findPrompts(src, undefined, { fileName: 'ms_edge_tts.ts' }).map((p) => p.range.start.line + 1), []);
  });

  it('still finds a prompt that asks for SSML (markup in the prose, no xmlns document)', () => {
    const src = 'const SSML_PROMPT = `You are a voice designer. Rewrite the text below as SSML: wrap it in <speak> and mark pauses with <break time="500ms"/>.\n\n${text}`;';
    assert.deepEqual(findPrompts(src, undefined, { fileName: 'voice.ts' }).map((p) => p.range.start.line + 1), [1]);
  });
});
