/**
 * Parsers load on first use: a user who only opens Python files never builds the
 * JavaScript grammar's tables, and activating the extension costs nothing. `require` is
 * deliberate here (esbuild keeps each module's initialisation lazy behind it, while a
 * static import would run it at start-up), and the types come from type-only imports.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { TreeFragment } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
import type * as YamlModule from 'yaml';
import type * as JsoncModule from 'jsonc-parser';

/** The part of markdown-it's API the scanner uses (its typings do not resolve under Node16 CommonJS). */
export interface MarkdownToken {
  type: string;
  map: [number, number] | null;
  info: string;
  content: string;
  markup: string;
}
interface MarkdownIt {
  parse(src: string, env: object): MarkdownToken[];
}

let python: LRParser | undefined;
let treeFragment: typeof TreeFragment | undefined;
const javascript = new Map<string, LRParser>();
let yaml: typeof YamlModule | undefined;
let jsonc: typeof JsoncModule | undefined;
let markdown: MarkdownIt | undefined;

export function loadPythonParser(): LRParser {
  python ??= (require('@lezer/python') as { parser: LRParser }).parser;
  return python;
}

/** Lezer's `TreeFragment`, for incremental re-parsing (incremental.ts). */
export function loadTreeFragment(): typeof TreeFragment {
  treeFragment ??= (require('@lezer/common') as { TreeFragment: typeof TreeFragment }).TreeFragment;
  return treeFragment;
}

export function loadJavaScriptParser(typescript: boolean, jsx: boolean): LRParser {
  const dialect = [typescript ? 'ts' : '', jsx ? 'jsx' : ''].filter(Boolean).join(' ');
  let parser = javascript.get(dialect);
  if (!parser) {
    const base = (require('@lezer/javascript') as { parser: LRParser }).parser;
    parser = dialect ? base.configure({ dialect }) : base;
    javascript.set(dialect, parser);
  }
  return parser;
}

export function loadYaml(): typeof YamlModule {
  yaml ??= require('yaml') as typeof YamlModule;
  return yaml;
}

export function loadJsonc(): typeof JsoncModule {
  jsonc ??= require('jsonc-parser') as typeof JsoncModule;
  return jsonc;
}

export function loadMarkdown(): MarkdownIt {
  if (!markdown) {
    const create = require('markdown-it') as (options?: { html?: boolean }) => MarkdownIt;
    markdown = create({ html: true });
  }
  return markdown;
}
