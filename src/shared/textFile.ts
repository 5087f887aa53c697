/**
 * The text files users give every entry point (prompts, setups, datasets, corpora, pipeline
 * configs, model calibration text): read as bytes, and refused by name when they are not
 * text, before any work. A binary file read as UTF-8 becomes thousands of garbage "lines" or
 * "paragraphs" that are then parsed, indexed or tokenized for minutes; a clear refusal costs
 * one pass over the bytes.
 */
import { readFileSync } from 'node:fs';
import { EngineError } from '../protocol/errors';
import { refuseSpecialFile } from './files';

/**
 * Share of a file's characters that may be invalid UTF-8 or control characters before the
 * file counts as binary. Measured (test/unit/hardening/textInputs.test.ts): random bytes
 * without NUL score about 0.5, real UTF-8 text 0, and real Portuguese text saved as Latin-1
 * (wrong encoding, still text) about 0.03; 0.1 keeps a clear margin on both sides.
 */
export const BINARY_SUSPECT_RATIO = 0.1;

export interface TextVerdict {
  /** Why the bytes are not UTF-8 text; undefined when they are. */
  binary?: string;
  /** Invalid UTF-8 sequences plus control characters other than tab, newline, CR, FF, VT and ESC. */
  suspect: number;
  /** Characters (valid sequences plus invalid bytes). */
  characters: number;
}

/** Judges bytes: UTF-16 byte-order marks and NUL bytes are binary at once; otherwise the share of suspect characters decides. */
export function judgeText(bytes: Uint8Array): TextVerdict {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { binary: 'it is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8', suspect: 0, characters: 0 };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { binary: `it contains NUL bytes (the first at byte ${nul})`, suspect: 0, characters: 0 };
  let suspect = 0;
  let characters = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    characters++;
    if (b < 0x80) {
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) suspect++;
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) ok = i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
    if (ok) {
      i += need + 1;
    } else {
      suspect++;
      i++;
    }
  }
  const ratio = characters === 0 ? 0 : suspect / characters;
  if (ratio > BINARY_SUSPECT_RATIO) return { binary: `${(ratio * 100).toFixed(0)} % of it is not UTF-8 text (invalid byte sequences or control characters)`, suspect, characters };
  return { suspect, characters };
}

/** Throws a badRequest naming the file, what it was given as, and what was expected, when `bytes` are not text. */
export function assertText(bytes: Uint8Array, path: string, what: string, expected: string): void {
  const verdict = judgeText(bytes);
  if (verdict.binary) {
    if (/UTF-16/.test(verdict.binary)) throw new EngineError('badRequest', `The ${what} ${path} is not UTF-8: ${verdict.binary}. Expected ${expected}.`, `Save the ${what} as UTF-8 and pass it again.`);
    throw new EngineError('badRequest', `The ${what} ${path} looks like a binary file: ${verdict.binary}. Expected ${expected}.`, `Pass a UTF-8 text file as the ${what}.`);
  }
}

/** Decodes bytes already judged to be text. */
export function decodeText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * Reads a user's text file: read errors go to `onReadError` (each caller words its own, e.g.
 * "Cannot read the corpus …"), binary content is refused with {@link assertText}.
 */
export function readTextFile(path: string, what: string, expected: string, onReadError: (error: NodeJS.ErrnoException) => never): string {
  // A FIFO or a device is refused before it is opened: read whole, /dev/zero never ends and a FIFO can block forever.
  refuseSpecialFile(path, what);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    onReadError(error as NodeJS.ErrnoException);
  }
  assertText(bytes, path, what, expected);
  return bytes.toString('utf8');
}
