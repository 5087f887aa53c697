/** Shared by the hardening tests (issue 11): the built CLI, scratch folders and generated binary files. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distDir, repoRoot } from '../../helpers/paths';

export const cli = path.join(distDir, 'cli.js');
export const samples = path.join(repoRoot, 'samples');
export const ragConfig = path.join(samples, 'rag', 'rag_pipeline.json');
export const ragQueries = path.join(samples, 'rag', 'queries.jsonl');
export const models = path.join(repoRoot, 'test', 'fixtures', 'models');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], options: { cwd?: string; input?: string | Buffer; timeout?: number } = {}): CliRun {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: options.cwd ?? repoRoot, input: options.input, encoding: 'utf8', timeout: options.timeout ?? 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pp-harden-'));
}

/** Seeded bytes from 1 to 255 (no NUL, so only the UTF-8 check can tell they are not text). */
export function randomBytesWithoutNul(length: number, seed = 11): Buffer {
  let s = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = 1 + ((s >>> 24) % 255);
  }
  return out;
}

export interface CliErrorJson {
  code: string;
  message: string;
  hint?: string;
}

/** The `error` object a failed run printed with --json. */
export function errorOf(r: CliRun): CliErrorJson {
  return (JSON.parse(r.stdout) as { error: CliErrorJson }).error;
}

export function jsonOf<T>(r: CliRun): T {
  return JSON.parse(r.stdout) as T;
}
