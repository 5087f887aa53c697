/**
 * Finding prompts in source files: `findPrompts(text, languageId, { fileName })` returns
 * every string literal (or prompt file, or Markdown block) judged to be a prompt sent to
 * an LLM, with exact ranges, its decoded text and placeholders, how it is quoted (for
 * rewriting with `encodeLiteralContent`), the model named in the same call, and the
 * evidence behind the verdict.
 */
import { MAX_SCAN_CHARS, type HostLanguage, type PromptLocation } from '../../../protocol/scan';
import { buildLocations, type Candidate } from './build';
import { codeCandidates } from './code';
import { jsonCandidates, markdownCandidates, promptFileCandidates, yamlCandidates } from './documents';
import { LineIndex } from './positions';

export { encodeLiteral, encodeLiteralContent, LiteralEncodeError } from './literals';
export { sourceOffsetOf } from './build';
export { PROMPT_THRESHOLD } from './evidence';

/** Documents larger than this are not scanned (the editor shows a message instead). */
export { MAX_SCAN_CHARS };

export interface FindPromptsOptions {
  fileName?: string;
  /** Report only prompts at or above this confidence (0-1). */
  minConfidence?: number;
}

export type ScanLanguage = 'python' | 'typescript' | 'tsx' | 'javascript' | 'jsx' | 'yaml' | 'json' | 'markdown' | 'promptFile';

const LANGUAGE_IDS: Record<string, ScanLanguage> = {
  python: 'python',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  javascript: 'javascript',
  javascriptreact: 'jsx',
  yaml: 'yaml',
  'github-actions-workflow': 'yaml',
  dockercompose: 'yaml',
  json: 'json',
  jsonc: 'json',
  jsonl: 'json',
  markdown: 'markdown',
  prompty: 'promptFile',
  prompt: 'promptFile',
  jinja: 'promptFile',
  'jinja-html': 'promptFile',
  handlebars: 'promptFile',
};

const EXTENSIONS: Record<string, ScanLanguage> = {
  py: 'python',
  pyi: 'python',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'jsx',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  jsonc: 'json',
  md: 'markdown',
  markdown: 'markdown',
  prompt: 'promptFile',
  prompty: 'promptFile',
  jinja: 'promptFile',
  jinja2: 'promptFile',
  j2: 'promptFile',
};

/** True for files that are prompts whole: `.prompt`, `.prompty`, `.jinja`, `.j2`, and `.txt`/`.md` files in a `prompts` folder. */
export function isPromptFile(fileName: string): boolean {
  const lower = fileName.replace(/\\/g, '/').toLowerCase();
  if (/\.(prompt|prompty|jinja|jinja2|j2)$/.test(lower)) return true;
  return /(^|\/)prompts?(\/|$)([^/]+\/)*[^/]+\.txt$/.test(lower);
}

/** The scanner's language for a document, from its VS Code language id and file name; undefined when unsupported. */
export function scanLanguageOf(languageId: string | undefined, fileName: string | undefined): ScanLanguage | undefined {
  if (fileName && isPromptFile(fileName)) return 'promptFile';
  const byId = languageId ? LANGUAGE_IDS[languageId.toLowerCase()] : undefined;
  if (byId) return byId;
  const ext = fileName ? /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() : undefined;
  return ext ? EXTENSIONS[ext] : undefined;
}

export function hostLanguageOf(lang: ScanLanguage): HostLanguage {
  if (lang === 'typescript' || lang === 'tsx' || lang === 'javascript' || lang === 'jsx') return 'javascript';
  return lang;
}

/** Text with NUL bytes or mostly control characters is binary, not source. */
export function looksBinary(text: string): boolean {
  const sample = text.length > 8192 ? text.slice(0, 8192) : text;
  if (sample.includes('\0')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 9 || (c > 13 && c < 32)) && c !== 27) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

/**
 * Finds the prompts in a document. Never throws on bad input: binary text, text over
 * `MAX_SCAN_CHARS` and unsupported languages give an empty list, and files with syntax
 * errors are scanned from the parser's error-tolerant tree.
 */
export function findPrompts(text: string, languageId: string | undefined, options: FindPromptsOptions = {}): PromptLocation[] {
  const lang = scanLanguageOf(languageId, options.fileName);
  if (!lang || text.length === 0 || text.length > MAX_SCAN_CHARS || looksBinary(text)) return [];
  let candidates: Candidate[];
  try {
    candidates = candidatesFor(text, lang, options.fileName ?? '');
  } catch {
    // A parser failure on pathological input must not break the editor: report nothing.
    return [];
  }
  return buildLocations(candidates, new LineIndex(text), options.minConfidence);
}

/** The grammar and dialect a source-code language is parsed with; undefined for documents (YAML, JSON, Markdown, prompt files). */
export function codeDialectOf(lang: ScanLanguage): { lang: 'python' | 'javascript'; typescript: boolean; jsx: boolean } | undefined {
  switch (lang) {
    case 'python':
      return { lang: 'python', typescript: false, jsx: false };
    case 'typescript':
      return { lang: 'javascript', typescript: true, jsx: false };
    case 'tsx':
      return { lang: 'javascript', typescript: true, jsx: true };
    case 'javascript':
    case 'jsx':
      return { lang: 'javascript', typescript: false, jsx: true };
    default:
      return undefined;
  }
}

function candidatesFor(text: string, lang: ScanLanguage, fileName: string): Candidate[] {
  switch (lang) {
    case 'yaml':
      return yamlCandidates(text);
    case 'json':
      return jsonCandidates(text);
    case 'markdown':
      return markdownCandidates(text);
    case 'promptFile':
      return promptFileCandidates(text, fileName);
    default: {
      const code = codeDialectOf(lang);
      return code ? codeCandidates(text, code.lang, code) : [];
    }
  }
}
