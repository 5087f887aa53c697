/**
 * Finding prompts in source files: `findPrompts(text, languageId, { fileName })` returns
 * every string literal (or prompt file, or Markdown block) judged to be a prompt sent to
 * an LLM, with exact ranges, its decoded text and placeholders, how it is quoted (for
 * rewriting with `encodeLiteralContent`), the model named in the same call, and the
 * evidence behind the verdict.
 */
import { MAX_SCAN_CHARS, type HostLanguage, type PromptKind, type PromptLocation } from '../../../protocol/scan';
import { buildLocations, type Candidate } from './build';
import { codeCandidates } from './code';
import { jsonCandidates, markdownCandidates, promptFileCandidates, promptFileSection, yamlCandidates } from './documents';
import { LineIndex } from './positions';

export { encodeLiteral, encodeLiteralContent, LiteralEncodeError } from './literalEncode';
export { sourceOffsetOf, sourceRangeOf } from './build';
export { PROMPT_THRESHOLD } from './evidence';
export { schemaFacts, webOnlyClasses, type SchemaFacts } from './projectSchemas';

/** Documents larger than this are not scanned (the editor shows a message instead). */
export { MAX_SCAN_CHARS };

export interface FindPromptsOptions {
  fileName?: string;
  /** Report only prompts at or above this confidence (0-1). */
  minConfidence?: number;
  /**
   * The Python classes of the file's project that web routes use and nothing passes to a model
   * (`webOnlyClasses` of projectSchemas.ts, built from every Python file of the project): their
   * `Field(description=…)` is API documentation, not a prompt. Without it, such a field is judged
   * on its own file alone.
   */
  webOnlyClasses?: ReadonlySet<string>;
  /**
   * Names of the file that other files of its project import and splice into prompts of theirs (`${commonRules}`,
   * `f"…{RULES}…"`, `RULES + "…"`: promptSends.ts `spliced`), with the first such file (relative to the project, for
   * people): a module-level literal bound to one of them is a piece of those prompts. Without it, judged on the file alone.
   */
  splicedElsewhere?: ReadonlyMap<string, string>;
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

/**
 * True for files that are prompts whole: `.prompt`, `.prompty`, `.jinja`, `.j2`, and `.txt`/`.md`
 * files in a folder of prompts (`prompts/`, `system_prompts/`, `agent-prompts/`: browser-use keeps
 * its agent's system prompts as `agent/system_prompts/system_prompt*.md`), except a folder's
 * README, CHANGELOG, LICENSE and other documents about the folder. Mustache, Handlebars and Liquid
 * templates in such a folder are prompts too (TinyTroupe renders `enrichment/prompts/enricher.system.mustache`
 * and `enricher.user.mustache` into the system and user messages; held-out round 11); elsewhere they are web views.
 */
export function isPromptFile(fileName: string): boolean {
  const lower = fileName.replace(/\\/g, '/').toLowerCase();
  if (/\.(prompt|prompty|jinja|jinja2|j2)$/.test(lower)) return !isRenderedFileTemplate(lower);
  if (!/(^|\/)([\w.-]*[_-])?prompts?\/([^/]+\/)*[^/]+\.(txt|md|mustache|hbs|handlebars|liquid)$/.test(lower)) return false;
  return !/(^|\/)(readme|changelog|changes|license|licence|contributing|code_of_conduct|security|index|notice|authors)(\.[^/]*)?$/.test(lower);
}

/**
 * A Jinja template that renders a file of another kind, not a prompt: a Dockerfile (OpenHands renders its sandbox image
 * from openhands/runtime/utils/runtime_templates/Dockerfile.j2: a 4,369-token "template prompt", newuser45), a Makefile,
 * or a file whose name before `.j2` carries a code or configuration extension (Ansible's `nginx.conf.j2`, `config.yaml.j2`,
 * `setup.sh.j2`, `index.html.j2`). A `.md.j2` or `.txt.j2` template is still a prompt file.
 */
const RENDERED_FILE_TEMPLATE =
  /(^|\/)(dockerfile|containerfile|makefile|jenkinsfile|vagrantfile|procfile|gemfile)(\.[^/]*)?\.(j2|jinja2?)$|\.(ya?ml|json|toml|ini|cfg|conf|env|sh|bash|zsh|ps1|bat|py|js|mjs|ts|go|rs|java|kt|rb|php|c|h|cc|cpp|cs|sql|xml|html?|css|scss|service|socket|timer|properties|tf|tfvars|hcl|dockerfile|nginx|repo|rules|csv|plist|lua)\.(j2|jinja2?)$/;

/** True for a Jinja template of a Dockerfile, a Makefile or a code or configuration file (`RENDERED_FILE_TEMPLATE`). */
export function isRenderedFileTemplate(fileName: string): boolean {
  return RENDERED_FILE_TEMPLATE.test(fileName.replace(/\\/g, '/').toLowerCase());
}

/**
 * A Storybook story (`Button.stories.tsx`, `Chat.story.ts`): components shown with demonstration data, in a UI catalog. Its
 * chat messages and templates are props of a component on a page, never sent to a model (langfuse's web/src had 112
 * prompts in 27 story files: `{ role: "user", content: "Where is my order?" }` in VariableMapping.stories.tsx, session 49).
 */
const STORY_FILE = /\.stor(?:y|ies)\.[cm]?[jt]sx?$/;

/** True for a Storybook story file (`STORY_FILE`). */
export function isStoryFile(fileName: string): boolean {
  return STORY_FILE.test(fileName.toLowerCase());
}

/** The scanner's language for a document, from its VS Code language id and file name; undefined when unsupported. */
export function scanLanguageOf(languageId: string | undefined, fileName: string | undefined): ScanLanguage | undefined {
  if (fileName && isRenderedFileTemplate(fileName)) return undefined;
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
  if (options.fileName !== undefined && isStoryFile(options.fileName)) return [];
  let candidates: Candidate[];
  try {
    candidates = candidatesFor(text, lang, options.fileName ?? '');
  } catch {
    // A parser failure on pathological input must not break the editor: report nothing.
    return [];
  }
  const webOnly = options.webOnlyClasses;
  if (webOnly && webOnly.size > 0) {
    for (const c of candidates) if (c.context.fieldClass !== undefined && webOnly.has(c.context.fieldClass)) c.context.negatives.push('webRecord');
  }
  if (options.splicedElsewhere && options.splicedElsewhere.size > 0) for (const c of candidates) markSplicedElsewhere(c, options.splicedElsewhere);
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
      return yamlCandidates(text, fileName);
    case 'json':
      return jsonCandidates(text, fileName);
    case 'markdown':
      return markdownCandidates(text);
    case 'promptFile':
      return promptFileSections(text, fileName);
    default: {
      const code = codeDialectOf(lang);
      return code ? codeCandidates(text, code.lang, code) : [];
    }
  }
}

