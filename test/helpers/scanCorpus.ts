// The prompt the scanner finds at a line of a scan-corpus file (test/fixtures/scan), for tests that run real prompts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompts } from '../../src/shared/prompt/scanner';
import { repoRoot } from './paths';

const scanRoot = resolve(repoRoot, 'test/fixtures/scan');

/** The text of the prompt that starts at `line` (1-based) of `file` (relative to test/fixtures/scan). */
export function scannedPrompt(file: string, line: number): string {
  const path = resolve(scanRoot, file);
  const found = findPrompts(readFileSync(path, 'utf8'), undefined, { fileName: path }).find((p) => p.range.start.line + 1 === line);
  assert.ok(found, `${file}:${line} holds a prompt`);
  return found.text;
}

/** A prompt found: [first line, last line, kind] (1-based), with the lines of its pieces when it is composed. */
export type Found = [number, number, string] | [number, number, string, Array<[number, number]>];

/** The prompts `findPrompts` finds in `src`, as `Found` rows (the held-out rounds' tests compare them with annotations). */
export function foundIn(src: string, fileName: string): Found[] {
  return findPrompts(src, undefined, { fileName }).map((p): Found => {
    const own: [number, number, string] = [p.range.start.line + 1, p.range.end.line + 1, p.kind];
    return p.pieces ? [...own, p.pieces.map((x): [number, number] => [x.range.start.line + 1, x.range.end.line + 1])] : own;
  });
}

/** The text of a scan-corpus file (relative to test/fixtures/scan). */
export function readScanFixture(file: string): string {
  return readFileSync(resolve(scanRoot, file), 'utf8');
}

/** `foundIn` on a scan-corpus file, named as the corpus names it. */
export function foundInScanFixture(file: string): Found[] {
  return foundIn(readScanFixture(file), file);
}
