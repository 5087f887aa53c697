import { existsSync } from 'node:fs';
import { basename, dirname, join, parse, relative, resolve } from 'node:path';
import { EngineError, errorMessage } from '../../protocol/errors';
import { onlyRuntimeValues, runtimeValueList, textOnlyInLongerBranches, usd } from '../../protocol/format';
import type { PromptHint } from '../../protocol/hints';
import type { ScanSummaryItem } from '../../protocol/scan';
import { sharedPriceCatalog, type PriceCatalog } from '../../shared/cost/pricing';
import { pricedAsNote } from '../../shared/cost/sameModel';
import { ProjectModelFinder, type ProjectModelAnswer } from '../../shared/projectModel';
import { chooseModel, modelFamilies, modelKey } from '../../shared/hints/modelChoice';
import { DEFAULT_MODEL } from '../../shared/prompt/analyzer';
import { catalogPricingName } from '../../shared/prompt/scanner/models';
import type { ImportedSend, PromptSend } from '../../protocol/hints';
import { hostMissing, hostPricing } from '../../shared/cost/hostPrices';
import { combineSends, importedModules, importerIsTest, ImportResolver, promptSends } from '../../shared/prompt/scanner/promptSends';
import { scanPaths, summarize, SummaryImports, TEST_GLOBS, type FileScanResultWithSource, type ScanExcluded } from '../../shared/prompt/scanner/scanFiles';
import { UsageError, type CliCommand, type CliIo } from './framework';
import { NearestManifests } from './projectManifests';
import { PackageProviders } from '../../shared/packageProvider';


/** One prompt of `prompt scan`: where its model came from and its input cost per call, as the editor's lens and hover say them. */
type ScanItem = ScanSummaryItem & {
  modelSource: PromptHint['modelSource'];
  modelVia?: string;
  /** USD for the prompt's input tokens sent once; absent with `priceError` when the catalog has no price. */
  inputCostUsd?: number;
  /** The catalog model the price is from, when it is another model than `model` (`ModelPriceInfo.pricedAs`). */
  pricedAs?: string;
  priceError?: string;
};

/** What modelChoice.ts says of a provider's SDK listed only as an optional extra. */
const OPTIONAL_EXTRA = 'only as an optional extra';

/** The CLI has no settings: its defaults are the built-in ones and `--model`. */
const CLI_DEFAULT_NAMES = { defaults: 'built-in default', fallback: '--model or the built-in default', setFallback: 'pass --model with the model the app uses' };

/**
 * Each prompt with the model the editor would price it with (the call's, the file's provider's
 * default, the default of the provider the nearest manifest names, else `--model`), counted and
 * priced for it.
 */
function scanItems(files: FileScanResultWithSource[], fallback: string, catalog: PriceCatalog, ambiguous: Map<string, string[]>): ScanItem[] {
  const manifests = new NearestManifests();
  const packages = new PackageProviders((file) => relative(process.cwd(), file) || file);
  const sent = importedSendsOf(files);
  // The project's config file (config/config2.yaml, .env…), looked for up to the repository root, as the manifests are.
  const configs = new ProjectModelFinder((model) => catalog.has(model), (file) => relative(process.cwd(), file) || file);
  const items: ScanItem[] = [];
  const isKnown = (m: string): boolean => catalog.has(catalogPricingName(m, catalog));
  const families = modelFamilies(catalog.modelNames());
  const imports = new SummaryImports();
  for (const file of files) {
    if (file.skipped || file.prompts.length === 0) continue;
    // A manifest that names no provider (or none at all): the one provider the modules of the file's Python package import.
    const project = manifests.forFile(file.file, file.languageId)?.provider ?? packages.forFile(resolve(file.file), file.languageId);
    const config: ProjectModelAnswer | undefined = configs.forFile(resolve(file.file), (dir) => existsSync(join(dir, '.git')) || dirname(dir) === dir);
    if (config?.several) ambiguous.set(config.file, config.several);
    for (const prompt of file.prompts) {
      const importedSends = sent.get(resolve(file.file));
      const choice = chooseModel(prompt, { defaultModel: fallback, ...(project ? { projectProvider: project } : {}), ...(config?.model ? { projectModel: config.model } : {}), ...(importedSends ? { importedSends } : {}), isKnown, modelFamilies: families }, CLI_DEFAULT_NAMES);
      // (A key of the app's own that the call names as its model, `model: 'agent'`, is no model: counted for the one chosen.)
      const { model: _key, ...keyless } = prompt;
      const [item] = summarize([{ ...file, prompts: [modelKey(prompt, isKnown, families) ? keyless : prompt] }], choice.model, imports);
      const priced: ScanItem = { ...item, modelSource: choice.source, ...(choice.via ? { modelVia: choice.via } : {}) };
      if (!item.unterminated) {
        // At the host the code sends it to (AWS Bedrock, Groq, a local Ollama server), as the editor prices it (hostPrices.ts).
        const host = hostPricing(choice.model, prompt.provider);
        try {
          if (host && 'error' in host) throw new Error(host.error);
          const cost = catalog.cost(host ? host.name : catalogPricingName(choice.model, catalog), { inputTokens: item.tokens, outputTokens: 0 });
          priced.inputCostUsd = cost.inputCost;
          if (cost.price.pricedAs) priced.pricedAs = cost.price.pricedAs;
        } catch (error) {
          priced.priceError = host && !('error' in host) ? hostMissing(choice.model, host.host) : errorMessage(error);
        }
      }
      items.push(priced);
    }
  }
  return items;
}

