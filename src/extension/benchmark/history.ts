/**
 * The Benchmark panel's history: one JSON file per run under
 * `<globalStorage>/benchmark-runs/`, each written atomically (temporary file, fsync,
 * rename) so a crash never leaves half a run where the list expects a whole one. Files
 * that do not parse are skipped (and logged), never fatal. No `vscode` import: the folder
 * is passed in.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../shared/files';
import { BENCHMARK_KINDS, RunIdSchema, summaryOf, type RunRecord, type RunSummary } from '../../protocol/benchmark';
import { errorMessage } from '../../protocol/errors';

/** Runs kept; the oldest beyond this are deleted when a new one is saved. */
export const MAX_RUNS = 200;

export class RunHistory {
  private cache: Map<string, RunRecord> | undefined;

  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** A new run id: sortable by time, unique, and safe as a file name. */
  static newId(now = new Date()): string {
    return `${now.toISOString().replace(/[-:.TZ]/g, '').slice(0, 17)}-${randomBytes(3).toString('hex')}`;
  }

  /** Every run, newest first. */
  list(): RunSummary[] {
    return [...this.load().values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id)).map(summaryOf);
  }

  get(id: string): RunRecord | undefined {
    if (!RunIdSchema.safeParse(id).success) return undefined;
    return this.load().get(id);
  }

  save(record: RunRecord): void {
    if (!RunIdSchema.safeParse(record.id).success) throw new Error(`Invalid run id ${record.id}.`);
    fs.mkdirSync(this.dir, { recursive: true });
    writeFileAtomicSync(this.file(record.id), `${JSON.stringify(record, null, 2)}\n`);
    this.load().set(record.id, record);
    const all = this.list();
    for (const old of all.slice(MAX_RUNS)) this.delete(old.id);
  }

  delete(id: string): boolean {
    if (!RunIdSchema.safeParse(id).success) return false;
    this.load().delete(id);
    try {
      fs.unlinkSync(this.file(id));
      return true;
    } catch {
      return false;
    }
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private load(): Map<string, RunRecord> {
    if (this.cache) return this.cache;
    const runs = new Map<string, RunRecord>();
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      // No history yet.
    }
    for (const name of names) {
      try {
        const record = JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as RunRecord;
        if (!RunIdSchema.safeParse(record.id).success || `${record.id}.json` !== name || !(BENCHMARK_KINDS as readonly string[]).includes(record.kind) || !Array.isArray(record.metrics)) throw new Error('not a benchmark run');
        runs.set(record.id, record);
      } catch (error) {
        this.warn(`Skipped ${name} in the benchmark history: ${errorMessage(error)}.`);
      }
    }
    this.cache = runs;
    return runs;
  }
}
