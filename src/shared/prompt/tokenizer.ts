/**
 * Token counting behind one interface. Counts equal js-tiktoken's (the reference, kept in
 * the tests and the benchmark); the default backend is gpt-tokenizer, which produces the
 * same tokens several times faster and loads an encoding faster. Encodings load lazily,
 * on first use, so a user who only counts gpt-4o tokens never loads cl100k_base.
 */
import type { TokenCount } from '../../protocol/prompt';
import { countPieceTokens, countWithLongPieces, needsOwnMerge, RankTable, type RawRanks } from './longPieceBpe';

export type EncodingName = 'o200k_base' | 'cl100k_base';
export type TokenizerBackendName = 'gpt-tokenizer' | 'js-tiktoken';

export interface EncodingChoice {
  encoding: EncodingName;
  /** False when the model's own tokenizer is not available locally and the count is a stand-in. */
  exact: boolean;
  family: string;
}

/** Model families whose tokenizers are not published for local use; counts for them are estimates. */
const ESTIMATED_FAMILIES: ReadonlyArray<[RegExp, string]> = [
  [/claude|anthropic/, 'Anthropic Claude'],
  [/gemini|gemma|palm|bison/, 'Google Gemini'],
  [/llama|meta-/, 'Meta Llama'],
  [/mistral|mixtral|codestral|ministral|magistral|pixtral/, 'Mistral'],
  [/command|cohere/, 'Cohere'],
  [/deepseek/, 'DeepSeek'],
  [/qwen|qwq/, 'Qwen'],
  [/grok|xai/, 'xAI Grok'],
  [/phi-/, 'Microsoft Phi'],
];

/**
 * Picks the encoding for a model name. OpenAI's o200k_base covers gpt-4o, gpt-4.1, gpt-4.5,
 * gpt-5, the o-series and gpt-oss; cl100k_base covers gpt-4, gpt-3.5 and the
 * text-embedding-3 / ada-002 embeddings. Everything else is estimated with o200k_base.
 */
export function encodingForModel(model: string): EncodingChoice {
  const name = model.trim().toLowerCase().replace(/^(openai|azure|openrouter)[/:]/, '');
  if (/^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o[134](-|$)|codex-mini|omni-moderation|gpt-realtime|gpt-audio)/.test(name)) {
    return { encoding: 'o200k_base', exact: true, family: 'OpenAI' };
  }
  if (/^(gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)/.test(name)) {
    return { encoding: 'cl100k_base', exact: true, family: 'OpenAI' };
  }
  for (const [pattern, family] of ESTIMATED_FAMILIES) {
    if (pattern.test(name)) return { encoding: 'o200k_base', exact: false, family };
  }
  return { encoding: 'o200k_base', exact: false, family: 'unknown' };
}

interface Backend {
  count(text: string): number;
}

type GptTokenizerModule = { countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number };
type JsTiktokenCtor = new (ranks: unknown) => { encode(text: string, allowed?: string[] | 'all', disallowed?: string[] | 'all'): number[] };

/* eslint-disable @typescript-eslint/no-require-imports -- encodings are loaded lazily, on first use, from node_modules. */
function loadGptTokenizer(encoding: EncodingName): Backend {
  // Special-token strings in a prompt are counted as ordinary text, as the API does for user content.
  const noSpecial = { disallowedSpecial: new Set<string>() };
  const mod: GptTokenizerModule =
    encoding === 'o200k_base'
      ? (require('gpt-tokenizer/encoding/o200k_base') as GptTokenizerModule)
      : (require('gpt-tokenizer/encoding/cl100k_base') as GptTokenizerModule);
  const countShort = (text: string): number => mod.countTokens(text, noSpecial);
  // gpt-tokenizer merges one pre-token in quadratic time (a 20,000-character `____` line: 0.25 s;
  // 200,000: 25 s), and over-counts text with U+FEFF. Texts with such pieces go through longPieceBpe,
  // with gpt-tokenizer's own pre-tokenizer pattern and rank table (already loaded by the module above).
  let split: RegExp | undefined;
  let table: RankTable | undefined;
  // Counts of the last pieces merged: an edit elsewhere in a prompt leaves its long line unchanged
  // (gpt-tokenizer keeps such a cache for the pieces it merges).
  const recent = new Map<string, number>();
  const countLong = (piece: string): number => {
    let count = recent.get(piece);
    if (count === undefined) {
      table ??= new RankTable(
        (encoding === 'o200k_base'
          ? (require('gpt-tokenizer/bpeRanks/o200k_base') as { default: RawRanks })
          : (require('gpt-tokenizer/bpeRanks/cl100k_base') as { default: RawRanks })
        ).default,
      );
      count = countPieceTokens(table, piece);
      if (recent.size >= 64) recent.delete(recent.keys().next().value as string);
      recent.set(piece, count);
    }
    return count;
  };
  const longPieces = (text: string): number => {
    split ??= new RegExp(
      (require('gpt-tokenizer/encodingParams/constants') as Record<string, RegExp>)[encoding === 'o200k_base' ? 'O200K_TOKEN_SPLIT_REGEX' : 'CL100K_TOKEN_SPLIT_REGEX'].source,
      'gu',
    );
    return countWithLongPieces(text, split, countLong, countShort);
  };
  return { count: (text) => (needsOwnMerge(text) ? longPieces(text) : countShort(text)) };
}

function loadJsTiktoken(encoding: EncodingName): Backend {
  const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: JsTiktokenCtor };
  const mod = (encoding === 'o200k_base' ? require('js-tiktoken/ranks/o200k_base') : require('js-tiktoken/ranks/cl100k_base')) as { default?: unknown };
  const ranks: unknown = mod.default ?? mod;
  const enc = new Tiktoken(ranks);
  return { count: (text) => enc.encode(text, [], []).length };
}

/* eslint-enable @typescript-eslint/no-require-imports */

export class TokenizerService {
  private readonly backends = new Map<EncodingName, Backend>();

  constructor(readonly backendName: TokenizerBackendName = 'gpt-tokenizer') {}

  /** Encodings loaded so far. */
  get loadedEncodings(): EncodingName[] {
    return [...this.backends.keys()];
  }

  countWithEncoding(text: string, encoding: EncodingName): number {
    if (text.length === 0) return 0;
    return this.backend(encoding).count(text);
  }

  count(text: string, model: string): TokenCount {
    const choice = encodingForModel(model);
    const count = this.countWithEncoding(text, choice.encoding);
    const result: TokenCount = { count, model, encoding: choice.encoding, method: choice.exact ? 'exact' : 'estimate' };
    if (!choice.exact) {
      result.note =
        choice.family === 'unknown'
          ? `No local tokenizer is known for "${model}"; estimated with OpenAI's ${choice.encoding}.`
          : `${choice.family} does not publish its tokenizer for local use; estimated with OpenAI's ${choice.encoding}.`;
    }
    return result;
  }

  private backend(encoding: EncodingName): Backend {
    let backend = this.backends.get(encoding);
    if (!backend) {
      backend = this.backendName === 'gpt-tokenizer' ? loadGptTokenizer(encoding) : loadJsTiktoken(encoding);
      this.backends.set(encoding, backend);
    }
    return backend;
  }
}

let shared: TokenizerService | undefined;
/** The process-wide tokenizer (encodings are large: load each once). */
export function sharedTokenizer(): TokenizerService {
  shared ??= new TokenizerService();
  return shared;
}
