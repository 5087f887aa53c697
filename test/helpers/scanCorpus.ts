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
