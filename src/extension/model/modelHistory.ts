/**
 * The Model Optimization panel's history: one JSON file, `<globalStorage>/model-runs.json`,
 * rewritten atomically (temporary file, fsync, rename) after each run, so a crash never
 * leaves half a list. Entries that do not look like runs are dropped (and logged), and a
 * file that does not parse is set aside, never fatal. No `vscode` import: the folder is
 * passed in.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../shared/files';
import { MODEL_OPERATIONS, ModelRunIdSchema, type ModelRunRecord } from '../../protocol/modelPanel';
import { errorMessage } from '../../protocol/errors';

/** Runs kept; the oldest beyond this are dropped when a new one is saved. */
export const MAX_MODEL_RUNS = 100;

export class ModelRunHistory {
  private cache: ModelRunRecord[] | undefined;

  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  get file(): string {
    return path.join(this.dir, 'model-runs.json');
  }

  /** A new run id: sortable by time, unique, and safe as a file name. */
  static newId(now = new Date()): string {
    return `${now.toISOString().replace(/[-:.TZ]/g, '').slice(0, 17)}-${randomBytes(3).toString('hex')}`;
  }

  /** Every run, newest first. */
  list(): ModelRunRecord[] {
    return [...this.load()];
  }

  get(id: string): ModelRunRecord | undefined {
    if (!ModelRunIdSchema.safeParse(id).success) return undefined;
    return this.load().find((r) => r.id === id);
  }

  save(record: ModelRunRecord): void {
    if (!ModelRunIdSchema.safeParse(record.id).success) throw new Error(`Invalid run id ${record.id}.`);
    const runs = [record, ...this.load().filter((r) => r.id !== record.id)].slice(0, MAX_MODEL_RUNS);
    this.write(runs);
  }

  delete(id: string): boolean {
    const runs = this.load();
    const kept = runs.filter((r) => r.id !== id);
    if (kept.length === runs.length) return false;
    this.write(kept);
    return true;
  }

  private write(runs: ModelRunRecord[]): void {
    fs.mkdirSync(this.dir, { recursive: true });
    writeFileAtomicSync(this.file, `${JSON.stringify({ version: 1, runs }, null, 1)}\n`);
    this.cache = runs;
  }

  private load(): ModelRunRecord[] {
    if (this.cache) return this.cache;
    let text: string | undefined;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      // No history yet.
    }
    const runs: ModelRunRecord[] = [];
    if (text !== undefined) {
      try {
        const parsed = JSON.parse(text) as { runs?: unknown };
        if (!Array.isArray(parsed.runs)) throw new Error('no "runs" list');
        for (const entry of parsed.runs as ModelRunRecord[]) {
          if (isRecord(entry)) runs.push(entry);
          else this.warn('Dropped an entry of the model-run history that is not a run.');
        }
      } catch (error) {
        const aside = `${this.file}.corrupt-${Date.now()}`;
        this.warn(`The model-run history ${this.file} could not be read (${errorMessage(error)}); it was moved to ${aside}.`);
        try {
          fs.renameSync(this.file, aside);
        } catch {
          // Leave it; the next save replaces it.
        }
      }
    }
    runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
    this.cache = runs;
    return runs;
  }
}

function isRecord(value: unknown): value is ModelRunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<ModelRunRecord>;
  return (
    typeof r.id === 'string' &&
    ModelRunIdSchema.safeParse(r.id).success &&
    typeof r.operation === 'string' &&
    (MODEL_OPERATIONS as readonly string[]).includes(r.operation) &&
    typeof r.startedAt === 'string' &&
    typeof r.outPath === 'string' &&
    (r.status === 'completed' || r.status === 'cancelled' || r.status === 'failed')
  );
}
