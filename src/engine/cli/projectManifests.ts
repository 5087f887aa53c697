/**
 * The CLI's side of the project provider (src/shared/projectProvider.ts): for each file
 * `prompt scan` reads, the nearest package.json (JavaScript/TypeScript) or
 * pyproject.toml/requirements.txt (Python) above it, so that a prompt module that names no
 * provider is priced for the project's one provider SDK, as the editor prices it. The walk
 * goes up to the repository root (a folder holding `.git`) or the file system root: a scan of
 * `app/` still sees the project's manifest one level up, and a repository without one does not
 * borrow a stray manifest from the home folder. One answer per folder, cached for the run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifestNamesFor, providerOfManifestText, type ProjectProvider } from '../../shared/projectProvider';

export interface NearestManifest {
  /** The manifest that decided, relative to the working folder (as `prompt scan` shows the files it walks). */
  manifest: string;
  /** The provider it names; undefined when it names none or several. */
  provider: ProjectProvider | undefined;
}

export class NearestManifests {
  /** Per manifest kind and folder: the nearest manifest at or above it (null: none up to the stop). */
  private readonly byFolder = new Map<string, NearestManifest | null>();

  constructor(private readonly cwd = process.cwd()) {}

  /** The nearest manifest for a file of `languageId` (editor ids and the scanner's: `tsx`, `jsx`), or undefined for other languages and when there is none. */
  forFile(file: string, languageId: string): NearestManifest | undefined {
    const names = manifestNamesFor(languageId);
    if (names.length === 0) return undefined;
    const visited: string[] = [];
    let answer: NearestManifest | null = null;
    for (let dir = path.dirname(path.resolve(this.cwd, file)); ; dir = path.dirname(dir)) {
      const key = `${names[0]}\u0000${dir}`;
      const cached = this.byFolder.get(key);
      if (cached !== undefined) {
        answer = cached;
        break;
      }
      visited.push(key);
      const found = names.map((name) => path.join(dir, name)).filter(isFile);
      if (found.length > 0) {
        answer = this.decide(found);
        break;
      }
      if (exists(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
    }
    for (const key of visited) this.byFolder.set(key, answer);
    return answer ?? undefined;
  }

  /** The folder's manifests in order (pyproject.toml before requirements.txt): the first that names a provider, else the first that names several, else the first. */
  private decide(files: string[]): NearestManifest {
    let several: NearestManifest | undefined;
    for (const file of files) {
      const shown = this.shown(file);
      let provider: ProjectProvider | undefined;
      try {
        provider = providerOfManifestText(path.basename(file), fs.readFileSync(file, 'utf8'), shown);
      } catch {
        provider = undefined;
      }
      if (provider?.provider) return { manifest: shown, provider };
      if (provider) several ??= { manifest: shown, provider };
    }
    return several ?? { manifest: this.shown(files[0]), provider: undefined };
  }

  /** As `prompt scan` shows the files it walks: relative to the working folder. */
  private shown(file: string): string {
    return path.relative(this.cwd, file) || file;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function exists(file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch {
    return false;
  }
}
