/**
 * Formatting shared by the CLI, the extension and the webviews, so that one amount of money
 * reads the same everywhere.
 */

/** Dollars with enough significant digits to tell small per-call costs apart: $0, $0.00042, $0.13, $0.50, $4.20, $1,234.50. */
export function usd(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value < 0) return `-${usd(-value)}`;
  if (value === 0) return '$0';
  // toPrecision switches to exponent notation below 1e-6; no per-call price is that small.
  if (value < 0.000001) return '<$0.000001';
  if (value >= 1) return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  // Two significant digits, but never fewer than two decimals: $0.50 beside $1.50, not $0.5.
  const digits = value.toPrecision(2).replace(/(\.\d*?)0+$/, '$1');
  const decimals = digits.split('.')[1]?.length ?? 0;
  return `$${decimals >= 2 ? digits : value.toFixed(2)}`;
}

/**
 * Sentences joined for one message: "Compressed …, 7 tokens saved. Kept the text as one piece…".
 * A part without closing punctuation gets a period; joining with "; " wrote "saved.; Kept".
 */
export function joinSentences(parts: readonly string[]): string {
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => (/[.!?:]["')\]]*$/.test(p) ? p : `${p}.`))
    .join(' ');
}

/**
 * A token reduction as users write it: a fraction ("0.2") or a percentage ("20%"), strictly
 * between 0 and 1; undefined for anything else. The CLI's `--target-ratio` and the editor's
 * "Compress Prompt to a Target Reduction…" both read it this way.
 */
export function parseReductionRatio(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(raw);
  const n = m ? Number(m[1]) / (m[2] === '%' ? 100 : 1) : NaN;
  return n > 0 && n < 1 ? n : undefined;
}

/**
 * A prompt's runtime values as a short list: each on one line and cut at 60 characters, the first `max`, then "…".
 * One value can be a whole paragraph (Perplexica's writer prompt: `${mode === 'quality' ? "- YOU ARE CURRENTLY SET IN
 * QUALITY MODE, …" : ''}`), which the scan line and the rewrite's message quoted whole; the hover already cut it.
 */
export function runtimeValueList(values: readonly string[], max = 4): string {
  const shown = values.slice(0, max).map((v) => shortRuntimeValue(v));
  return `${shown.join(', ')}${values.length > max ? ', …' : ''}`;
}

/** Where the string literal opening at `i` closes (its closing quote), or -1; a template literal's `${…}` is skipped whole. */
function stringClose(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return j;
    else if (quote === '`' && text.startsWith('${', j)) {
      const end = bracketClose(text, j + 1);
      if (end < 0) return -1;
      j = end;
    }
  }
  return -1;
}

/** The first words of `text` within `max` characters (the first `max` characters when its first word is longer). */
function headWords(text: string, max: number): string {
  const head = text.slice(0, max + 1);
  const space = head.lastIndexOf(' ');
  return space > 0 ? head.slice(0, space).trimEnd() : text.slice(0, max);
}

/** Where the bracket opening at `i` closes, strings skipped, or -1. */
function bracketClose(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"' || c === "'" || c === '`') {
      const end = stringClose(text, j);
      if (end < 0) return -1;
      j = end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

/**
 * A runtime value on one line of at most `max` characters. A longer one keeps its outline: the contents of its brackets
 * become "…" and a long string keeps its first words, so that quotes and brackets stay paired (bolt.new's
 * `` allowedHTMLElements.map((tagName) => `<${tagName}>`).join(', ') `` read "…map((tagName) => `<${tagName}>`).join('…", cut
 * inside a string; now `allowedHTMLElements.map(…).join(…)`). Still too long, it is cut at `max`.
 */
export function shortRuntimeValue(value: string, max = 60): string {
  const flat = value.replace(/\s+/g, ' ');
  if (flat.length <= max) return flat;
  let out = '';
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    const string = c === '"' || c === "'" || c === '`';
    const close = string ? stringClose(flat, i) : c === '(' || c === '[' || c === '{' ? bracketClose(flat, i) : undefined;
    if (close === undefined) {
      out += c;
      continue;
    }
    if (close < 0) {
      out += `${c}…`;
      break;
    }
    const inner = flat.slice(i + 1, close);
    out += string ? `${c}${inner.length > 16 ? `${headWords(inner, 15)}…` : inner}${flat[close]}` : `${c}${inner.length > 0 ? '…' : ''}${flat[close]}`;
    i = close;
  }
  return out.length <= max ? out : `${out.slice(0, max - 1)}…`;
}

/**
 * A prompt with no text of its own: nothing counted and only runtime values, a message whose whole text is a placeholder
 * (LangChain's `['user', '{query}']` in Perplexica's legacy metaSearchAgent.ts, `("human", "{input}")` in Python). The
 * scanner finds it (a message of the template), but "≥0 tokens + runtime values · ≥$0" says nothing: the editor shows
 * no lens on it and `prompt scan` says it has only runtime values. Not a prompt whose text is in the branches of a choice
 * between literals (`${cond ? `…instructions…` : ''}`): `withLongerBranches` counts that text.
 */
export function onlyRuntimeValues(tokens: number, runtimeValues: readonly string[] | undefined, withLongerBranches?: number): boolean {
  return tokens === 0 && (runtimeValues?.length ?? 0) > 0 && !(withLongerBranches !== undefined && withLongerBranches > 0);
}

/**
 * A prompt whose fixed text is all in the longer branches of choices between literals (node-DeepResearch's `userContent`:
 * `${question}` then `${finalAnswerPIP?.length ? `<answer-requirements>…` : ''}`): its lower bound is 0, and "≥0 tokens
 * (≥65 with the longer branches)" read as a prompt of nothing (leftovers47). The lens and `prompt scan` say "≥65 tokens with
 * the longer branches, none without" instead.
 */
export function textOnlyInLongerBranches(tokens: number, withLongerBranches: number | undefined): boolean {
  return tokens === 0 && withLongerBranches !== undefined && withLongerBranches > 0;
}

/**
 * Whether the editor's count of a prompt (its lens) is below the engine's, which counts the literal as written: runtime
 * values are left out of the lens, and so is the longer branch of text a condition chooses (`${formal ? "…" : "…"}`,
 * counted with its shorter branch; leftovers46's "Noticed"). The rewrite messages that quote both counts say which is which.
 */
export function lensCountsLess(prompt: { runtimeValues: readonly string[]; tokensWithLongerBranches?: number }): boolean {
  return prompt.runtimeValues.length > 0 || prompt.tokensWithLongerBranches !== undefined;
}