/** A role line of a Jinja chat template, as promptflow writes them: `# system:`, `user:`. */
const JINJA_ROLE_LINE = /^[ \t]*(?:#[ \t]*)?(system|user|assistant|developer|human|ai)[ \t]*:[ \t]*$/gim;
const JINJA_FOR = /\{%-?\s*(for|endfor)\b[^%]*-?%\}/g;

function roleKind(role: string | undefined): PromptKind {
  if (role === 'system' || role === 'developer') return 'system';
  if (role === 'assistant' || role === 'ai') return 'assistant';
  return 'user';
}

/**
 * The candidates of a prompt file. A Jinja template with role lines (promptflow's `# system:`
 * / `# user:` chat templates) is split into one prompt per role section, and a `{% for %}`
 * loop holding role lines (the chat history replayed turn by turn) is one few-shot section;
 * other prompt files are split as documents.ts does (`.prompty`, `.prompt`) or kept whole.
 */
export function promptFileSections(src: string, fileName: string): Candidate[] {
  if (!/\.(jinja2?|j2)$/i.test(fileName)) return promptFileCandidates(src, fileName);
  const markers: Array<{ at: number; after: number; role: string }> = [];
  JINJA_ROLE_LINE.lastIndex = 0;
  for (let m = JINJA_ROLE_LINE.exec(src); m; m = JINJA_ROLE_LINE.exec(src)) {
    let after = m.index + m[0].length;
    if (src[after] === '\r') after++;
    if (src[after] === '\n') after++;
    markers.push({ at: m.index, after, role: m[1].toLowerCase() });
  }
  if (markers.length === 0) return promptFileCandidates(src, fileName);
  // Outermost `{% for %}…{% endfor %}` blocks.
  const loops: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let open = 0;
  JINJA_FOR.lastIndex = 0;
  for (let m = JINJA_FOR.exec(src); m; m = JINJA_FOR.exec(src)) {
    if (m[1] === 'for') {
      if (depth++ === 0) open = m.index;
    } else if (depth > 0 && --depth === 0) loops.push({ start: open, end: m.index + m[0].length });
  }
  const historyLoops = loops.filter((l) => markers.some((k) => k.at >= l.start && k.at < l.end));
  const inLoop = (at: number): boolean => historyLoops.some((l) => at >= l.start && at < l.end);
  // Section boundaries: role lines outside history loops, and the loops themselves.
  const cuts: Array<{ at: number; after: number; role?: string; loop?: boolean }> = [
    ...markers.filter((k) => !inLoop(k.at)),
    ...historyLoops.map((l) => ({ at: l.start, after: l.start, loop: true })),
  ].sort((a, b) => a.at - b.at);
  const sections: Array<{ start: number; end: number; role?: string; loop?: boolean }> = [];
  if (src.slice(0, cuts[0].at).trim()) sections.push({ start: 0, end: cuts[0].at });
  let role: string | undefined;
  for (const [i, cut] of cuts.entries()) {
    const next = i + 1 < cuts.length ? cuts[i + 1].at : src.length;
    if (cut.loop) {
      const loop = historyLoops.find((l) => l.start === cut.at) as { start: number; end: number };
      sections.push({ start: loop.start, end: loop.end, loop: true });
      // Text after the loop and before the next role line continues the role before the loop.
      if (loop.end < next) sections.push({ start: loop.end, end: next, role });
      continue;
    }
    role = cut.role;
    sections.push({ start: cut.after, end: next, role });
  }
  const candidates: Candidate[] = [];
  for (const section of sections) {
    const decoded = promptFileSection(src, section.start, section.end, 'jinja');
    if (!decoded) continue;
    const kind: PromptKind = section.loop ? 'fewShot' : roleKind(section.role);
    const detail = section.loop ? 'a loop replaying the chat history in a chat template' : section.role ? `the ${section.role} section of a chat template` : 'a prompt file';
    candidates.push({
      segments: [decoded],
      context: { keys: [], callees: [], negatives: [], imports: new Set() },
      verdict: { score: 2, kind, evidence: [{ kind: 'file', detail, weight: 2 }], confidence: 0.91 },
    });
  }
  return candidates;
}

/**
 * Marks a module-level literal bound to a name that other files splice into their prompts (`splicedElsewhere`): its
 * context (changed in place) names the first such file. Only a literal that is the name's whole value (not a value of
 * an object or an argument of a call). Whether it was marked.
 */
export function markSplicedElsewhere(c: Candidate, spliced: ReadonlyMap<string, string> | undefined): boolean {
  const name = c.context.boundName;
  if (spliced === undefined || name === undefined || c.context.topLevel !== true || c.context.keys.length > 0 || c.context.callees.length > 0) return false;
  const file = spliced.get(name);
  if (file === undefined) return false;
  c.context.splicedElsewhere = file;
  return true;
}
