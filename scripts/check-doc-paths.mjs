#!/usr/bin/env node
/**
 * Finds repository paths named in documents, comments and configuration that no longer
 * exist: every `src/…`, `test/…`, `docs/…`, `bench/…` and `scripts/…` token in the files
 * below is checked against the tracked files. Written after the issue-13 moves left
 * references to old folders behind; run it by hand (`node scripts/check-doc-paths.mjs`)
 * after moving files. Exit code 1 when something is stale.
 *
 * A token may be a glob (`*`, `**`, `{a,b}`) or hold placeholders (`<area>`, `${name}`,
 * `…`), which stand for any one path segment. A path without an extension may name a
 * module (`src/engine/rpc` for rpc.ts) or a folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const tracked = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
const known = new Set(tracked);
for (const file of tracked) {
  // Every folder above a tracked file exists too.
  const parts = file.split('/');
  for (let i = 1; i < parts.length; i++) known.add(parts.slice(0, i).join('/'));
}
const all = [...known];

const SCANNED = [/^README\.md$/, /^CONTRIBUTING\.md$/, /^docs\/.*\.md$/, /^src\/.*\.tsx?$/, /^scripts\/[^/]*\.(m?js|ts)$/, /^bench\/.*\.ts$/, /^test\/.*\.(ts|js|mjs|json|md)$/, /^stryker\/.*\.(mjs|json)$/, /^\.vscodeignore$/, /^package\.json$/, /^[^/]*\.(m?js|json)$/, /^webview-ui\/[^/]*\.json$/, /^webview-ui\/src\/.*\.ts$/];
// Fixture sources hold made-up paths on purpose, and SOURCES.md files name files of the
// repositories the fixtures came from; the other notes (*.md) are documents like any other.
const files = tracked.filter((f) => SCANNED.some((re) => re.test(f)) && (!f.startsWith('test/fixtures/') || (f.endsWith('.md') && !f.endsWith('/SOURCES.md'))));

// A path token: a known top folder, then path characters. Not preceded by a path
// character, so `out/test/…`, `dist/…/src/…` and `node_modules/x/src/…` are not read as ours.
const TOKEN = /(?<![\w./@~-])(?:src|test|docs|bench|scripts)\/[\w.\-/*<>{},$…]+/g;
// The same paths written from inside src/ or test/ (`engine/<area>/handlers.ts`, `unit/<area>/…`).
// Only with a file extension or three segments, so that JSON-RPC method names such as
// `engine/info` and `prompt/scan` are not read as paths.
const BARE = /(?<![\w./@~-])(?:engine|extension|shared|protocol|unit|integration)\/[\w.\-/*<>{},$…]+/g;
const BARE_PREFIX = { engine: 'src', extension: 'src', shared: 'src', protocol: 'src', unit: 'test', integration: 'test' };

function escape(text) {
  return text.replace(/[.+?^()|[\]\\]/g, '\\$&');
}

/** The token as a regular expression over tracked paths. */
function pattern(token) {
  let re = '';
  for (let i = 0; i < token.length; i++) {
    const c = token[i];
    if (token.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (token.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '<') {
      const end = token.indexOf('>', i);
      re += '[^/]+';
      i = end < 0 ? token.length : end;
    } else if (c === '$' && token[i + 1] === '{') {
      const end = token.indexOf('}', i);
      re += '[^/]*';
      i = end < 0 ? token.length : end;
    } else if (c === '…') re += '[^/]*';
    else if (c === '{') {
      const end = token.indexOf('}', i);
      const options = token.slice(i + 1, end < 0 ? token.length : end).split(',');
      re += `(?:${options.map(escape).join('|')})`;
      i = end < 0 ? token.length : end;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function exists(token) {
  const candidates = [token, `${token}.ts`, `${token}.tsx`, `${token}/index.ts`];
  // A compiled test named by its source's path (out/ is stripped by the caller's wording).
  if (token.endsWith('.js')) candidates.push(token.replace(/\.js$/, '.ts'));
  if (!/[*<{$…]/.test(token)) return candidates.some((c) => known.has(c) || existsSync(c));
  return candidates.some((c) => {
    const re = pattern(c);
    return all.some((p) => re.test(p));
  });
}

function clean(raw) {
  // Sentence punctuation and markdown around the token, and a trailing slash.
  let token = raw.replace(/[.,:;]+$/, '').replace(/\/+$/, '');
  // An unbalanced closing brace or angle bracket belongs to the surrounding text.
  if ((token.match(/\{/g) ?? []).length < (token.match(/\}/g) ?? []).length) token = token.replace(/\}+$/, '');
  return token;
}

let stale = 0;
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, n) => {
    const tokens = [...line.matchAll(TOKEN)].map((m) => clean(m[0]));
    for (const m of line.matchAll(BARE)) {
      const token = clean(m[0]);
      if (!/\.[a-z]+$/.test(token) && token.split('/').length < 3) continue;
      tokens.push(`${BARE_PREFIX[token.split('/')[0]]}/${token}`);
    }
    for (const token of tokens) {
      if (token.split('/').length < 2 || token.endsWith('/')) continue;
      if (!exists(token)) {
        stale++;
        process.stdout.write(`${file}:${n + 1}: ${token}\n`);
      }
    }
  });
}
process.stdout.write(`${files.length} files checked, ${stale} stale path reference(s).\n`);
process.exitCode = stale > 0 ? 1 : 0;
