/**
 * Model attribution benchmark: is the model (and provider) the editor shows for a prompt the one
 * the app really sends it with? Real files from open-source LLM apps, annotated by hand
 * (test/fixtures/model-attribution/annotations.json, SOURCES.md), each case laid out as its
 * repository folder in a temporary workspace with the project files the editor reads (the files
 * that import it, package.json / pyproject.toml / requirements.txt, config files). Each scored
 * file is priced by `PromptHintService` with the project facts the extension passes
 * (src/extension/prompt/promptIndex.ts): the manifest's provider (`ProjectProviders`), the
 * configured model (`ProjectModels`), what importing files send (`ProjectImportIndexes` over
 * `promptSends`, as the engine answers `editor/promptSends`), the default settings.
 *
 * Prints, overall and per language: the model exact-match rate on prompts whose model the
 * project's files decide (code, an importing file, a config file), the provider match rate, and
 * for prompts whose model comes from outside the project (the caller, an SDK default) how often
 * the hover says it is a default (honest) versus naming a model with confidence; then every miss.
 *
 *   npm run bench:model-attribution
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { PromptHint } from '../src/protocol/hints';
import { PriceCatalog } from '../src/shared/cost/pricing';
import { PromptHintService } from '../src/shared/hints/hints';
import { isProviderId, providerOfModelName } from '../src/shared/prompt/scanner/models';
import { isHostId } from '../src/shared/prompt/scanner/providers';
import { promptSends } from '../src/shared/prompt/scanner/promptSends';
import { languageIdOfSource, ProjectImportIndexes } from '../src/extension/prompt/projectImports';
import { ProjectModels } from '../src/extension/prompt/projectModel';
import { ProjectProviders } from '../src/extension/prompt/projectProvider';

interface AnnotatedPrompt {
  line: number;
  /** The exact model name, or `caller`. */
  model: string;
  /** code, import, config:<file>, library, caller. */
  from: string;
  provider: string;
  alsoAccept?: string[];
  note?: string;
}

interface Case {
  case: string;
  repo: string;
  commit: string;
  license: string;
  files: string[];
  file: string;
  /** 1: the first round (picked for the editor's known shapes); 2: the held-out round, annotated before any fix for it. */
  round?: number;
  prompts: AnnotatedPrompt[];
}

/** The extension's defaults: `pepperpy.defaultModel` and an empty `pepperpy.defaultModels` (package.json). */
const DEFAULT_MODEL = 'gpt-5.4';
/** Sources that say the model is a default, not read from the code or the project. */
const DEFAULT_SOURCES: ReadonlySet<PromptHint['modelSource']> = new Set(['default', 'provider']);

const FIXTURES = resolve(__dirname, '..', '..', 'test', 'fixtures', 'model-attribution');

export interface Outcome {
  case: string;
  file: string;
  line: number;
  language: 'python' | 'typescript';
  round: number;
  expected: AnnotatedPrompt;
  /** Undefined: the editor shows no prompt on that line. */
  shown?: { model: string; source: PromptHint['modelSource']; provider?: string; via?: string; price: string };
}

/**
 * The provider the hint stands for: the call's (`PromptHint.provider`), else the shown model's
 * (a model from a config file, an importing file, a provider's default), none for the global default.
 */
export function shownProvider(hint: Pick<PromptHint, 'model' | 'modelSource' | 'provider'>): string | undefined {
  return hint.provider ?? (hint.modelSource === 'default' ? undefined : providerOfModelName(hint.model));
}

export interface Figures {
  /** Prompts whose model the project's files decide. */
  known: number;
  modelMatch: number;
  /** Of `modelMatch`, those where a default (not the code or the project) showed the right name by chance. */
  modelMatchByDefault: number;
  /** Prompts with a provider the annotation names (not `caller`). */
  providerKnown: number;
  providerMatch: number;
  /** The same, for the providers the editor has a name for (`ProviderId`, and since model40 the hosts `HostId`: Bedrock, Vertex AI, Azure, Ollama, LiveKit Inference). */
  providerNameable: number;
  providerNameableMatch: number;
  /** Prompts whose model comes from outside the project (caller, library default). */
  outside: number;
  honest: number;
  confidentWrong: number;
  notFound: number;
}

