/**
 * The LLM provider of a project, from its nearest package.json (JavaScript/TypeScript) or
 * pyproject.toml/requirements.txt (Python). Apps often
 * keep their prompts in a module of their own (bolt.new's `prompts.ts`) and call the model in
 * another file, so the prompt's file shows no provider and its lens priced Claude prompts as the
 * global default. When the nearest package.json lists exactly one provider's SDK
 * (`@ai-sdk/anthropic`, `@anthropic-ai/sdk`, `openai`…), prompts whose file names no provider are
 * priced with that provider's default model (`pepperpy.defaultModels`).
 *
 * Node's `fs` only (no `vscode`), so that unit tests can run it on real folders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { providerOfImports } from '../../shared/prompt/scanner/models';

export interface ProjectProvider {
  provider: string;
  /** Where it was read, for the hover: `@ai-sdk/anthropic in package.json`. */
  from: string;
}

const JS_LANGUAGES = new Set(['javascript', 'javascriptreact', 'typescript', 'typescriptreact']);
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** The provider named by one package.json's dependencies, when they name exactly one provider's SDK. */
export function providerOfManifest(manifest: unknown): ProjectProvider | undefined {
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const names: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = (manifest as Record<string, unknown>)[field];
    if (typeof deps === 'object' && deps !== null && !Array.isArray(deps)) names.push(...Object.keys(deps));
  }
  const provider = providerOfImports(names);
  if (!provider) return undefined;
  const sdks = names.filter((n) => providerOfImports([n]) === provider);
  return { provider, from: `${sdks.slice(0, 3).join(', ')} in package.json` };
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
  const names: string[] = [];
  if (fileName === 'requirements.txt') {
    for (const line of text.split(/\r?\n/)) {
      const spec = line.replace(/\s#.*$/, '').trim();
      if (spec === '' || spec.startsWith('#') || spec.startsWith('-')) continue;
      const name = requirementName(spec);
      if (name) names.push(name);
    }
    return names;
  }
  let section = '';
  // Inside a `[...]` array of requirement strings: `dependencies = [`, `requires = [` (build-system),
  // or any array of [project.optional-dependencies] / [dependency-groups] (its keys are group names).
  let depth = 0;
  for (const line of text.split(/\r?\n/)) {
    const header = depth === 0 ? /^\s*\[([^\]]+)\]\s*$/.exec(line) : null;
    if (header) {
      section = header[1].trim();
      continue;
    }
    if (/^tool\.poetry\.(?:.*\.)?dependencies$|^tool\.poetry\.dev-dependencies$/.test(section)) {
      const key = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=/.exec(line);
      if (key && key[1] !== 'python') names.push(key[1]);
      continue;
    }
    let rest = line;
    if (depth === 0) {
      const opens = /^\s*([A-Za-z0-9_."-]+)\s*=\s*\[/.exec(line);
      const depsSection = section === 'project.optional-dependencies' || section === 'dependency-groups';
      if (!opens || !(depsSection || /^"?(dependencies|requires)"?$/.test(opens[1]))) continue;
      rest = line.slice(opens[0].length);
      depth = 1;
    }
    for (const m of rest.matchAll(/"([^"\n]*)"|'([^'\n]*)'|([[\]])/g)) {
      if (m[3] === '[') depth++;
      else if (m[3] === ']') depth--;
      else {
        const name = requirementName(m[1] ?? m[2] ?? '');
        if (name) names.push(name);
      }
      if (depth === 0) break;
    }
  }
  return names;
}

/** The provider named by a Python project's dependency file, when it names exactly one provider's SDK. */
export function providerOfPythonManifest(fileName: string, text: string): ProjectProvider | undefined {
  const names = pythonDependencies(fileName, text);
  const provider = providerOfImports(names.map(importNameOf));
  if (!provider) return undefined;
  const sdks = names.filter((n) => providerOfImports([importNameOf(n)]) === provider);
  return { provider, from: `${sdks.slice(0, 3).join(', ')} in ${fileName}` };
}

const PYTHON_MANIFESTS = ['pyproject.toml', 'requirements.txt'];

/** Reads the nearest package.json (JS/TS) or pyproject.toml/requirements.txt (Python) above a file, re-read only when its modification time changes. */
export class ProjectProviders {
  private readonly cache = new Map<string, { mtimeMs: number; result: ProjectProvider | undefined }>();

  /**
   * The provider for a document: only JavaScript/TypeScript files, from the nearest
   * package.json between the file's folder and `root` (the workspace folder; the file system
   * root when none). The nearest manifest decides, even when it names no provider.
   */
  forFile(filePath: string, languageId: string, root: string | undefined): ProjectProvider | undefined {
    const python = languageId === 'python';
    if ((!JS_LANGUAGES.has(languageId) && !python) || !path.isAbsolute(filePath)) return undefined;
    const stop = root ? path.resolve(root) : undefined;
    for (let dir = path.dirname(path.resolve(filePath)); ; dir = path.dirname(dir)) {
      if (python) {
        // pyproject.toml first; a folder with either is the project's, even when it names no provider.
        const found = PYTHON_MANIFESTS.map((name) => path.join(dir, name)).map((file) => [file, statOf(file)] as const).filter(([, stat]) => stat);
        for (const [file, stat] of found) {
          const result = this.read(file, stat!.mtimeMs);
          if (result) return result;
        }
        if (found.length > 0) return undefined;
      } else {
        const manifest = path.join(dir, 'package.json');
        const stat = statOf(manifest);
        if (stat) return this.read(manifest, stat.mtimeMs);
      }
      if (dir === stop || path.dirname(dir) === dir || (stop !== undefined && !dir.startsWith(stop))) return undefined;
    }
  }

  private read(manifest: string, mtimeMs: number): ProjectProvider | undefined {
    const cached = this.cache.get(manifest);
    if (cached && cached.mtimeMs === mtimeMs) return cached.result;
    let result: ProjectProvider | undefined;
    try {
      const text = fs.readFileSync(manifest, 'utf8');
      const name = path.basename(manifest);
      result = name === 'package.json' ? providerOfManifest(JSON.parse(text) as unknown) : providerOfPythonManifest(name, text);
    } catch {
      // A package.json being edited (not JSON yet) names no provider until it parses again.
      result = undefined;
    }
    this.cache.set(manifest, { mtimeMs, result });
    return result;
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}
