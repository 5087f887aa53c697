// Token counts of texts with a very long pre-token (a `____` separator line, a long blank stretch, a
// run of one letter or emoji): TokenizerService merges such pieces with a heap (longPieceBpe.ts)
// instead of gpt-tokenizer's quadratic merge. The oracle is js-tiktoken (the reference backend),
// at lengths where its own quadratic merge is still affordable.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { countPieceTokens, LONG_PIECE, LONG_RUN, mayHaveLongPiece, RankTable, type RawRanks } from '../../../src/shared/prompt/longPieceBpe';
import { TokenizerService, type EncodingName } from '../../../src/shared/prompt/tokenizer';

/* eslint-disable @typescript-eslint/no-require-imports -- the same tables and patterns the service loads */
const RANKS: Record<EncodingName, () => RawRanks> = {
  o200k_base: () => (require('gpt-tokenizer/bpeRanks/o200k_base') as { default: RawRanks }).default,
  cl100k_base: () => (require('gpt-tokenizer/bpeRanks/cl100k_base') as { default: RawRanks }).default,
};
const SPLIT = require('gpt-tokenizer/encodingParams/constants') as Record<string, RegExp>;
/* eslint-enable @typescript-eslint/no-require-imports */
const splitOf = (encoding: EncodingName) => new RegExp(SPLIT[encoding === 'o200k_base' ? 'O200K_TOKEN_SPLIT_REGEX' : 'CL100K_TOKEN_SPLIT_REGEX'].source, 'gu');

