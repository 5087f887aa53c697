/**
 * The LLM provider a project's manifest names: its package.json (JavaScript/TypeScript) or
 * pyproject.toml/requirements.txt (Python), when it depends on exactly one provider's SDK. Apps
 * often keep their prompts in a module of their own (bolt.new's `prompts.ts`) and call the model
 * in another file, so the prompt's file shows no provider; the manifest names it. Pure (text in,
 * provider out), so that the editor (src/extension/prompt/projectProvider.ts, which finds and
 * caches the nearest manifest of a document) and the CLI's `prompt scan`
 * (src/engine/cli/projectManifests.ts) decide the same way.
 */
import { providerOfImports } from './prompt/scanner/models';

export interface ProjectProvider {
  /** The one provider; absent when the manifest lists the SDKs of several (`several`). */
  provider?: string;
  /** Where it was read, for the hover: `@ai-sdk/anthropic in package.json`, `@ai-sdk/google, @ai-sdk/openai in package.json`. */
  from: string;
  /**
   * The manifest lists several providers' SDKs (node-DeepResearch: @ai-sdk/google and @ai-sdk/openai): none decides, and
   * the hover says so instead of a bare `pepperpy.defaultModel` (newuser37: "the hover does not say why it fell back").
   */
  several?: true;
  /**
   * The manifest lists providers' SDKs only as optional extras or development groups (smolagents' pyproject.toml: `openai`
   * in `[project.optional-dependencies]` beside `litellm`, `bedrock`, `transformers`, `vllm` and `mlx-lm`): a library's
   * extras are alternatives its users choose from, so none decides (newuser46: 30 prompts priced for OpenAI, "openai in
   * pyproject.toml"), and the hover says so.
   */
  optional?: true;
}

/** What a manifest's provider SDKs say: the one provider, several, or nothing (none listed). */
function providerOfNames(names: readonly string[], toImport: (name: string) => string, shownAs: string): ProjectProvider | undefined {
  const provider = providerOfImports(names.map(toImport));
  // (Each SDK once: mem0's pyproject.toml lists openai in its dependencies and again in an optional group, and the hover
  // read "openai, groq, together, openai, … in pyproject.toml"; newuser43.)
  const sdks = [...new Set(names.filter((n) => providerOfImports([toImport(n)]) !== undefined))];
  if (provider) return { provider, from: `${sdks.slice(0, 3).join(', ')} in ${shownAs}` };
  if (sdks.length < 2) return undefined;
  const listed = sdks.slice(0, 4).join(', ') + (sdks.length > 4 ? ', …' : '');
  return { from: `${listed} in ${shownAs}`, several: true };
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** The provider named by one package.json's dependencies, when they name exactly one provider's SDK (`several` when they name more). */
export function providerOfManifest(manifest: unknown, shownAs = 'package.json'): ProjectProvider | undefined {
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const names: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = (manifest as Record<string, unknown>)[field];
    if (typeof deps === 'object' && deps !== null && !Array.isArray(deps)) names.push(...Object.keys(deps));
  }
  return providerOfNames(names, (n) => n, shownAs);
}

/** The import name of a Python distribution (`google-genai` is imported as `google.genai`, `langchain-anthropic` as `langchain_anthropic`). */
function importNameOf(distribution: string): string {
  const name = distribution.toLowerCase();
  if (name === 'google-genai' || name === 'google-generativeai') return name.replace('-', '.');
  const llamaIndex = /^llama-index-llms-(.+)$/.exec(name);
  if (llamaIndex) return `llama_index.llms.${llamaIndex[1].replace(/-/g, '_')}`;
  return name.replace(/[-.]/g, '_');
}

