/**
 * `npm run bench:editor`: how long the editor waits for code lenses and diagnostics on a
 * 3,000-line file with 100 prompts, computed by the engine's PromptHintService (the same
 * code the `editor/promptHints` request runs): cold (first document, caches empty), warm
 * (the same version again) and after a one-line edit (the scanner runs again; the
 * prompts that did not change come from the per-prompt cache). The baseline is raw
 * js-tiktoken encoding of the same prompts' text, measured in the same run; a bare Lezer
 * parse of the file is printed as a second reference (the cold case cannot avoid it). Medians of
 * several runs; this machine is noisy, so read the ratios. The first cold runs of a process
 * include compiling the code (JIT): a last line measures cold again once that is done.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPriceCatalog } from '../src/shared/cost/pricing';
import { ImportedConstantReader } from '../src/shared/prompt/scanner/importedModules';
import { PromptHintService } from '../src/shared/hints/hints';
import { findPrompts } from '../src/shared/prompt/scanner';
import { loadJavaScriptParser, loadPythonParser } from '../src/shared/prompt/scanner/parsers';
import { TokenizerService } from '../src/shared/prompt/tokenizer';
import { generatePython, generateTypeScript } from './prompt-scan';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** CPU time of this process (all its threads, GC included), in ms: on a loaded machine it leaves out the time spent waiting for a core. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function measure(name: string, text: string, languageId: string, runs: number): Promise<string[]> {
  const params = { text, languageId, fileName: `bench.${languageId === 'python' ? 'py' : 'ts'}`, defaultModel: 'gpt-4o', compareModels: ['gpt-4o-mini', 'claude-sonnet-4-5'], callsPerDay: 1000, withSuggestions: true };
  const cold: number[] = [];
  const edited: number[] = [];
  const warm: number[] = [];
  const coldCpu: number[] = [];
  const editedCpu: number[] = [];
  let prompts = 0;
  let cachedAfterEdit = 0;
  let scanAfterEdit = '';
  let mentionsAfterEdit = '';
  for (let r = 0; r < runs; r++) {
    // A fresh service is a fresh per-prompt cache: the first call is the cold case.
    const service = new PromptHintService(sharedPriceCatalog);
    let cpu = cpuMs();
    cold.push(await time(async () => (prompts = (await service.compute(params)).prompts.length)));
    coldCpu.push(cpuMs() - cpu);
    warm.push(await time(() => service.compute(params)));
    // A one-line edit in the middle of the file that touches no prompt.
    const lines = text.split('\n');
    const middle = Math.floor(lines.length / 2);
    lines.splice(middle, 0, `${languageId === 'python' ? '#' : '//'} edited ${r}`);
    const editedText = lines.join('\n');
    cpu = cpuMs();
    edited.push(await time(async () => (cachedAfterEdit = (await service.compute({ ...params, text: editedText })).cachedPrompts)));
    editedCpu.push(cpuMs() - cpu);
    const scan = service.lastScan;
    scanAfterEdit = `${scan.mode}: ${scan.rescanned} of ${scan.statements} top-level statements scanned again`;
    const mentions = service.lastMentionScan;
    mentionsAfterEdit = `${mentions.mode}: ${mentions.rescanned} of ${mentions.words} quoted words scanned again`;
  }
  // Cold again, once this process has compiled its code (the runs above): a fresh service each
  // time, so the per-document caches are empty as in the first runs, but the JIT warm-up that an
  // engine process pays once (on its first documents, whichever they are) is no longer in it.
  const steady: number[] = [];
  const steadyCpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const service = new PromptHintService(sharedPriceCatalog);
    const cpu = cpuMs();
    steady.push(await time(() => service.compute(params)));
    steadyCpu.push(cpuMs() - cpu);
  }
  // One-line edits in a running engine: one service, one new line at a new place each time (the cold
  // compute and its JIT and garbage are behind it, as in an editor that has had the file open for a while).
  const steadyService = new PromptHintService(sharedPriceCatalog);
  await steadyService.compute(params);
  const steadyEdits: number[] = [];
  // Each edit adds one line to the previous version (as typing does), at a tenth, two tenths… of the file in turn.
  const fileLines = text.split('\n');
  for (let r = 0; r < 10 * runs; r++) {
    fileLines.splice(Math.floor(((r % 9) + 1) * fileLines.length / 10), 0, `${languageId === 'python' ? '#' : '//'} steady edit ${r}`);
    const editedText = fileLines.join('\n');
    steadyEdits.push(await time(() => steadyService.compute({ ...params, text: editedText })));
  }
  // A second reference: the Lezer parse alone, which the cold case cannot avoid (it is most of it).
  const parser = languageId === 'python' ? loadPythonParser() : loadJavaScriptParser(true, false);
  const parse: number[] = [];
  for (let r = 0; r < runs; r++) parse.push(await time(async () => parser.parse(text)));
  const reference = new TokenizerService('js-tiktoken');
  const texts = findPrompts(text, languageId).map((p) => p.text);
  reference.countWithEncoding('warm up', 'o200k_base');
  const baseline: number[] = [];
  for (let r = 0; r < runs; r++) baseline.push(await time(async () => texts.forEach((t) => reference.countWithEncoding(t, 'o200k_base'))));
  const b = median(baseline);
  return [
    `${name}: ${text.split('\n').length} lines, ${prompts} prompts (median of ${runs} runs)`,
    `  cold (caches empty):      ${median(cold).toFixed(1)} ms   (${(median(cold) / b).toFixed(1)}x raw js-tiktoken on the prompts)`,
    `  after a one-line edit:    ${median(edited).toFixed(1)} ms   (${cachedAfterEdit}/${prompts} prompts from the cache; ${(median(edited) / median(cold)).toFixed(2)}x cold)`,
    `  same version again:       ${median(warm).toFixed(1)} ms`,
    `  baseline, raw js-tiktoken encode of the ${texts.length} prompt texts: ${b.toFixed(2)} ms`,
    `  after a one-line edit vs the baseline: ${(median(edited) / b).toFixed(1)}x raw js-tiktoken (prompt finding ${scanAfterEdit})`,
    // Added measurements (the machine is often loaded): CPU time, and the fastest run, which waiting for a core does not inflate.
    `  CPU time, median: cold ${median(coldCpu).toFixed(1)} ms (${(median(coldCpu) / b).toFixed(1)}x), after a one-line edit ${median(editedCpu).toFixed(1)} ms (${(median(editedCpu) / b).toFixed(1)}x)`,
    `  fastest of ${runs} runs: cold ${Math.min(...cold).toFixed(1)} ms (${(Math.min(...cold) / Math.min(...baseline)).toFixed(1)}x the fastest baseline, ${Math.min(...baseline).toFixed(2)} ms), after a one-line edit ${Math.min(...edited).toFixed(1)} ms (${(Math.min(...edited) / Math.min(...baseline)).toFixed(1)}x)`,
    `  bare Lezer parse of the file, median: ${median(parse).toFixed(1)} ms (${(median(parse) / b).toFixed(1)}x the baseline); cold minus the parse: ${(median(cold) - median(parse)).toFixed(1)} ms (${((median(cold) - median(parse)) / b).toFixed(1)}x)`,
    `  model mentions after a one-line edit: ${mentionsAfterEdit}`,
    `  one-line edits once the engine is warm (${10 * runs} one-line edits in turn at different places, one service), median: ${median(steadyEdits).toFixed(1)} ms (${(median(steadyEdits) / b).toFixed(1)}x the baseline)`,
    `  cold once the JIT is warm (${runs} more fresh services after the runs above), median: ${median(steady).toFixed(1)} ms (${(median(steady) / b).toFixed(1)}x the baseline), CPU ${median(steadyCpu).toFixed(1)} ms (${(median(steadyCpu) / b).toFixed(1)}x); fastest ${Math.min(...steady).toFixed(1)} ms (${(Math.min(...steady) / Math.min(...baseline)).toFixed(1)}x the fastest baseline)`,
  ];
}

/** Real modules of LLM apps (their SOURCES.md give repository, commit and license), as the editor sends them: an absolute path. */
const REAL_FILES: Array<{ fixture: string; languageId: string; fileName: string }> = [
  { fixture: 'scale/llm_cli.py', languageId: 'python', fileName: 'cli.py' },
  { fixture: 'graphiti/graphiti_mcp_server.py.txt', languageId: 'python', fileName: 'graphiti_mcp_server.py' },
  { fixture: 'node-deepresearch/agent.ts.txt', languageId: 'typescript', fileName: 'agent.ts' },
  { fixture: 'hints-real/mem0_ts_prompts.ts', languageId: 'typescript', fileName: 'index.ts' },
];

