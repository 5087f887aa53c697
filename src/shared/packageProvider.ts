/**
 * The LLM provider of a Python package's own modules, for a file of it whose project manifest names none. Anthropic's
 * quickstarts keep an agent framework in `agents/` (a package: `agents/__init__.py`) with no manifest of its own; the
 * repository's pyproject.toml only configures pyright. `agents/agent.py` sends the agent's system prompt and tools with
 * `Anthropic().messages.create(…)`, while the tools (`agents/tools/think.py`) and the agents built in
 * `agents/test_message_params.py` name no provider: newuser47 found all 24 of their prompts priced for the default
 * model, gpt-5.4. The modules at the top of the package that send prompts import one provider's SDK (`from anthropic
 * import Anthropic`): that provider.
 *
 * Node's `fs` only (no `vscode`): the editor (src/extension/prompt/projectProvider.ts) and `prompt scan`
 * (src/engine/cli/projectManifests.ts) ask it after the nearest manifest, and decide the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectProvider } from './projectProvider';
import { providerOfImports } from './prompt/scanner/providers';

/** At most this many modules of a package's top folder are read. */
const MAX_MODULES = 200;
/** The first characters of a module read for its imports. */
const MAX_CHARS = 200_000;
/** An import statement at the start of a line: `import anthropic`, `import a, b as c`, `from anthropic.types import X` (relative imports never name an SDK). */
const IMPORT_LINE = /^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+([A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?)*))/gm;

/**
 * A call that sends a prompt to a model: a provider SDK's chat or completion call (`client.messages.create(`,
 * `client.chat.completions.create(`, `client.responses.create(`, `model.generate_content(`, Mistral's `chat.complete(`,
 * Cohere's `co.chat(`) or a LangChain chat model of the provider (`ChatAnthropic(`). A module that imports an SDK only
 * for embeddings (crewAI's crewai_tools: `from openai import Client` for `embeddings.create`) sends no prompt.
 */
const SEND_CALL = /\.(?:messages\.(?:create|stream)|chat\.completions\.(?:create|parse|stream)|responses\.(?:create|parse|stream)|completions\.create|generate_content(?:_stream)?|chat\.(?:complete|stream)(?:_async)?|chat)[ \t]*\(|\b(?:ChatAnthropic|ChatOpenAI|AzureChatOpenAI|ChatGoogleGenerativeAI|ChatVertexAI|ChatMistralAI|ChatCohere|ChatGroq|ChatTogether|ChatDeepSeek|ChatXAI)[ \t]*\(/;

/** The absolute modules one Python module imports, in order. */
export function pythonImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.slice(0, MAX_CHARS).matchAll(IMPORT_LINE)) {
    if (m[1]) out.push(m[1]);
    else if (m[2]) for (const part of m[2].split(',')) out.push(part.trim().split(/[ \t]+/)[0]);
  }
  return out;
}

/**
 * What the modules of one package that send prompts import: the one provider whose SDK they import, with the first module that imports it
 * (`anthropic imported in agents/agent.py`), or undefined when they import none or several providers' SDKs. `modules`
 * name each module as the answer shows it.
 */
export function providerOfPackageModules(modules: ReadonlyArray<{ shown: string; text: string }>): ProjectProvider | undefined {
  // Only the modules that send prompts (SEND_CALL) say whose model reads them.
  const imports = modules.filter((m) => SEND_CALL.test(m.text.slice(0, MAX_CHARS))).map((m) => ({ shown: m.shown, names: pythonImports(m.text) }));
  const provider = providerOfImports(imports.flatMap((m) => m.names));
  if (!provider) return undefined;
  const first = imports.find((m) => providerOfImports(m.names) === provider);
  const sdk = first?.names.find((n) => providerOfImports([n]) === provider);
  return first && sdk ? { provider, from: `${sdk.split('.')[0]} imported in ${first.shown}` } : undefined;
}

/** Finds a Python file's package (the outermost folder above it with an `__init__.py`, unbroken) and the provider its top modules import, cached per package. */
export class PackageProviders {
  private readonly byRoot = new Map<string, { at: number; result: ProjectProvider | undefined }>();

  /**
   * @param shown How a module's path is shown (the CLI: relative to the working folder; the editor: relative to the package's parent).
   * @param maxAgeMs How long one reading of a package is kept (the editor re-reads it now and then as files change).
   */
  constructor(
    private readonly shown?: (file: string) => string,
    private readonly maxAgeMs = Infinity,
  ) {}

  forFile(filePath: string, languageId: string): ProjectProvider | undefined {
    if (languageId !== 'python' || !path.isAbsolute(filePath)) return undefined;
    let root: string | undefined;
    for (let dir = path.dirname(filePath); isFile(path.join(dir, '__init__.py')); dir = path.dirname(dir)) {
      root = dir;
      if (path.dirname(dir) === dir) break;
    }
    if (root === undefined) return undefined;
    const cached = this.byRoot.get(root);
    if (cached && Date.now() - cached.at <= this.maxAgeMs) return cached.result;
    const parent = path.dirname(root);
    const show = this.shown ?? ((file: string) => path.relative(parent, file));
    // The modules at the top of the package (beside its __init__.py), its core: a module deeper down that sends prompts
    // is one part among others (crewAI's crewai_tools/tools/ai_mind_tool/ai_mind_tool.py calls OpenAI; the package's
    // other hundred tools are handed to whatever model a crew uses, and were said to be priced "for openai imported in"
    // it).
    const modules: Array<{ shown: string; text: string }> = [];
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      entries = [];
    }
    for (const e of entries) {
      if (!e.isFile() || !e.name.endsWith('.py') || modules.length >= MAX_MODULES) continue;
      const full = path.join(root, e.name);
      try {
        modules.push({ shown: show(full), text: fs.readFileSync(full, 'utf8') });
      } catch {
        // Unreadable: left out.
      }
    }
    const result = providerOfPackageModules(modules);
    this.byRoot.set(root, { at: Date.now(), result });
    return result;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