const CODE_FILE = /\.(?:py|[cm]?[jt]sx?)$/;

/**
 * For each scanned file holding a prompt bound to a name with no model of its own, what the scanned files importing it
 * send its names with (promptSends.ts), as the editor finds them in the workspace: a prompt module is priced with the
 * model of the file that sends it. Only the files that import such a module are parsed again.
 */
function importedSendsOf(files: FileScanResultWithSource[]): Map<string, ImportedSend[]> {
  const out = new Map<string, ImportedSend[]>();
  const targets = new Map<string, string[]>();
  for (const f of files) {
    if (!CODE_FILE.test(f.file) || !f.prompts.some((p) => !p.model && p.boundName)) continue;
    const abs = resolve(f.file);
    const parsed = parse(abs);
    const base = parsed.name === 'index' || parsed.name === '__init__' ? basename(parsed.dir) : parsed.name;
    if (!base) continue;
    const list = targets.get(base) ?? [];
    list.push(abs);
    targets.set(base, list);
  }
  if (targets.size === 0) return out;
  const resolver = new ImportResolver(files.filter((f) => CODE_FILE.test(f.file)).map((f) => resolve(f.file)));
  const importers = new Map<string, string[]>();
  const sources = new Map<string, FileScanResultWithSource>();
  for (const f of files) {
    if (!f.source || !CODE_FILE.test(f.file)) continue;
    const abs = resolve(f.file);
    for (const module of importedModules(f.source)) {
      for (const [base, list] of targets) {
        if (!module.includes(base)) continue;
        for (const target of list) {
          if (target === abs || !resolver.resolves(module, abs, target)) continue;
          const forTarget = importers.get(target) ?? [];
          if (!forTarget.includes(abs)) forTarget.push(abs);
          importers.set(target, forTarget);
          sources.set(abs, f);
        }
      }
    }
  }
  const sendsOf = new Map<string, PromptSend[]>();
  for (const [target, list] of importers) {
    const answers = list.sort().slice(0, 25).map((abs) => {
      let sends = sendsOf.get(abs);
      const f = sources.get(abs) as FileScanResultWithSource;
      // (With the prompts the scan found in it: finding them again took as long as the scan of the file.)
      if (!sends) sendsOf.set(abs, (sends = promptSends(f.source ?? '', undefined, abs, f.prompts)));
      return { file: f.file, sends: sends.filter((s) => resolver.resolves(s.module, abs, target)), test: importerIsTest(abs, target) };
    });
    const combined = combineSends(answers);
    if (combined.length > 0) out.set(target, combined);
  }
  return out;
}

/** `· $0.0087 per call (claude-sonnet-4-5)`, as the lens ends; a price from another catalog model says so. */
function priceText(p: ScanItem): string {
  const model = p.pricedAs ? pricedAsNote(p.model, p.pricedAs) : p.model;
  return p.inputCostUsd !== undefined ? ` · ${p.tokensAtLeast ? '≥' : ''}${usd(p.inputCostUsd)} per call (${model})` : ` · no price (${p.model})`;
}

/**
 * Progress of a long scan on stderr (stdout stays the result, one JSON object with --json): a line every 2 s on a
 * terminal, every 15 s otherwise (a log), none at all for a scan that ends sooner. A scan of a large repository
 * (langfuse: 4,587 files) ran for half an hour with no output.
 */
export function scanProgress(io: Pick<CliIo, 'stderr'>, interactive: boolean, now: () => number = () => performance.now()): { file: (display: string, done: number, total: number) => void; phase: (text: string) => void } {
  const started = now();
  const every = interactive ? 2_000 : 15_000;
  let next = started + every;
  const due = (): number | undefined => {
    const t = now();
    if (t < next) return undefined;
    next = t + every;
    return Math.round((t - started) / 1000);
  };
  return {
    file(display, done, total) {
      const seconds = due();
      if (seconds !== undefined) io.stderr(`scanning: ${done} of ${total} files (${Math.floor((100 * done) / Math.max(1, total))}%) in ${seconds} s; now ${display}\n`);
    },
    phase(text) {
      const seconds = due();
      if (seconds !== undefined) io.stderr(`${text} (${seconds} s)\n`);
    },
  };
}

