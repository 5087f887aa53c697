/**
 * The model a document's project configures in a config file (src/shared/projectModel.ts:
 * MetaGPT's `config/config2.yaml` `llm.model`, a `.env` `OPENAI_MODEL=`), looked for from the
 * document's folder up to its workspace folder and named relative to that folder in the lens and
 * hover (`config/config2.yaml llm.model`). Config files are re-read only when they change on disk.
 *
 * Node's `fs` only (no `vscode`), so that unit tests can run it on real folders.
 */
import * as path from 'node:path';
import type { PriceCatalog } from '../../shared/cost/pricing';
import { ProjectModelFinder, type ProjectModel } from '../../shared/projectModel';

export class ProjectModels {
  /** One finder per workspace folder (it names files relative to that folder), for one catalog. */
  private finders = new Map<string, ProjectModelFinder>();
  private finderCatalog: PriceCatalog | undefined;

  /** The configured model for a file in `root` (its workspace folder; the file system root when none), checked against `catalog`. */
  forFile(filePath: string, root: string | undefined, catalog: PriceCatalog): ProjectModel | undefined {
    if (!path.isAbsolute(filePath)) return undefined;
    const stop = root ? path.resolve(root) : undefined;
    if (this.finderCatalog !== catalog) {
      this.finderCatalog = catalog;
      this.finders = new Map();
    }
    const key = stop ?? '';
    let finder = this.finders.get(key);
    if (!finder) {
      finder = new ProjectModelFinder(
        (model) => catalog.has(model),
        (file) => (stop && file.startsWith(stop + path.sep) ? path.relative(stop, file).split(path.sep).join('/') : file),
      );
      this.finders.set(key, finder);
    }
    const inside = stop !== undefined && path.resolve(filePath).startsWith(stop + path.sep);
    return finder.forFile(path.resolve(filePath), (dir) => !inside || dir === stop)?.model;
  }
}

/** The glob of the config files a project model is read from, for a file watcher. */
export const PROJECT_CONFIG_GLOB = '**/{config2.yaml,config.yaml,config.yml,config.ini,taskweaver_config.json,.env,config2.example.yaml,.env.example,.env.template,settings.py,config.py,defaults.py}';