/**
 * The engine's whole `editor/promptHints` request on real files (editor/handlers.ts: the imported constants read from
 * disk, then the hints), cold and after one-line edits at different places in a running engine, against the raw
 * js-tiktoken pass over the same prompts. The generated files above are the fixed reference; these are the files users open.
 */
async function measureReal(runs: number): Promise<string[]> {
  const out = [`Real files, the engine's whole request (imported constants + hints; median of ${runs} cold runs, ${10 * runs} one-line edits):`];
  const root = join(__dirname, '..', '..', 'test', 'fixtures');
  for (const f of REAL_FILES) {
    const text = readFileSync(join(root, f.fixture), 'utf8');
    // The path the editor would send: the fixture's folder, the file's real name.
    const fileName = join(root, f.fixture.split('/')[0], f.fileName);
    const params = { text, languageId: f.languageId, fileName, defaultModel: 'gpt-4o', compareModels: ['gpt-4o-mini', 'claude-sonnet-4-5'], callsPerDay: 1000, withSuggestions: true };
    const request = async (service: PromptHintService, reader: ImportedConstantReader, t: string) => {
      const importedConstants = reader.read(t, f.languageId, fileName);
      return service.compute({ ...params, text: t, ...(importedConstants.length > 0 ? { importedConstants } : {}) });
    };
    const cold: number[] = [];
    let prompts = 0;
    for (let r = 0; r < runs; r++) {
      const service = new PromptHintService(sharedPriceCatalog);
      cold.push(await time(async () => (prompts = (await request(service, new ImportedConstantReader(), text)).prompts.length)));
    }
    const service = new PromptHintService(sharedPriceCatalog);
    const reader = new ImportedConstantReader();
    await request(service, reader, text);
    const lines = text.split('\n');
    const comment = f.languageId === 'python' ? '#' : '//';
    const edits: number[] = [];
    for (let r = 0; r < 10 * runs; r++) {
      lines.splice(Math.floor(((r % 9) + 1) * lines.length / 10), 0, `${comment} edit ${r}`);
      const edited = lines.join('\n');
      edits.push(await time(() => request(service, reader, edited)));
    }
    const reference = new TokenizerService('js-tiktoken');
    const texts = findPrompts(text, f.languageId, { fileName }).map((p) => p.text);
    reference.countWithEncoding('warm up', 'o200k_base');
    const baseline: number[] = [];
    for (let r = 0; r < runs; r++) baseline.push(await time(async () => texts.forEach((t) => reference.countWithEncoding(t, 'o200k_base'))));
    const b = median(baseline);
    const head = `  ${f.fixture} (${text.split('\n').length} lines, ${prompts} prompts): cold ${median(cold).toFixed(1)} ms`;
    // (A file with no prompt has no baseline to divide by: its times are the cost of finding that it has none.)
    out.push(texts.length === 0 ? `${head}, one-line edit ${median(edits).toFixed(1)} ms (no prompts: no js-tiktoken baseline)` : `${head} (${(median(cold) / b).toFixed(1)}x), one-line edit ${median(edits).toFixed(1)} ms (${(median(edits) / b).toFixed(1)}x) the raw js-tiktoken pass, ${b.toFixed(2)} ms`);
  }
  return out;
}

async function main(): Promise<void> {
  // Loading the price catalog, the parsers and the encoding happens once per engine process;
  // report it on its own so the per-document figures are not dominated by it.
  const loadStarted = performance.now();
  await sharedPriceCatalog();
  findPrompts('x = "warm"', 'python');
  findPrompts('const x = "warm";', 'typescript');
  new TokenizerService().count('warm', 'gpt-4o');
  const loadMs = performance.now() - loadStarted;
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const lines = [`One-time load per engine process (prices, parsers, o200k_base): ${loadMs.toFixed(0)} ms`];
  lines.push(...(await measure('Python', generatePython(), 'python', runs)));
  lines.push(...(await measure('TypeScript', generateTypeScript(), 'typescript', runs)));
  lines.push(...(await measureReal(runs)));
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