/** A requirement specifier's distribution name (`openai>=1.3`, `anthropic[bedrock]==0.40`, `groq ; python_version>"3.9"`), or undefined for anything else. */
function requirementName(spec: string): string | undefined {
  return /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:$|[[<>=!~;@(,])/.exec(spec)?.[1];
}

/**
 * The distributions a requirements.txt or pyproject.toml depends on: requirement lines, the
 * quoted requirement strings of `dependencies = [...]` and `requires = [...]` arrays and of the
 * arrays in `[project.optional-dependencies]`/`[dependency-groups]` (PEP 621/735), and the keys of
 * `[tool.poetry.*dependencies]` tables. Read line by line, not with a TOML parser: only names that
 * are a provider's SDK matter.
 */
export function pythonDependencies(fileName: string, text: string): string[] {
  const { required, optional } = pythonDependencyLists(fileName, text);
  return [...required, ...optional];
}

/**
 * `pythonDependencies`, split: what installing the project installs (`dependencies`, `requires`, Poetry's main
 * dependencies, a requirements.txt) and what only an extra or a development group does (`[project.optional-dependencies]`,
 * `[dependency-groups]`, Poetry's groups, dev-dependencies and `optional = true` entries).
 */
export function pythonDependencyLists(fileName: string, text: string): { required: string[]; optional: string[] } {
  const names: string[] = [];
  const optional: string[] = [];
  if (fileName === 'requirements.txt') {
    for (const line of text.split(/\r?\n/)) {
      const spec = line.replace(/\s#.*$/, '').trim();
      if (spec === '' || spec.startsWith('#') || spec.startsWith('-')) continue;
      const name = requirementName(spec);
      if (name) names.push(name);
    }
    return { required: names, optional };
  }
  let section = '';
  // Inside a `[...]` array of requirement strings: `dependencies = [`, `requires = [` (build-system),
  // or any array of [project.optional-dependencies] / [dependency-groups] (its keys are group names).
  let depth = 0;
  // (The list the array being read goes to.)
  let into = names;
  for (const line of text.split(/\r?\n/)) {
    const header = depth === 0 ? /^\s*\[([^\]]+)\]\s*$/.exec(line) : null;
    if (header) {
      section = header[1].trim();
      continue;
    }
    if (/^tool\.poetry\.(?:.*\.)?dependencies$|^tool\.poetry\.dev-dependencies$/.test(section)) {
      const key = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=/.exec(line);
      const extra = section !== 'tool.poetry.dependencies' || /\boptional\s*=\s*true\b/.test(line);
      if (key && key[1] !== 'python') (extra ? optional : names).push(key[1]);
      continue;
    }
    let rest = line;
    if (depth === 0) {
      const opens = /^\s*([A-Za-z0-9_."-]+)\s*=\s*\[/.exec(line);
      const depsSection = section === 'project.optional-dependencies' || section === 'dependency-groups';
      if (!opens || !(depsSection || /^"?(dependencies|requires)"?$/.test(opens[1]))) continue;
      rest = line.slice(opens[0].length);
      depth = 1;
      into = depsSection ? optional : names;
    }
    for (const m of rest.matchAll(/"([^"\n]*)"|'([^'\n]*)'|([[\]])/g)) {
      if (m[3] === '[') depth++;
      else if (m[3] === ']') depth--;
      else {
        const name = requirementName(m[1] ?? m[2] ?? '');
        if (name) into.push(name);
      }
      if (depth === 0) break;
    }
  }
  return { required: names, optional };
}

/** The provider named by a Python project's dependency file, when it names exactly one provider's SDK (`several` when it names more). */
export function providerOfPythonManifest(fileName: string, text: string, shownAs = fileName): ProjectProvider | undefined {
  const { required, optional } = pythonDependencyLists(fileName, text);
  const installed = providerOfNames(required, importNameOf, shownAs);
  if (installed) return installed;
  // Providers' SDKs only in extras or development groups: alternatives, none of which decides.
  const sdks = [...new Set(optional.filter((n) => providerOfImports([importNameOf(n)]) !== undefined))];
  if (sdks.length === 0) return undefined;
  const listed = sdks.slice(0, 4).join(', ') + (sdks.length > 4 ? ', …' : '');
  return { from: `${listed} in ${shownAs}`, optional: true };
}

/** The manifests that name a file's provider, nearest folder first, by language: package.json for JavaScript/TypeScript, pyproject.toml then requirements.txt for Python; none for other languages. */
export function manifestNamesFor(languageId: string): readonly string[] {
  if (JS_LANGUAGES.has(languageId)) return JS_MANIFESTS;
  return languageId === 'python' ? PYTHON_MANIFESTS : [];
}

/** The editor's language ids and the scanner's (`tsx`, `jsx`). */
const JS_LANGUAGES = new Set(['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'tsx', 'jsx']);
const JS_MANIFESTS: readonly string[] = ['package.json'];
const PYTHON_MANIFESTS: readonly string[] = ['pyproject.toml', 'requirements.txt'];

/**
 * The provider one manifest file names (by its base name); a package.json that does not parse
 * names none. `shownAs` is how `from` names the file (the editor: its base name; the CLI: its path).
 */
export function providerOfManifestText(fileName: string, text: string, shownAs = fileName): ProjectProvider | undefined {
  if (fileName !== 'package.json') return providerOfPythonManifest(fileName, text, shownAs);
  try {
    return providerOfManifest(JSON.parse(text) as unknown, shownAs);
  } catch {
    // A package.json being edited (not JSON yet) names no provider until it parses again.
    return undefined;
  }
}
