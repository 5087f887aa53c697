/**
 * The LLM provider of a JavaScript/TypeScript project, from its nearest package.json. Apps often
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

/** Reads the nearest package.json above a file, re-read only when its modification time changes. */
export class ProjectProviders {
  private readonly cache = new Map<string, { mtimeMs: number; result: ProjectProvider | undefined }>();

  /**
   * The provider for a document: only JavaScript/TypeScript files, from the nearest
   * package.json between the file's folder and `root` (the workspace folder; the file system
   * root when none). The nearest manifest decides, even when it names no provider.
   */
  forFile(filePath: string, languageId: string, root: string | undefined): ProjectProvider | undefined {
    if (!JS_LANGUAGES.has(languageId) || !path.isAbsolute(filePath)) return undefined;
    const stop = root ? path.resolve(root) : undefined;
    for (let dir = path.dirname(path.resolve(filePath)); ; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      const stat = statOf(manifest);
      if (stat) return this.read(manifest, stat.mtimeMs);
      if (dir === stop || path.dirname(dir) === dir || (stop !== undefined && !dir.startsWith(stop))) return undefined;
    }
  }

  private read(manifest: string, mtimeMs: number): ProjectProvider | undefined {
    const cached = this.cache.get(manifest);
    if (cached && cached.mtimeMs === mtimeMs) return cached.result;
    let result: ProjectProvider | undefined;
    try {
      result = providerOfManifest(JSON.parse(fs.readFileSync(manifest, 'utf8')) as unknown);
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