const ENCODINGS: EncodingName[] = ['o200k_base', 'cl100k_base'];
const fast = new TokenizerService('gpt-tokenizer');
const reference = new TokenizerService('js-tiktoken');
const tables = new Map<EncodingName, RankTable>();
const tableOf = (encoding: EncodingName): RankTable => {
  let table = tables.get(encoding);
  if (!table) tables.set(encoding, (table = new RankTable(RANKS[encoding]())));
  return table;
};
const show = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 30)}…${text.slice(-30)} (${text.length})` : text);

// Runs the pre-tokenizers keep as one piece: punctuation, letters, spaces, line separators, emoji, CJK.
const RUNS = ['_', '-', '=', '*', 'a', 'A', '.', ' ', '\u2028', '🎉', '日本語', 'é', '\n', '/\n', '\ufeff'];

describe('TokenizerService on long pre-tokens', () => {
  // js-tiktoken's merge is quadratic: the oracle tests get more than the suite's default timeout.

  for (const encoding of ENCODINGS) {
    it(`equals js-tiktoken on long runs (${encoding})`, function () {
      this.timeout(120_000);
      for (const run of RUNS) {
        const body = run.repeat(Math.ceil((LONG_PIECE + 1) / run.length));
        const longer = run.repeat(Math.ceil(1300 / run.length));
        for (const text of [body, `Title:\n${body}\nend`, `x ${body} y`, ` ${body}`, `a${body}b 12345`, `Title:\n${longer}\nend`]) {
          assert.equal(fast.countWithEncoding(text, encoding), reference.countWithEncoding(text, encoding), `${encoding} ${show(text)}`);
        }
      }
    });
  }

  it('equals js-tiktoken on 3,000-character runs and runs of digits, contractions and mixed blanks', function () {
    this.timeout(120_000);
    const texts = [
      '_'.repeat(3000),
      `rule: ${'='.repeat(2999)}\n\n`,
      `${'a'.repeat(2998)}'s`,
      `${'A'.repeat(1500)}${'b'.repeat(1500)}'LL x`,
      '0'.repeat(3000),
      ` \t${' '.repeat(1200)}\n${'\t'.repeat(800)}word`,
      `-${'\n/'.repeat(700)}x`,
      `${'-'.repeat(700)}${'\r\n'.repeat(400)}end`,
    ];
    for (const encoding of ENCODINGS) {
      for (const text of texts) {
        assert.equal(fast.countWithEncoding(text, encoding), reference.countWithEncoding(text, encoding), `${encoding} ${show(text)}`);
      }
    }
  });

  it('equals js-tiktoken on random texts mixing long runs with words and blanks', function () {
    this.timeout(120_000);
    const part = fc.oneof(
      fc.constantFrom('Hello', ' world', 'você', ' 日本', "don't", '12345', ' ', '  ', '\t', '\n', '\r\n', '\u2028', '\ufeff', ',', ' (x)', '🎉'),
      fc.record({ run: fc.constantFrom(...RUNS, ' -', 'ab', '\t '), length: fc.integer({ min: LONG_PIECE - 20, max: 700 }) }).map(({ run, length }) => run.repeat(Math.ceil(length / run.length))),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 8 }), fc.constantFrom(...ENCODINGS), (parts, encoding) => {
        const text = parts.join('');
        assert.equal(fast.countWithEncoding(text, encoding), reference.countWithEncoding(text, encoding), `${encoding} ${show(text)}`);
      }),
      { numRuns: 40, seed: 27 },
    );
  });

  it('merges any piece as js-tiktoken does (the heap merge on short pieces, where ties and byte splits are many)', () => {
    const piece = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', '_', '-', ' ', '\n', 'é', '日', '🎉', '\ufeff', "'", 's', '0'), maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    fc.assert(
      fc.property(piece, fc.constantFrom(...ENCODINGS), (text, encoding) => {
        let sum = 0;
        for (const [p] of text.matchAll(splitOf(encoding))) sum += countPieceTokens(tableOf(encoding), p);
        assert.equal(sum, reference.countWithEncoding(text, encoding), `${encoding} ${show(text)}`);
      }),
      { numRuns: 400, seed: 27 },
    );
  });

  it('cuts the text before a long piece only where its pieces stay the same (blanks before the run)', () => {
    // Cut at the run, "a\t\t" alone would pre-tokenize as "a" + "\t\t"; in the text it is "a" + "\t" + "\t" (one token more).
    for (const encoding of ENCODINGS) {
      for (const before of ['a\t\t', 'a \t\t', 'a\n\t\t', 'x:\n\t ', 'a  ', ':\n:\n:\n\t\t']) {
        const text = `${before}${'-'.repeat(600)}`;
        assert.equal(fast.countWithEncoding(text, encoding), reference.countWithEncoding(text, encoding), `${encoding} ${show(text)}`);
      }
    }
  });

  it('counts a long line again from its cache when the text around it changes', () => {
    const line = '='.repeat(700);
    for (const encoding of ENCODINGS) {
      for (const text of [`v1 ${line}\nA`, `version two:\n${line}\nB b`, `${line}`, ` ${line}`, `v1 ${line}\nA`]) {
        assert.equal(fast.countWithEncoding(text, encoding), reference.countWithEncoding(text, encoding), `${encoding} ${show(text)}`);
      }
    }
  });

  it('counts text with U+FEFF (a byte-order mark) as js-tiktoken does', () => {
    // gpt-tokenizer 4.0.0 alone: 3 tokens for "\ufeffusing" (its byte decoder drops the BOM, so the token is not found).
    assert.equal(fast.countWithEncoding('\ufeffusing', 'o200k_base'), 1);
    assert.equal(fast.countWithEncoding('\ufeff\ufeff', 'o200k_base'), 1);
    // A C# file as saved by Visual Studio (BOM first), and a zero-width no-break space inside prose.
    const texts = ['\ufeffusing System;\nnamespace Demo\n{\n}\n', '\ufeff// header\n#include <x>', 'word\ufeffword \ufeff\ufeff\ufeff end', '\ufeff\n\n'];
    for (const encoding of ENCODINGS) {
      for (const text of texts) {
        assert.equal(fast.countWithEncoding(text, encoding), reference.countWithEncoding(text, encoding), `${encoding} ${show(text)}`);
      }
    }
  });

  // The suite's default timeout applies (before longPieceBpe, gpt-tokenizer took 25 s per encoding here).
  it('returns for a 200,000-character run, with the count of its pieces', () => {
    // js-tiktoken would take hours here: the words around the run are counted by js-tiktoken, the run by the heap merge.
    const run = '_'.repeat(200_000);
    for (const encoding of ENCODINGS) {
      const text = `Intro words.\n${run}\nclosing words`;
      const pieces = [...text.matchAll(splitOf(encoding))].map((m) => m[0]);
      const long = pieces.filter((p) => p.length >= LONG_PIECE);
      assert.deepEqual(long.map((p) => p.length), [200_001]); // `____…\n`, one piece
      const expected = pieces.reduce((n, p) => n + (p.length >= LONG_PIECE ? countPieceTokens(tableOf(encoding), p) : reference.countWithEncoding(p, encoding)), 0);
      assert.equal(fast.countWithEncoding(text, encoding), expected, encoding);
      // The same shape with a run js-tiktoken affords: the heap merge against the oracle.
      const small = `Intro words.\n${'_'.repeat(2000)}\nclosing words`;
      assert.equal(fast.countWithEncoding(small, encoding), reference.countWithEncoding(small, encoding), encoding);
    }
  });

  it('finds long pieces with a linear scan, and only where a piece can be long', () => {
    const solid = 'x'.repeat(LONG_PIECE);
    assert.equal(mayHaveLongPiece(solid), true);
    assert.equal(mayHaveLongPiece(' '.repeat(LONG_PIECE)), true);
    assert.equal(mayHaveLongPiece(`-${'\n/'.repeat(LONG_PIECE / 2)}`), true);
    assert.equal(mayHaveLongPiece('word '.repeat(2000)), false);
    assert.equal(mayHaveLongPiece('x'.repeat(LONG_PIECE - 1)), false);
    // The probing scan answers as a plain search for such a run would.
    const runPattern = new RegExp(`\\S{${LONG_RUN}}|\\s{${LONG_RUN}}|[\\r\\n/]{${LONG_RUN}}`);
    const segment = fc.record({ unit: fc.constantFrom('x', ' ', '\n', '/', '\t', '\u2028', '\ufeff', 'é', '\r\n', '/\n', 'a b'), length: fc.integer({ min: 1, max: LONG_RUN + 3 }) });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 12 }), (segments) => {
        const text = segments.map(({ unit, length }) => unit.repeat(length).slice(0, length)).join('');
        assert.equal(mayHaveLongPiece(text), text.length >= LONG_PIECE && runPattern.test(text), show(text));
      }),
      { numRuns: 300, seed: 27 },
    );
    // Every piece of LONG_PIECE units or more is found, whatever its kind.
    fc.assert(
      fc.property(fc.constantFrom(...RUNS, ' -', 'ab', '\t ', '-\n/'), fc.constantFrom(...ENCODINGS), (run, encoding) => {
        const text = `w ${run.repeat(Math.ceil(LONG_PIECE / run.length) + 1)} w`;
        const hasLong = [...text.matchAll(splitOf(encoding))].some((m) => m[0].length >= LONG_PIECE);
        if (hasLong) assert.equal(mayHaveLongPiece(text), true, show(text));
      }),
      { numRuns: 60, seed: 27 },
    );
  });
});
