/**
 * BERT's tokenizer for text-encoder models of the corpus: the "basic" tokenizer (clean the
 * text, split on whitespace and punctuation, put spaces around CJK characters, lower-case and
 * strip accents for uncased models) followed by WordPiece (greedy longest-match-first against
 * the vocabulary, continuation pieces prefixed with "##", [UNK] for a word that cannot be
 * covered or is longer than 100 characters). Written from the algorithm's description in the
 * BERT paper and its reference behaviour (google-research/bert tokenization_test.py is the
 * oracle in test/unit/model/corpus.test.ts); no code copied.
 */
import { readFileSync } from 'node:fs';

export interface WordPieceOptions {
  /** Lower-case and strip accents (uncased models). Default true. */
  lowercase?: boolean;
  unknownToken?: string;
  /** Longer words become the unknown token. Default 100 (BERT's max_input_chars_per_word). */
  maxCharsPerWord?: number;
}

export interface Encoded {
  /** Token ids, [CLS] … [SEP], padded with [PAD] to maxLength. */
  inputIds: number[];
  /** 1 for real tokens, 0 for padding. */
  attentionMask: number[];
  /** All 0 (one segment). */
  tokenTypeIds: number[];
  /** Real tokens, [CLS] and [SEP] included. */
  length: number;
}

/** A vocab.txt: one token per line, the id is the line number (0-based). */
export function readVocab(path: string): Map<string, number> {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return new Map(lines.map((token, id) => [token, id]));
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || /^\p{Zs}$/u.test(ch);
}

function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return /^[\p{Cc}\p{Cf}]$/u.test(ch);
}

function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  // Every non-letter/number ASCII character counts (BERT treats "^", "$", "`" as punctuation).
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /^\p{P}$/u.test(ch);
}

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** BERT's basic tokenizer: the words and punctuation marks of `text`. */
export function basicTokenize(text: string, lowercase = true): string[] {
  let cleaned = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
    if (isWhitespace(ch)) cleaned += ' ';
    else if (isCjk(cp)) cleaned += ` ${ch} `;
    else cleaned += ch;
  }
  const out: string[] = [];
  for (let word of cleaned.split(' ')) {
    if (word === '') continue;
    if (lowercase) word = word.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
    let current = '';
    for (const ch of word) {
      if (isPunctuation(ch)) {
        if (current) out.push(current);
        out.push(ch);
        current = '';
      } else current += ch;
    }
    if (current) out.push(current);
  }
  return out;
}

/** WordPiece over whitespace-separated words: greedy longest match first. */
export function wordPieceTokenize(text: string, vocab: ReadonlyMap<string, number>, options: WordPieceOptions = {}): string[] {
  const unknown = options.unknownToken ?? '[UNK]';
  const maxChars = options.maxCharsPerWord ?? 100;
  const out: string[] = [];
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    const chars = Array.from(word);
    if (chars.length > maxChars) {
      out.push(unknown);
      continue;
    }
    const pieces: string[] = [];
    let start = 0;
    let covered = true;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | undefined;
      while (start < end) {
        const piece = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        if (vocab.has(piece)) {
          found = piece;
          break;
        }
        end -= 1;
      }
      if (found === undefined) {
        covered = false;
        break;
      }
      pieces.push(found);
      start = end;
    }
    if (covered) out.push(...pieces);
    else out.push(unknown);
  }
  return out;
}

/** Basic tokenizer then WordPiece: the tokens of `text` (no [CLS]/[SEP]). */
export function tokenize(text: string, vocab: ReadonlyMap<string, number>, options: WordPieceOptions = {}): string[] {
  return basicTokenize(text, options.lowercase ?? true).flatMap((word) => wordPieceTokenize(word, vocab, options));
}

function idOf(vocab: ReadonlyMap<string, number>, token: string): number {
  const id = vocab.get(token);
  if (id === undefined) throw new Error(`the vocabulary has no ${token}`);
  return id;
}

/** [CLS] tokens [SEP], truncated to maxLength, padded with [PAD] to maxLength. */
export function encode(text: string, vocab: ReadonlyMap<string, number>, maxLength: number, options: WordPieceOptions = {}): Encoded {
  if (maxLength < 2) throw new Error('maxLength must leave room for [CLS] and [SEP]');
  const unknownId = idOf(vocab, options.unknownToken ?? '[UNK]');
  const body = tokenize(text, vocab, options)
    .slice(0, maxLength - 2)
    .map((t) => vocab.get(t) ?? unknownId);
  const ids = [idOf(vocab, '[CLS]'), ...body, idOf(vocab, '[SEP]')];
  const pad = idOf(vocab, '[PAD]');
  const length = ids.length;
  while (ids.length < maxLength) ids.push(pad);
  return { inputIds: ids, attentionMask: ids.map((_, i) => (i < length ? 1 : 0)), tokenTypeIds: ids.map(() => 0), length };
}