/** `pepperpy-opt prompt scan <paths...>`: every prompt found in source files, with lines, kind and tokens. */
export const scanCommand: CliCommand = {
  area: 'prompt',
  verb: 'scan',
  summary: 'Find the prompts in source files and folders (Python, TS/JS, YAML, JSON, Markdown, prompt files).',
  positionals: '<paths...>',
  options: {
    model: { type: 'string', valueName: 'M', description: `Model for prompts whose code names no model and no provider, in a project whose config file (config/config2.yaml llm.model, config.yaml model, .env OPENAI_MODEL…) names no model and whose manifest (package.json, pyproject.toml, requirements.txt) names no single provider (default ${DEFAULT_MODEL}).` },
    'min-confidence': { type: 'string', valueName: 'C', description: 'Report only prompts with at least this confidence, 0-1.' },
    exclude: { type: 'string', multiple: true, valueName: 'GLOB', description: 'Leave out the files of a folder that match this glob, matched below the folder named (tests/**, **/fixtures/**; one without a slash matches file and folder names: *.md, fixtures; a folder leaves out all below it; a leading slash anchors at the folder named: /app/tests; a path from the working directory into the folder, as the scan prints it, works too: backend/tests). Repeatable. A file named on the command line is always scanned.' },
    'skip-tests': { type: 'boolean', description: `Leave out test code: ${TEST_GLOBS.join(', ')}, matched below the folder named; a folder named that is itself a test folder (tests/, backend/tests/unit) is left out whole, and the summary says so.` },
  },
  examples: ['pepperpy-opt prompt scan src/', 'pepperpy-opt prompt scan samples/ --skip-tests --exclude "*.prompty"', 'pepperpy-opt prompt scan samples/prompts/seed-example-pt.txt samples/rag/ --json'],
  async run({ positionals, values }, io) {
    if (positionals.length === 0) throw new UsageError('Give at least one file or folder to scan.');
    for (const p of positionals) {
      if (!existsSync(p)) throw new EngineError('notFound', `No such file or folder: ${p}.`, 'Check the path.');
    }
    const model = typeof values.model === 'string' && values.model.trim() ? values.model.trim() : DEFAULT_MODEL;
    let minConfidence: number | undefined;
    if (typeof values['min-confidence'] === 'string') {
      // A decimal only: Number('') is 0 (an empty value showed every candidate) and Number('0x1') is 1.
      const raw = values['min-confidence'];
      minConfidence = /^\s*(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(minConfidence) || minConfidence < 0 || minConfidence > 1) throw new UsageError(`--min-confidence needs a number from 0 to 1, got ${JSON.stringify(raw)}.`);
    }
    const started = performance.now();
    const patterns = Array.isArray(values.exclude) ? values.exclude.filter((v): v is string => typeof v === 'string') : [];
    if (patterns.some((p) => p.trim() === '')) throw new UsageError('--exclude needs a glob, such as tests/** or *.md.');
    const excluded: ScanExcluded = { count: 0 };
    const progress = scanProgress(io, process.stderr.isTTY === true);
    const files = scanPaths(positionals, { keepSource: true, onFile: progress.file, ...(minConfidence !== undefined ? { minConfidence } : {}) }, { patterns, tests: values['skip-tests'] === true }, excluded);
    progress.phase(`scanned ${files.length} files; counting and pricing their prompts`);
    const ambiguous = new Map<string, string[]>();
    const prompts = scanItems(files, model, await sharedPriceCatalog(), ambiguous);
    const elapsedMs = Math.round(performance.now() - started);
    const skipped = files.filter((f) => f.skipped);
    const json = {
      prompts,
      filesScanned: files.length - skipped.length,
      filesSkipped: skipped.map((f) => ({ file: f.file, reason: f.skipped })),
      filesExcluded: excluded.count,
      ...(excluded.testFolders ? { testFoldersExcluded: excluded.testFolders } : {}),
      promptCount: prompts.length,
      elapsedMs,
    };
    const lines = prompts.map((p) => {
      const lines = p.startLine === p.endLine ? `${p.startLine}` : `${p.startLine}-${p.endLine}`;
      // "≥24 tokens + runtime values (os_name, shell)": the same lower bound the editor's lens shows.
      if (p.unterminated) return `${p.file}:${lines}  ${p.kind.padEnd(9)} literal not closed (a syntax error in the file): not counted ${p.boundName ? `${p.boundName}: ` : ''}`.trimEnd();
      // A message whose whole text is a placeholder (`['user', '{query}']`): nothing to count, as the editor shows no lens on it.
      if (onlyRuntimeValues(p.tokens, p.runtimeValues, p.tokensWithLongerBranches)) return `${p.file}:${lines}  ${p.kind.padEnd(9)} no text of its own, only runtime values (${runtimeValueList(p.runtimeValues ?? [])}) ${p.api ? `[${p.api}] ` : ''}${p.boundName ? `${p.boundName}: ` : ''}"${p.preview}"`;
      const count = `${p.tokensAtLeast ? '≥' : ''}${p.tokens}`.padStart(6);
      // "1 token~", "12 tokens~", "1 token " (the column kept): the estimate mark right after the word.
      const unit = `${p.tokens === 1 ? 'token' : 'tokens'}${p.tokenMethod === 'estimate' ? '~' : ''}`.padEnd(6);
      const runtime = p.runtimeValues ? ` + runtime values (${runtimeValueList(p.runtimeValues)})` : '';
      // "≥12 tokens (≥40 with the longer branches) + runtime values (…)": text chosen by a condition.
      const branches = p.tokensWithLongerBranches !== undefined ? ` (≥${p.tokensWithLongerBranches} with the longer branches)` : '';
      // "(a piece of a prompt in navigator.ts)": a module constant another file splices in; that prompt counts it too.
      const piece = p.splicedInto ? ` (a piece of a prompt in ${p.splicedInto})` : '';
      // "counted in place: commonSecurityRules from common.ts:1": imported constants, as the editor's hover names them.
      const imported = p.importedTexts && p.importedTexts.length > 0 ? ` (counted in place: ${p.importedTexts.map((c) => `${c.name} from ${c.file}:${c.line}`).join(', ')})` : '';
      // All of its fixed text in the longer branches: "≥65 tokens with the longer branches, none without", not "≥0 tokens (≥65 …)".
      if (textOnlyInLongerBranches(p.tokens, p.tokensWithLongerBranches)) {
        const longer = `≥${p.tokensWithLongerBranches} ${p.tokensWithLongerBranches === 1 ? 'token' : 'tokens'}${p.tokenMethod === 'estimate' ? '~' : ''} with the longer branches, none without`;
        return `${p.file}:${lines}  ${p.kind.padEnd(9)} ${longer}${runtime}${priceText(p)} ${p.api ? `[${p.api}] ` : ''}${p.boundName ? `${p.boundName}: ` : ''}"${p.preview}"${piece}${imported}`;
      }
      return `${p.file}:${lines}  ${p.kind.padEnd(9)} ${count} ${unit}${branches}${runtime}${priceText(p)} ${p.api ? `[${p.api}] ` : ''}${p.boundName ? `${p.boundName}: ` : ''}"${p.preview}"${piece}${imported}`;
    });
    // Which manifest chose the provider of prompts whose files name none (the editor's hover says the same).
    const byManifest = new Map<string, number>();
    // (Also the default taken because the manifest lists providers' SDKs only as optional extras: it named one before, newuser46.)
    for (const p of prompts) if ((p.modelSource === 'provider' && p.modelVia?.includes('; ')) || p.modelSource === 'config' || (p.modelSource === 'default' && p.modelVia?.includes(OPTIONAL_EXTRA))) byManifest.set(`${p.model}, ${p.modelVia}`, (byManifest.get(`${p.model}, ${p.modelVia}`) ?? 0) + 1);
    for (const [how, n] of byManifest) lines.push(`${n} prompt${n === 1 ? '' : 's'} priced for ${how}`);
    // A config file naming several models decides none: say so rather than pick one.
    for (const [file, models] of ambiguous) lines.push(`${file} names several models (${models.join(', ')}): none of them is used`);
    // A file named on the command line and skipped (binary, too large, unknown type) is named with the reason, not only counted.
    const named = new Set(positionals.map((p) => resolve(p)));
    for (const f of skipped) if (named.has(resolve(f.file))) lines.push(`skipped ${f.file}: ${f.skipped}`);
    // A folder named that is a test folder: --skip-tests left it out whole (it would otherwise scan its helpers and data).
    for (const folder of excluded.testFolders ?? []) lines.push(`${folder} is a test folder: --skip-tests leaves out all of it; scan it without --skip-tests to see its prompts`);
    lines.push(`${prompts.length} prompt${prompts.length === 1 ? '' : 's'} in ${json.filesScanned} file${json.filesScanned === 1 ? '' : 's'} (${skipped.length} skipped${excluded.count > 0 ? `, ${excluded.count} excluded` : ''}) in ${elapsedMs} ms; tokens and input cost per call for ${model} unless the code names a model or its provider, the project's config file names a model, or the nearest manifest names one provider.`);
    return { json, text: lines.join('\n') };
  },
};
