/**
 * Dataset loading for the benchmarks. JSONL is read line by line: a malformed line is
 * reported with its line number and skipped, and the rest still run. A `.json` file may
 * hold an array of the same records.
 */
import type { z } from 'zod';
import { EngineError, errorMessage } from '../../protocol/errors';
import { readTextFile } from '../../shared/textFile';

export interface LineError {
  line: number;
  message: string;
}

export interface DatasetLoad<T> {
  records: { line: number; value: T }[];
  errors: LineError[];
  source: string;
}

/**
 * Refuses a dataset name (a task of the model benchmark, an evaluation set of the quality
 * benchmark) that cannot be a key of the results: `__proto__` would set the prototype of
 * the object it is assigned on, so its dataset would run and vanish from the results (and
 * zod leaves it out of the records it parses). Names are also refused when empty.
 */
export function checkDatasetNames(names: Iterable<string>, what: string): void {
  for (const name of names) {
    if (name === '__proto__') throw new EngineError('badRequest', `"__proto__" cannot name a ${what}: it is the name of every object's prototype, so its results would be lost.`, 'Give the dataset another name.');
    if (name.trim() === '') throw new EngineError('badRequest', `A ${what} needs a name.`, 'Give name=path pairs.');
  }
}

export function parseJsonl(text: string, _source: string): DatasetLoad<unknown> {
  const records: { line: number; value: unknown }[] = [];
  const errors: LineError[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('//')) return;
    try {
      records.push({ line: i + 1, value: JSON.parse(line) as unknown });
    } catch (error) {
      errors.push({ line: i + 1, message: `not valid JSON (${errorMessage(error)})` });
    }
  });
  return { records, errors, source: _source };
}

/** Reads a JSONL or JSON dataset and validates each record; bad records become line errors. */
export function loadDataset<S extends z.ZodType>(path: string, schema: S, what: string): DatasetLoad<z.infer<S>> {
  const text = readTextFile(path, `${what} dataset`, 'JSONL (one JSON record per line) or a JSON array of records', (error) => {
    throw new EngineError('notFound', `Cannot read the ${what} dataset ${path}${error.code ? ` (${error.code})` : ''}.`, 'Check the path; docs/benchmarks.md describes the formats.');
  });
  let raw: DatasetLoad<unknown>;
  if (path.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new EngineError('badRequest', `The ${what} dataset ${path} is not valid JSON: ${errorMessage(error)}.`, 'Use a JSON array of records, or JSONL (one record per line).');
    }
    if (!Array.isArray(parsed)) throw new EngineError('badRequest', `The ${what} dataset ${path} must hold a JSON array of records${isPipelineConfig(parsed) ? ', but it is a pipeline config' : ''}.`, isPipelineConfig(parsed) ? 'Pass the pipeline config as the command\'s argument and the dataset (JSONL questions) separately.' : 'Use a JSON array of records, or JSONL (one record per line).');
    raw = { records: parsed.map((value, i) => ({ line: i + 1, value: value as unknown })), errors: [], source: path };
  } else {
    raw = parseJsonl(text, path);
  }
  return validateRecords(raw, schema);
}

/** An object with `components`: what a pipeline config holds, given where a dataset was expected. */
function isPipelineConfig(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'components' in value;
}

/**
 * The records of a dataset that must not be empty: when no record is usable, a badRequest
 * that names the dataset (never the pipeline config) and its first skipped lines.
 */
export function requireRecords<T>(load: DatasetLoad<T>, what: string, expected: string): DatasetLoad<T> {
  if (load.records.length > 0) return load;
  const first = load.errors.slice(0, 3).map((e) => `line ${e.line}: ${e.message}`).join('; ');
  const lines = `${load.errors.length} line${load.errors.length === 1 ? '' : 's'} skipped`;
  throw new EngineError('badRequest', `The ${what} dataset ${load.source} has no usable records${load.errors.length > 0 ? ` (${lines}; ${first})` : ' (it is empty)'}.`, `Each line should be ${expected}.`);
}

export function validateRecords<S extends z.ZodType>(raw: DatasetLoad<unknown>, schema: S): DatasetLoad<z.infer<S>> {
  const records: { line: number; value: z.infer<S> }[] = [];
  const errors = [...raw.errors];
  for (const { line, value } of raw.records) {
    const result = schema.safeParse(value);
    if (result.success) records.push({ line, value: result.data });
    else errors.push({ line, message: result.error.issues.slice(0, 2).map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ') });
  }
  errors.sort((a, b) => a.line - b.line);
  return { records, errors, source: raw.source };
}

export function describeLineErrors(load: { errors: LineError[]; source: string }): string[] {
  return load.errors.map((e) => `${load.source}:${e.line}: ${e.message} (line skipped)`);
}
