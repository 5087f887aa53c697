/**
 * `node out/bench/tokenizer-long.js [lengths] [chars]`: TokenizerService.countWithEncoding on one
 * long pre-token (a run the o200k/cl100k pre-tokenizer keeps as one piece: `_` x n, `a` x n, ...)
 * and on the same run inside ordinary text. Medians of RUNS runs; each run counts a different
 * string (the length grows by one per run) so that no tokenizer cache can answer it.
 * Defaults: lengths 20000,60000,200000; chars `_`, `a`, `-`, space. Example:
 * `node out/bench/tokenizer-long.js 20000,60000 _,a`.
 */
import { TokenizerService, type EncodingName } from '../src/shared/prompt/tokenizer';

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
  console.log(`TokenizerService (${service.backendName}); median of ${RUNS} runs, ms`);
  for (const encoding of ['o200k_base', 'cl100k_base'] as EncodingName[]) {
    for (const char of chars) {
      for (const length of lengths) {
        const times: number[] = [];
        let tokens = 0;
        for (let run = 0; run < RUNS; run++) {
          const text = `Separator:\n${char.repeat(length + run)}\nend of prompt.`;
          const started = performance.now();
          tokens = service.countWithEncoding(text, encoding);
          times.push(performance.now() - started);
        }
        console.log(`  ${encoding.padEnd(12)} ${JSON.stringify(char)} x ${String(length).padStart(6)}: ${median(times).toFixed(1).padStart(9)} ms  (${tokens} tokens)`);
      }
    }
  }
}

main();