export function modelMatches(expected: AnnotatedPrompt, shown: string): boolean {
  const names = [expected.model, ...(expected.alsoAccept ?? [])].map((n) => n.toLowerCase());
  return names.includes(shown.toLowerCase());
}

export function figuresOf(outcomes: Outcome[]): Figures {
  const f: Figures = { known: 0, modelMatch: 0, modelMatchByDefault: 0, providerKnown: 0, providerMatch: 0, providerNameable: 0, providerNameableMatch: 0, outside: 0, honest: 0, confidentWrong: 0, notFound: 0 };
  for (const o of outcomes) {
    const outside = o.expected.from === 'caller' || o.expected.from === 'library';
    if (!o.shown) f.notFound++;
    if (outside) {
      f.outside++;
      if (o.shown && DEFAULT_SOURCES.has(o.shown.source)) f.honest++;
      else if (o.shown && !modelMatches(o.expected, o.shown.model)) f.confidentWrong++;
    } else {
      f.known++;
      if (o.shown && modelMatches(o.expected, o.shown.model)) {
        f.modelMatch++;
        // The default that happens to be the app's model (`pepperpy.defaultModel` gpt-5.4 for an Azure deployment named gpt-5.4).
        if (DEFAULT_SOURCES.has(o.shown.source)) f.modelMatchByDefault++;
      }
    }
    if (o.expected.provider !== 'caller') {
      f.providerKnown++;
      if (o.shown?.provider === o.expected.provider) f.providerMatch++;
    }
    if (isProviderId(o.expected.provider) || isHostId(o.expected.provider)) {
      f.providerNameable++;
      if (o.shown?.provider === o.expected.provider) f.providerNameableMatch++;
    }
  }
  return f;
}

