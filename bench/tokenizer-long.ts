/**
 * `node out/bench/tokenizer-long.js [lengths] [chars]`: TokenizerService.countWithEncoding on one
 * long pre-token (a run the o200k/cl100k pre-tokenizer keeps as one piece: `_` x n, `a` x n, ...)
 * and on the same run inside ordinary text. Medians of RUNS runs; each run counts a different
 * string (the length grows by one per run) so that no tokenizer cache can answer it.
 * Defaults: lengths 20000,60000,200000; chars `_`, `a`, `-`, space. Example:
 * `node out/bench/tokenizer-long.js 20000,60000 _,a`. `npm run bench:tokenizer` runs the defaults.
 * The baseline, measured in the same run, is gpt-tokenizer's own countTokens on the same text (what
 * TokenizerService called before it merged long pieces itself): up to BASELINE_MAX characters only,
 * as it takes seconds per run beyond (BASELINE_MAX=0 skips it, BASELINE_MAX=200000 includes 200K).
 */
import { TokenizerService, type EncodingName } from '../src/shared/prompt/tokenizer';

type CountTokens = (text: string, options?: { disallowedSpecial?: Set<string> }) => number;
/* eslint-disable @typescript-eslint/no-require-imports -- the same entry points TokenizerService loads */
const raw: Record<EncodingName, CountTokens> = {
  o200k_base: (require('gpt-tokenizer/encoding/o200k_base') as { countTokens: CountTokens }).countTokens,
  cl100k_base: (require('gpt-tokenizer/encoding/cl100k_base') as { countTokens: CountTokens }).countTokens,
};
/* eslint-enable @typescript-eslint/no-require-imports */
const BASELINE_MAX = Number(process.env.BASELINE_MAX ?? 60000);

const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const lengths = (process.argv[2] ?? '20000,60000,200000').split(',').map(Number);
  const chars = (process.argv[3] ?? '_,a,-,space').split(',').map((c) => (c === 'space' ? ' ' : c));
  const service = new TokenizerService();
  for (const encoding of ['o200k_base', 'cl100k_base'] as EncodingName[]) service.countWithEncoding('warm up', encoding);
  console.log(`TokenizerService (${service.backendName}) vs raw gpt-tokenizer countTokens on the same text; median of ${RUNS} runs, ms`);
  const noSpecial = { disallowedSpecial: new Set<string>() };
  for (const encoding of ['o200k_base', 'cl100k_base'] as EncodingName[]) {
    raw[encoding]('warm up', noSpecial);
    for (const char of chars) {
      for (const length of lengths) {
        const times: number[] = [];
        const baseline: number[] = [];
        let tokens = 0;
        let same = true;
        for (let run = 0; run < RUNS; run++) {
          const text = `Separator:\n${char.repeat(length + run)}\nend of prompt.`;
          let started = performance.now();
          tokens = service.countWithEncoding(text, encoding);
          times.push(performance.now() - started);
          if (length > BASELINE_MAX) continue;
          // A string of another length than the run above, so that no cache of either side answers it.
          const other = `Separator:\n${char.repeat(length + RUNS + run)}\nend of prompt.`;
          started = performance.now();
          const expected = raw[encoding](other, noSpecial);
          baseline.push(performance.now() - started);
          same &&= expected === service.countWithEncoding(other, encoding);
        }
        const b = baseline.length > 0 ? `   raw ${median(baseline).toFixed(1).padStart(9)} ms  ${(median(baseline) / median(times)).toFixed(1)}x faster, counts ${same ? 'equal' : 'DIFFER'}` : '   raw: not run (over BASELINE_MAX)';
        console.log(`  ${encoding.padEnd(12)} ${JSON.stringify(char)} x ${String(length).padStart(6)}: ${median(times).toFixed(1).padStart(9)} ms  (${tokens} tokens)${b}`);
      }
    }
  }
}

main();
