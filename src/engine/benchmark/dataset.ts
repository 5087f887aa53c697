/**
 * Dataset loading for the benchmarks. JSONL is read line by line: a malformed line is
 * reported with its line number and skipped, and the rest still run. A `.json` file may
 * hold an array of the same records.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { EngineError } from '../../protocol/errors';

export interface LineError {
  line: number;
  message: string;
}

export interface DatasetLoad<T> {
  records: { line: number; value: T }[];
  errors: LineError[];
  source: string;
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
      errors.push({ line: i + 1, message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` });
    }
  });
  return { records, errors, source: _source };
}

/** Reads a JSONL or JSON dataset and validates each record; bad records become line errors. */
export function loadDataset<S extends z.ZodType>(path: string, schema: S, what: string): DatasetLoad<z.infer<S>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EngineError('notFound', `Cannot read the ${what} dataset ${path}${code ? ` (${code})` : ''}.`, 'Check the path; docs/benchmarks.md describes the formats.');
  }
  let raw: DatasetLoad<unknown>;
  if (path.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new EngineError('badRequest', `${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`, 'Use a JSON array of records, or JSONL (one record per line).');
    }
    if (!Array.isArray(parsed)) throw new EngineError('badRequest', `${path} must hold a JSON array of records.`);
    raw = { records: parsed.map((value, i) => ({ line: i + 1, value: value as unknown })), errors: [], source: path };
  } else {
    raw = parseJsonl(text, path);
  }
  return validateRecords(raw, schema);
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