/** Lays each case out as its repository folder and prices its scored file the way the editor does. */
export async function runCases(cases: Case[]): Promise<Outcome[]> {
  const root = mkdtempSync(join(tmpdir(), 'model-attribution-'));
  const catalog = await PriceCatalog.bundled();
  const service = new PromptHintService(() => Promise.resolve(catalog));
  const providers = new ProjectProviders();
  const models = new ProjectModels();
  const imports = new ProjectImportIndexes(async (file, text, languageId) => promptSends(text, languageId, file));
  const outcomes: Outcome[] = [];
  try {
    for (const c of cases) {
      const folder = join(root, c.case);
      for (const f of c.files) {
        const target = join(folder, f);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, readFileSync(join(FIXTURES, c.case, `${f}.txt`)));
      }
      const file = join(folder, c.file);
      const languageId = languageIdOfSource(file);
      // The import index is built off the typing path: ask, wait, ask again (the extension prices the file again on `onReady`).
      for (let i = 0; i < 3 && imports.forFile(file, folder) === undefined; i++) await imports.whenBuilt(folder);
      const importedSends = imports.forFile(file, folder);
      const project = providers.forFile(file, languageId, folder);
      const configured = models.forFile(file, folder, catalog);
      const result = await service.compute({
        text: readFileSync(file, 'utf8'),
        languageId,
        fileName: file,
        defaultModel: DEFAULT_MODEL,
        defaultModels: {},
        ...(project ? { projectProvider: project } : {}),
        ...(configured ? { projectModel: configured } : {}),
        ...(importedSends && importedSends.length > 0 ? { importedSends } : {}),
        compareModels: [],
        callsPerDay: 1000,
        withSuggestions: false,
      });
      const byLine = new Map<number, PromptHint>();
      for (const p of result.prompts) if (!byLine.has(p.location.range.start.line + 1)) byLine.set(p.location.range.start.line + 1, p);
      for (const expected of c.prompts) {
        const hint = byLine.get(expected.line);
        outcomes.push({
          case: c.case,
          file: c.file,
          line: expected.line,
          language: languageId === 'python' ? 'python' : 'typescript',
          round: c.round ?? 1,
          expected,
          ...(hint ? { shown: { model: hint.model, source: hint.modelSource, ...(shownProvider(hint) ? { provider: shownProvider(hint) } : {}), ...(hint.modelVia ? { via: hint.modelVia } : {}), price: priceShown(hint) } } : {}),
        });
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return outcomes;
}

/** What the hover says about the price: `$x/MTok in`, `as <catalog model>`, or the "no price" text. */
export function priceShown(hint: Pick<PromptHint, 'cost'>): string {
  const c = hint.cost;
  if (c.inputCostUsd === undefined || c.inputPerMTok === undefined) return `no price (${c.error ?? 'no error text'})`;
  return `$${c.inputPerMTok}/MTok in${c.pricedAs ? ` as ${c.pricedAs}` : ''}${c.listedHost ? ` at ${c.listedHost}` : ''}`;
}

function rate(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${(n / d).toFixed(3)} (${n}/${d})`;
}

function report(label: string, f: Figures): string {
  return [
    `${label}:`,
    `  model exact match (model decided by the project's files)  ${rate(f.modelMatch, f.known)}${f.modelMatchByDefault > 0 ? `, ${f.modelMatchByDefault} of them a default that happens to be the model` : ''}`,
    `  provider match (provider named by the code or project)     ${rate(f.providerMatch, f.providerKnown)}`,
    `    of providers the editor has a name for                   ${rate(f.providerNameableMatch, f.providerNameable)}`,
    `  model from outside the project: shown as a default         ${rate(f.honest, f.outside)}; a wrong model with confidence ${f.confidentWrong}`,
    ...(f.notFound > 0 ? [`  annotated prompts the editor shows no lens on             ${f.notFound}`] : []),
  ].join('\n');
}

async function main(): Promise<void> {
  const doc = JSON.parse(readFileSync(join(FIXTURES, 'annotations.json'), 'utf8')) as { cases: Case[] };
  const outcomes = await runCases(doc.cases);
  const repos = new Set(doc.cases.map((c) => c.repo)).size;
  console.log(`${outcomes.length} annotated prompts in ${doc.cases.length} files from ${repos} repositories (default model ${DEFAULT_MODEL})\n`);
  console.log(report('all', figuresOf(outcomes)));
  for (const language of ['python', 'typescript'] as const) console.log(report(language, figuresOf(outcomes.filter((o) => o.language === language))));
  for (const round of [...new Set(outcomes.map((o) => o.round))].sort()) {
    const ofRound = outcomes.filter((o) => o.round === round);
    const files = doc.cases.filter((c) => (c.round ?? 1) === round);
    console.log(report(`round ${round} (${files.length} files from ${new Set(files.map((c) => c.repo)).size} repositories, ${ofRound.length} prompts)`, figuresOf(ofRound)));
  }
  const misses = outcomes.filter((o) => {
    const outside = o.expected.from === 'caller' || o.expected.from === 'library';
    const modelMiss = !o.shown || (outside ? !DEFAULT_SOURCES.has(o.shown.source) : !modelMatches(o.expected, o.shown.model));
    const providerMiss = o.expected.provider !== 'caller' && o.shown?.provider !== o.expected.provider;
    return modelMiss || providerMiss;
  });
  if (process.argv.includes('--prices')) {
    console.log('\nprices shown (each case and model once):');
    const seen = new Set<string>();
    for (const o of outcomes) {
      const key = `${o.case} ${o.shown?.model ?? '-'}`;
      if (!o.shown || seen.has(key)) continue;
      seen.add(key);
      console.log(`  [r${o.round}] ${o.case}: ${o.shown.model} (${o.shown.source}, provider ${o.shown.provider ?? '-'}): ${o.shown.price}`);
    }
  }
  console.log(`\nmisses (${misses.length}):`);
  for (const o of misses) {
    const shown = o.shown ? `${o.shown.model} [${o.shown.source}${o.shown.via ? `: ${o.shown.via}` : ''}] provider ${o.shown.provider ?? '-'}` : 'no lens';
    console.log(`  [r${o.round}] ${o.case}/${o.file}:${o.line}  expected ${o.expected.model} (${o.expected.from}) provider ${o.expected.provider}; shown ${shown}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
