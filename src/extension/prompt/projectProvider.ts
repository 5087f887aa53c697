/**
 * The LLM provider of a document's project: the nearest package.json (JavaScript/TypeScript) or
 * pyproject.toml/requirements.txt (Python) between the document and its workspace folder, read
 * by the pure rules of src/shared/projectProvider.ts (which the CLI's `prompt scan` uses too) and
 * cached until the manifest's modification time changes.
 *
 * Node's `fs` only (no `vscode`), so that unit tests can run it on real folders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifestNamesFor, providerOfManifestText, type ProjectProvider } from '../../shared/projectProvider';

export type { ProjectProvider } from '../../shared/projectProvider';

/** Reads the nearest package.json (JS/TS) or pyproject.toml/requirements.txt (Python) above a file, re-read only when its modification time changes. */
export class ProjectProviders {
  private readonly cache = new Map<string, { mtimeMs: number; result: ProjectProvider | undefined }>();

  /**
   * The provider for a document: only JavaScript/TypeScript and Python files, from the nearest
   * manifest between the file's folder and `root` (the workspace folder; the file system root
   * when none). The nearest manifest decides, even when it names no provider.
   */
  forFile(filePath: string, languageId: string, root: string | undefined): ProjectProvider | undefined {
    const names = manifestNamesFor(languageId);
    if (names.length === 0 || !path.isAbsolute(filePath)) return undefined;
    const stop = root ? path.resolve(root) : undefined;
    for (let dir = path.dirname(path.resolve(filePath)); ; dir = path.dirname(dir)) {
      // pyproject.toml first; a folder with either is the project's, even when it names no provider.
      const found = names.map((name) => path.join(dir, name)).map((file) => [file, statOf(file)] as const).filter(([, stat]) => stat);
      // The first that names one provider, else the first that names several.
      let several: ProjectProvider | undefined;
      for (const [file, stat] of found) {
        const result = this.read(file, stat!.mtimeMs);
        if (result?.provider) return result;
        several ??= result;
      }
      if (found.length > 0) return several;
      if (dir === stop || path.dirname(dir) === dir || (stop !== undefined && !dir.startsWith(stop))) return undefined;
    }
  }

  private read(manifest: string, mtimeMs: number): ProjectProvider | undefined {
    const cached = this.cache.get(manifest);
    if (cached && cached.mtimeMs === mtimeMs) return cached.result;
    let result: ProjectProvider | undefined;
    try {
      result = providerOfManifestText(path.basename(manifest), fs.readFileSync(manifest, 'utf8'));
    } catch {
      // Unreadable (removed since the stat): no provider until it is back.
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
