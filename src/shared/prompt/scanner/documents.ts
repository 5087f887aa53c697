/**
 * Prompts in data and document files: YAML (the `yaml` package's CST-backed nodes), JSON
 * (`jsonc-parser`), Markdown (`markdown-it` tokens: code fences under prompt headings, and
 * code fences in Python or JavaScript scanned as code) and prompt files, which are
 * prompts whole (`.prompty` and `.prompt` split into role sections after their front
 * matter).
 */
import type { Node as JsonNode } from 'jsonc-parser';
import type { LiteralQuoting, PromptKind } from '../../../protocol/scan';
import type { Candidate } from './candidate';
import { codeCandidates } from './code';
import { judge } from './evidence';
import type { LiteralContext, ModelRef } from './literalContext';
import type { DecodedLiteral } from './literals';
import { LineIndex } from './positions';
import { loadJsonc, loadMarkdown, loadYaml } from './parsers';

const MODEL_KEY = /^(model|model_?name|model_?id|modelId|engine|deployment_?name|azure_deployment|deployment)$/;
const NO_IMPORTS: ReadonlySet<string> = new Set();
const MESSAGE_KEY = /^(content|text|prompt)$/;

/**
 * Maps decoded text onto its source span greedily: equal characters form one-to-one runs;
 * source characters that produced nothing (quotes doubled, escapes, indentation) are
 * skipped. Exact for verbatim text, which is what diagnostics need.
 */
export function alignRuns(text: string, src: string, from: number, to: number, escapes = false): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  let i = 0;
  let k = from;
  while (i < text.length && k < to) {
    // A JSON or YAML double-quoted escape is skipped whole, with the characters it decodes to: the look-ahead below
    // took the "t" of "\t" for text and shifted what followed (a whitespace finding over "  \t  " left out its last
    // space, break34).
    const escape = escapes && src[k] === '\\' ? escapeAt(src, k, to) : undefined;
    if (escape) {
      i += escape.decoded;
      k += escape.length;
      continue;
    }
    if (text[i] === src[k]) {
      const last = runs[runs.length - 1];
      if (last && last[0] + last[2] === i && last[1] + last[2] === k) last[2]++;
      else runs.push([i, k, 1]);
      i++;
      k++;
      continue;
    }
    let look = k + 1;
    const limit = Math.min(to, k + 16);
    while (look < limit && src[look] !== text[i]) look++;
    if (look < limit && (src[k] === '\\' || /\s|'|"/.test(src[k]))) k = look;
    else {
      i++;
      k++;
    }
  }
  return runs;
}

/**
 * The escape sequence at `k` of a JSON string or a YAML double-quoted scalar: its length in the source and how many
 * UTF-16 units it decodes to (`\uD83D` one, YAML's `\U0001F600` two, an escaped line break with the indentation
 * after it none).
 */
function escapeAt(src: string, k: number, to: number): { length: number; decoded: number } | undefined {
  const next = src[k + 1];
  if (next === undefined || k + 1 >= to) return undefined;
  const hex = (n: number) => (/^[0-9a-fA-F]+$/.test(src.slice(k + 2, k + 2 + n)) && k + 2 + n <= to ? n : -1);
  if (next === 'u') return hex(4) === 4 ? { length: 6, decoded: 1 } : undefined;
  if (next === 'x') return hex(2) === 2 ? { length: 4, decoded: 1 } : undefined;
  if (next === 'U') return hex(8) === 8 ? { length: 10, decoded: parseInt(src.slice(k + 2, k + 10), 16) > 0xffff ? 2 : 1 } : undefined;
  if (next === '\r' || next === '\n') {
    const brk = /^\r?\n[ \t]*/.exec(src.slice(k + 1, to));
    return { length: 1 + (brk?.[0].length ?? 1), decoded: 0 };
  }
  return { length: 2, decoded: 1 };
}

function literal(src: string, start: number, end: number, contentStart: number, contentEnd: number, text: string, quoting: LiteralQuoting): DecodedLiteral {
  const escapes = quoting.style === 'jsonString' || quoting.style === 'yamlDouble';
  return { start, end, contentStart, contentEnd, quoting, text, runs: alignRuns(text, src, contentStart, contentEnd, escapes), interpolated: [] };
}

// ---------------------------------------------------------------- YAML

interface YamlScalarLike {
  value: unknown;
  type?: string;
  range?: [number, number, number] | null;
}

function yamlScalarLiteral(src: string, node: YamlScalarLike): DecodedLiteral | undefined {
  if (typeof node.value !== 'string' || !node.range) return undefined;
  const [start, valueEnd] = node.range;
  const text = node.value;
  switch (node.type) {
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return literal(src, start, valueEnd, start + 1, valueEnd - 1, text, { language: 'yaml', style: node.type === 'QUOTE_DOUBLE' ? 'yamlDouble' : 'yamlSingle', quote: node.type === 'QUOTE_DOUBLE' ? '"' : "'" });
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      const headerEnd = src.indexOf('\n', start);
      if (headerEnd < 0 || headerEnd >= valueEnd) return undefined;
      const contentStart = headerEnd + 1;
      let contentEnd = valueEnd;
      while (contentEnd > contentStart && /\s/.test(src[contentEnd - 1])) contentEnd--;
      const firstLine = /^[ \t]*(?=\S)/m.exec(src.slice(contentStart, contentEnd));
      let indent = firstLine ? firstLine[0] : '';
      const decoded = text.replace(/\n+$/, '');
      const quoting: LiteralQuoting = { language: 'yaml', style: node.type === 'BLOCK_LITERAL' ? 'yamlBlockLiteral' : 'yamlBlockFolded', indent };
      // An indentation indicator (`|2`, `>-2`, `|+1`): the first line's spaces beyond the block's indentation are its text.
      const indicator = /^[|>][-+]?([1-9])/.exec(src.slice(start, headerEnd));
      if (indicator) {
        const own = /^[ \t]*(?=\S)/m.exec(decoded)?.[0].length ?? 0;
        indent = indent.slice(0, Math.max(0, indent.length - own));
        Object.assign(quoting, { indent, indentIndicator: Number(indicator[1]) });
      }
      return literal(src, start, contentEnd, contentStart, contentEnd, decoded, quoting);
    }
    default:
      return literal(src, start, valueEnd, start, valueEnd, text, { language: 'yaml', style: 'yamlPlain' });
  }
}

/**
 * Nesting deeper than any hand-written configuration (`- - - - …` thousands deep, or
 * `[[[[…`) makes the `yaml` package exhaust memory compiling its indentation patterns, so
 * such documents are not scanned.
 */
export function yamlTooDeep(src: string, limit = 256): boolean {
  let prefix = 0;
  let atLineStart = true;
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\n') {
      atLineStart = true;
      prefix = 0;
      continue;
    }
    if (atLineStart) {
      if (c === ' ' || c === '\t' || c === '-' || c === '?' || c === ':') {
        if (++prefix > limit * 2) return true;
      } else atLineStart = false;
    }
    if (c === '[' || c === '{') {
      if (++depth > limit) return true;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return false;
}

/** A key that names a prompt template (`system_template`, `next_step_template`, `user_prompt`). */
const TEMPLATE_KEY = /(?:^|_)(?:template|prompt)$/i;
/**
 * The keys that make a map of templates one of prompts: a role's template or a prompt (SWE-agent's `system_template` and
 * `instance_template`), not `name_template`/`body_template` (a release-notes action's inputs) or `readme_template`.
 */
const PROMPT_TEMPLATE_KEY = /(?:^|_)(?:system|user|instance|human|assistant)_template$|(?:^|_)prompt$/i;
/** Templates of a name, a path or a tag (`name_template`, `path_template`, `tag_template`): never a prompt's text. */
const NAMING_TEMPLATE_KEY = /^(?:name|tag|path|file|filename|dir|url|title|id|version|branch|image|label)_template$/i;
/** Prose: eight words or more in a row. */
const PROSE = /(?:\b[A-Za-z][\w'-]*[ \t]+){7}[A-Za-z]/;

/**
 * A GitHub Actions workflow (top-level `jobs:`) or action (`runs:` with `using:` or `steps:`): its steps' `run:` scripts
 * are shell, `with: script:` is actions/github-script's JavaScript, and `description:` documents an input, an output or
 * the action for GitHub's UI. None is sent to a model (graphiti's socket-firewall workflow: a 768-token `run: |` script
 * was a template prompt, its action's input descriptions tool prompts, newuser36). A step's `with: prompt:` (an LLM
 * action's input) is still read.
 */
function githubActionsDocument(YAML: ReturnType<typeof loadYaml>, contents: unknown): boolean {
  if (!YAML.isMap(contents)) return false;
  const top = new Map<string, unknown>();
  for (const pair of contents.items) if (YAML.isScalar(pair.key)) top.set(String(pair.key.value), pair.value);
  if (top.has('jobs') && (top.has('on') || top.has('true'))) return YAML.isMap(top.get('jobs'));
  const runs = top.get('runs');
  return YAML.isMap(runs) && runs.items.some((pair) => YAML.isScalar(pair.key) && (pair.key.value === 'using' || pair.key.value === 'steps'));
}

/** The element types of a GitHub issue or discussion form's `body`. */
const ISSUE_FORM_TYPES = new Set(['markdown', 'textarea', 'input', 'dropdown', 'checkboxes']);

/**
 * A GitHub issue or discussion form (`.github/ISSUE_TEMPLATE/bug-report.yml`): a top-level `body:` list of elements, each
 * a map with a `type:` of the form schema (markdown, textarea, input, dropdown, checkboxes). Its labels, descriptions,
 * placeholders and markdown are shown to the people who file an issue, never sent to a model (15 such texts in 54 forms
 * of the mirrored LLM apps were prompts: langgraphjs's bug report, pipecat's form descriptions as tool prompts).
 */
function issueFormDocument(YAML: ReturnType<typeof loadYaml>, contents: unknown): boolean {
  if (!YAML.isMap(contents)) return false;
  const body = contents.items.find((pair) => YAML.isScalar(pair.key) && pair.key.value === 'body')?.value;
  if (!YAML.isSeq(body) || body.items.length === 0) return false;
  return body.items.every((item) => {
    if (!YAML.isMap(item)) return false;
    const type = item.items.find((pair) => YAML.isScalar(pair.key) && pair.key.value === 'type')?.value;
    return YAML.isScalar(type) && typeof type.value === 'string' && ISSUE_FORM_TYPES.has(type.value);
  });
}

/** The keys of a GitHub Actions document whose values are never prompts (see githubActionsDocument). */
function githubActionsNonPrompt(ownKey: string, keys: readonly string[]): boolean {
  return ownKey === 'run' || ownKey === 'description' || (ownKey === 'script' && keys[1] === 'with');
}

/** The keys of an lm-evaluation-harness task config beside its `task:` name (the dataset, the prompt, the metrics). */
const EVAL_TASK_KEY = /^(?:doc_to_(?:text|target|choice)|dataset_(?:path|name)|output_type|metric_list|fewshot_config|generation_kwargs|test_split)$/;
/** Jinja markup: a `{{ value }}`, a `{% tag %}` or a `{# comment #}`. */
const JINJA_MARKUP = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;

/**
 * The parts of an evaluation task's prompt in an lm-evaluation-harness task config (a map with `task:` and the keys of one,
 * EVAL_TASK_KEY; held-out round 13, `cruxeval_input.yaml`): `doc_to_text` is the Jinja template of each question and
 * `doc_to_target` that of the answers of its few-shot examples (and the live answer's opening), both sent to the model, as
 * the `description` placed before them is. A template counts when it has text of its own beside its Jinja markup
 * (`"Question: {{question}}\nAnswer:"`, not `"{{answer}}"`, nor a column name `answer`, nor `!function utils.f`).
 */
function evaluationTaskPrompt(ownKey: string, value: string, siblings: readonly string[]): string | undefined {
  if (!/^(?:doc_to_text|doc_to_target|description)$/.test(ownKey) || !siblings.includes('task') || !siblings.some((k) => EVAL_TASK_KEY.test(k))) return undefined;
  if (ownKey === 'description') return (value.match(/[A-Za-z]{2,}/g) ?? []).length >= 3 ? 'the description placed before the questions of an evaluation task' : undefined;
  if (!/\{\{|\{%/.test(value) || !/[A-Za-z]{2,}/.test(value.replace(JINJA_MARKUP, ' '))) return undefined;
  return ownKey === 'doc_to_text' ? 'the template of the questions of an evaluation task (doc_to_text)' : 'the template of the answers of an evaluation task (doc_to_target)';
}

/**
 * A pydantic-evals dataset (`cases:`, each case a map with `inputs`, `expected_output`, `metadata`, `evaluators`): pydantic-ai's
 * examples/pydantic_ai_examples/evals/datasets/time_range_v2.yaml, `cases: - name: Single day mention / inputs: / prompt: I
 * want to see logs from 2021-05-08`. A case's inputs and expected output are test data that the evaluation feeds to the task
 * (the annotation guide's "test inputs"), not prompts of the app: 20 "user prompts" in examples/ (finding49). An evaluator's
 * rubric (`LLMJudge: rubric: …`) is still read: it is what the judge model is told.
 */
function evalDatasetDocument(YAML: ReturnType<typeof loadYaml>, contents: unknown): boolean {
  if (!YAML.isMap(contents)) return false;
  const cases = contents.get('cases', true);
  if (!YAML.isSeq(cases) || cases.items.length === 0) return false;
  return cases.items.every((item) => YAML.isMap(item) && item.has('inputs'));
}

/** Steps spent reading the maps and sequences around YAML strings, and the objects and arrays around JSON strings (tests count them). */
export const yamlWork = { steps: 0 };
export const jsonWork = { steps: 0 };

/** A file named for its prompts: `code_generator_prompt_plugin_only.yaml`, `prompts.yml`, `planner-prompt.yaml`. */
const PROMPT_FILE_NAME = /(?:^|[_.-])prompts?(?:[_.-]|$)/i;

/**
 * The `intro` of a role beside its `alias` or `name` (TaskWeaver's `*.role.yaml`: the planner writes each worker's intro
 * into its system prompt; all seven were missed, newuser47). The top-level block of prose of a file named for its prompts
 * (TaskWeaver's code_generator_prompt_plugin_only.yaml: `content: |-` of 34 words with `{ROLE_NAME}`, the code
 * generator's system prompt, missed while its longer siblings in code_generator_prompt.yaml were found) is weighed in
 * build.ts, after the text: it only lifts what falls short, and leaves the kind the text says.
 */
function roleIntro(keys: readonly string[], siblings: readonly string[], value: string): string | undefined {
  if ((value.match(/[A-Za-z]{2,}/g) ?? []).length < 6) return undefined;
  if (keys.length === 1 && keys[0] === 'intro' && siblings.some((k) => k === 'alias' || k === 'name')) return 'the intro of a role, which the planner writes into its system prompt';
  return undefined;
}

/** The name of a file named for its prompts, for a top-level block scalar of it (`LiteralContext.promptFile`; build.ts weighs it). */
function promptFileOf(fileName: string, keys: readonly string[], style: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return keys.length === 1 && (style === 'yamlBlockLiteral' || style === 'yamlBlockFolded') && PROMPT_FILE_NAME.test(base.replace(/\.ya?ml$/i, '')) ? base : undefined;
}

export function yamlCandidates(src: string, fileName = ''): Candidate[] {
  const candidates: Candidate[] = [];
  if (yamlTooDeep(src)) return candidates;
  const YAML = loadYaml();
  let docs: ReturnType<typeof YAML.parseAllDocuments>;
  try {
    docs = YAML.parseAllDocuments(src, { prettyErrors: false, uniqueKeys: false, strict: false });
  } catch {
    return candidates;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  // What each map says to the strings under it (its role, its model, its keys) and each item's place in its sequence, read
  // once per map: read again for each string, a catalog of n prompts under one map took n² steps (break40: 10,000 lines,
  // 1.3 s on each edit).
  type YamlMap = { items: Array<{ key: unknown; value: unknown }> };
  let currentDoc: (typeof list)[number] | undefined;
  const mapFacts = new Map<unknown, { role?: string; model?: { name: string; start: number; end: number }; siblingKeys: string[]; textKeys: string[]; typeText?: string }>();
  const factsOf = (map: YamlMap) => {
    let facts = mapFacts.get(map);
    if (facts) return facts;
    facts = { siblingKeys: [], textKeys: [] };
    for (const pair of map.items) {
      yamlWork.steps++;
      const k = YAML.isScalar(pair.key) ? String(pair.key.value) : '';
      facts.siblingKeys.push(k);
      if (YAML.isScalar(pair.value) && typeof pair.value.value === 'string') facts.textKeys.push(k);
      if (k === 'type' && facts.typeText === undefined && YAML.isScalar(pair.value) && typeof pair.value.value === 'string') facts.typeText = pair.value.value;
      if (!YAML.isScalar(pair.key)) continue;
      if (k === 'role' && facts.role === undefined && YAML.isScalar(pair.value)) facts.role = String(pair.value.value);
      if (MODEL_KEY.test(k) && !facts.model && YAML.isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.range) {
        facts.model = { name: pair.value.value, start: pair.value.range[0], end: pair.value.range[1] };
      }
      // A model's settings as a map of their own, its name inside (SWE-agent's configs: `agent: { templates: {…},
      // model: { name: claude-sonnet-4-20250514, per_instance_cost_limit: 3 } }`): the templates beside it are sent to
      // that model (newuser49: config/demo/default.yaml's were priced as the default model).
      // (`model: *model`, an alias of the first agent's `model: &model {name: …}`, is that map: 250212_sweagent_heavy_sbl.yaml.)
      const settings = YAML.isAlias(pair.value) && currentDoc ? pair.value.resolve(currentDoc) : pair.value;
      if (k === 'model' && !facts.model && YAML.isMap(settings)) {
        const named = (settings as YamlMap).items.find((p) => YAML.isScalar(p.key) && /^(name|model|model_?name|id)$/.test(String(p.key.value)));
        const value = named?.value;
        if (YAML.isScalar(value) && typeof value.value === 'string' && value.value.length > 0 && value.range) facts.model = { name: value.value, start: value.range[0], end: value.range[1] };
      }
    }
    mapFacts.set(map, facts);
    return facts;
  };
  const positions = new Map<unknown, number>();
  const indexIn = (seq: { items: unknown[] }, item: unknown): number => {
    if (!positions.has(item)) {
      seq.items.forEach((other, i) => positions.set(other, i));
      yamlWork.steps += seq.items.length;
    }
    yamlWork.steps++;
    return positions.get(item) ?? -1;
  };
  for (const doc of list) {
    currentDoc = doc;
    if (issueFormDocument(YAML, doc.contents)) continue;
    const actions = githubActionsDocument(YAML, doc.contents);
    const dataset = evalDatasetDocument(YAML, doc.contents);
    YAML.visit(doc, {
      Scalar(key, node, path) {
        if (key === 'key' || typeof node.value !== 'string' || node.value.length === 0) return;
        const owner = path[path.length - 1];
        if (actions && YAML.isPair(owner) && YAML.isScalar(owner.key)) {
          const keys: string[] = [];
          for (let i = path.length - 1; i >= 0; i--) {
            const item = path[i];
            if (YAML.isPair(item) && YAML.isScalar(item.key)) keys.push(String(item.key.value));
          }
          if (githubActionsNonPrompt(String(owner.key.value), keys)) return;
        }
        if (node.value.length < 8 && !(YAML.isPair(owner) && YAML.isScalar(owner.key) && MESSAGE_KEY.test(String(owner.key.value)))) return;
        const decoded = yamlScalarLiteral(src, node);
        if (!decoded) return;
        const ctx: LiteralContext = { keys: [], callees: [], negatives: [], imports: NO_IMPORTS };
        const names: string[] = [];
        for (let i = path.length - 1; i >= 0; i--) {
          const item = path[i];
          if (YAML.isPair(item) && YAML.isScalar(item.key)) {
            const k = String(item.key.value);
            ctx.keys.push(k);
            names.unshift(k);
          }
          if (YAML.isMap(item)) {
            const facts = factsOf(item);
            if (facts.role !== undefined && ctx.role === undefined && i === path.length - 2) ctx.role = facts.role;
            if (facts.model && !ctx.model) ctx.model = { ...facts.model };
            const seq = path[i - 1];
            if (YAML.isSeq(seq) && ctx.messageList === undefined && i === path.length - 2) ctx.messageList = { id: seq.range?.[0] ?? i, index: indexIn(seq, item) };
          }
        }
        if (dataset && names[0] === 'cases' && /^(inputs|expected_output|metadata)$/.test(names[1] ?? '')) return;
        if (names.length > 0) ctx.boundName = names.join('.');
        const ownerMap = path[path.length - 2];
        if (YAML.isPair(owner) && YAML.isMap(ownerMap)) {
          // (Shared by the map's strings: nothing writes into these lists.)
          const facts = factsOf(ownerMap);
          ctx.siblingKeys = facts.siblingKeys;
          ctx.textKeys = facts.textKeys;
          if (facts.typeText !== undefined) ctx.typeText = facts.typeText;
          // SWE-agent's `agent.templates`: `next_step_template: "OBSERVATION:\n{{observation}}"` is short, but it is one of a
          // map of prompt templates, beside prose ones (system_template, instance_template) that are sent to the model too.
          const ownKey = YAML.isScalar(owner.key) ? String(owner.key.value) : '';
          if (TEMPLATE_KEY.test(ownKey) && !NAMING_TEMPLATE_KEY.test(ownKey) && ownerMap.items.some((pair) => pair !== owner && YAML.isScalar(pair.key) && PROMPT_TEMPLATE_KEY.test(String(pair.key.value)) && YAML.isScalar(pair.value) && typeof pair.value.value === 'string' && PROSE.test(pair.value.value))) {
            ctx.promptHolder = `one of a map of prompt templates (${ctx.siblingKeys.filter((k) => TEMPLATE_KEY.test(k)).slice(0, 3).join(', ')})`;
          }
          const taskPart = evaluationTaskPrompt(ownKey, node.value, ctx.siblingKeys);
          if (taskPart) ctx.promptHolder ??= taskPart;
          const intro = roleIntro(ctx.keys, ctx.siblingKeys, node.value);
          if (intro) ctx.promptHolder ??= intro;
          const promptFile = promptFileOf(fileName, ctx.keys, decoded.quoting.style);
          if (promptFile) ctx.promptFile = promptFile;
        }
        candidates.push({ segments: [decoded], context: ctx });
      },
    });
  }
  return candidates;
}

// ---------------------------------------------------------------- JSON

/** A language tag as i18n catalogs key their translations: `en`, `ja`, `zh-CN`, `pt_BR`, `sr-Latn`, `es-419`. */
const LOCALE_CODE = /^[a-z]{2,3}(?:[-_](?:[A-Za-z]{2}|[A-Z][a-z]{3}|\d{3}))*$/;
/** A folder of translations: `locale/`, `locales/`, Chrome's `_locales/`, `i18n/`, `l10n/`, `lang/`, `languages/`, `translations/`. */
const TRANSLATION_DIR = /^_?(?:locales?|i18n|l10n|langs?|languages|translations?)$/i;

/**
 * A JSON file of one language's UI strings, known from its path: a file under a language's folder in a folder of
 * translations (`app/src/assets/locale/en/settings.json`, `public/locales/zh-CN/common.json`, `_locales/en/messages.json`), or
 * named for its language there (`i18n/en.json`, `locales/pt-BR.json`). page-assist/src/assets/locale/<lang>/*.json
 * ("managePrompts.systemPrompt": "System Prompt", "rag.prompt.webSearchPromptHelp": "Do not remove `{search_results}` from
 * the prompt.") were 237 of the 293 prompts of the repository, 17 languages × ~14 labels (newuser51).
 */
export function localeCatalogFile(fileName: string): boolean {
  const parts = fileName.split(/[\\/]/).filter((p) => p !== '');
  const base = parts.pop() ?? '';
  if (!/\.json[c5l]?$/i.test(base)) return false;
  for (let i = 0; i + 1 < parts.length; i++) if (TRANSLATION_DIR.test(parts[i]) && LOCALE_CODE.test(parts[i + 1])) return true;
  return parts.length > 0 && TRANSLATION_DIR.test(parts[parts.length - 1]) && LOCALE_CODE.test(base.replace(/\.[^.]+$/, ''));
}

/**
 * How many translated entries make an object a catalog of UI strings. A prompt catalog may give a few prompts in
 * several languages (`{"system": {"en": "You are…", "zh": "你是…"}}`); a UI catalog has hundreds of entries.
 */
const UI_CATALOG_ENTRIES = 20;

/**
 * A JSON Schema document: a file whose root is a schema, naming a json-schema.org meta-schema in `$schema` (`"$schema":
 * "http://json-schema.org/draft-07/schema"`) or holding its definitions and properties (`$defs`/`definitions` beside
 * `properties`) with no tool around it (`name`, `parameters`, `input_schema`, `function`). Its `description`s are no tool
 * or parameter descriptions: a schema describes a tool's parameters to a model only when the code sends it as a tool, and
 * a file is sent so by the code that reads it, which it does not show. Decided from the code that reads such files
 * (finding49): TaskWeaver's taskweaver/plugin/*.schema.json go to `jsonschema.validate` (utils/__init__.py
 * `validate_yaml`: 29 "tool" prompts, "The name of the plugin"); pydantic-ai's evals/datasets/time_range_v2_schema.json is
 * the schema an editor checks the dataset YAML against (`# yaml-language-server: $schema=time_range_v2_schema.json`);
 * crewAI's a2ui/schema/v0_9/*.json are `json.dumps`-ed into a system prompt (a2ui/prompt.py `SCHEMA:\n{schema_json}`), a
 * runtime value of that prompt, not tool descriptions (dropped once in 6d0f42d4 for them: 158 "tool" prompts).
 */
function jsonSchemaDocument(root: JsonNode): boolean {
  if (root.type !== 'object') return false;
  const keys = new Map<string, JsonNode | undefined>();
  for (const prop of root.children ?? []) if (typeof prop.children?.[0]?.value === 'string') keys.set(prop.children[0].value, prop.children[1]);
  const meta = keys.get('$schema');
  if (meta?.type === 'string' && /^https?:\/\/json-schema\.org\//.test(String(meta.value))) return true;
  return (keys.has('$defs') || keys.has('definitions')) && keys.get('properties')?.type === 'object' && !['name', 'parameters', 'input_schema', 'inputSchema', 'function', 'functions', 'tools'].some((k) => keys.has(k));
}

export function jsonCandidates(src: string, fileName = ''): Candidate[] {
  const jsonc = loadJsonc();
  const root = jsonc.parseTree(src, [], { allowTrailingComma: true, disallowComments: false });
  const candidates: Candidate[] = [];
  if (!root || jsonSchemaDocument(root)) return candidates;
  const uiFile = localeCatalogFile(fileName);
  const stack: JsonNode[] = [root];
  // As in YAML (break40): what each object says to the strings under it, and each item's place in its array, read once.
  const objectFacts = new Map<JsonNode, { role?: string; model?: { name: string; start: number; end: number }; siblingKeys: string[]; textKeys: string[]; typeText?: string }>();
  const factsOf = (object: JsonNode) => {
    let facts = objectFacts.get(object);
    if (facts) return facts;
    facts = { siblingKeys: [], textKeys: [] };
    for (const prop of object.children ?? []) {
      jsonWork.steps++;
      const k = prop.children?.[0]?.value as unknown;
      const v = prop.children?.[1];
      const name = String(prop.children?.[0]?.value ?? '');
      facts.siblingKeys.push(name);
      if (v?.type === 'string') facts.textKeys.push(name);
      if (name === 'type' && facts.typeText === undefined && v?.type === 'string') facts.typeText = String(v.value);
      if (k === 'role' && facts.role === undefined && v?.type === 'string') facts.role = String(v.value);
      if (typeof k === 'string' && MODEL_KEY.test(k) && !facts.model && v?.type === 'string') facts.model = { name: String(v.value), start: v.offset, end: v.offset + v.length };
    }
    objectFacts.set(object, facts);
    return facts;
  };
  // An i18n catalog of UI strings, each entry an object of its translations (OpenHands' frontend/src/i18n/translation.json:
  // `"LANDING$CHANGE_PROMPT": {"en": "What would you like to change in {{repo}}?", "ja": …}`, ~1,000 entries; newuser45).
  const localeMaps = new Map<JsonNode, boolean>();
  const isLocaleMap = (object: JsonNode): boolean => {
    let yes = localeMaps.get(object);
    if (yes === undefined) {
      const keys = factsOf(object).siblingKeys;
      yes = keys.length >= 3 && keys.every((k) => LOCALE_CODE.test(k)) && keys.some((k) => /^en(?:[-_]|$)/.test(k));
      localeMaps.set(object, yes);
    }
    return yes;
  };
  const catalogs = new Map<JsonNode, boolean>();
  const isUiCatalog = (object: JsonNode): boolean => {
    let yes = catalogs.get(object);
    if (yes === undefined) {
      let entries = 0;
      for (const prop of object.children ?? []) {
        const v = prop.children?.[1];
        if (v?.type === 'object' && isLocaleMap(v) && ++entries >= UI_CATALOG_ENTRIES) break;
      }
      yes = entries >= UI_CATALOG_ENTRIES;
      catalogs.set(object, yes);
    }
    return yes;
  };
  const positions = new Map<JsonNode, number>();
  const indexIn = (array: JsonNode, item: JsonNode): number => {
    if (!positions.has(item)) {
      (array.children ?? []).forEach((other, i) => positions.set(other, i));
      jsonWork.steps += array.children?.length ?? 0;
    }
    jsonWork.steps++;
    return positions.get(item) ?? 0;
  };
  let visited = 0;
  while (stack.length > 0 && visited++ < 2_000_000) {
    const node = stack.pop() as JsonNode;
    if (node.children) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    if (node.type !== 'string' || typeof node.value !== 'string' || node.value.length === 0) continue;
    const parent = node.parent;
    // Short strings are prompts only as message contents; skipping the rest keeps big JSON files cheap.
    if (node.value.length < 8 && !(parent?.type === 'property' && MESSAGE_KEY.test(String(parent.children?.[0]?.value)))) continue;
    if (parent?.type === 'property' && parent.children?.[0] === node) continue;
    const start = node.offset;
    const end = node.offset + node.length;
    const decoded = literal(src, start, end, start + 1, end - 1, node.value, { language: 'json', style: 'jsonString', quote: '"' });
    const ctx: LiteralContext = { keys: [], callees: [], negatives: [], imports: NO_IMPORTS };
    const names: string[] = [];
    let child: JsonNode = node;
    for (let p = node.parent; p; child = p, p = p.parent) {
      if (p.type === 'property' && p.children?.[0]) {
        const k = String(p.children[0].value);
        ctx.keys.push(k);
        names.unshift(k);
      }
      if (p.type === 'object') {
        const facts = factsOf(p);
        if (facts.role !== undefined && ctx.role === undefined && child.type === 'property' && p === node.parent?.parent) ctx.role = facts.role;
        if (facts.model && !ctx.model) ctx.model = { ...facts.model };
        if (p.parent?.type === 'array' && ctx.messageList === undefined && p === node.parent?.parent) ctx.messageList = { id: p.parent.offset, index: indexIn(p.parent, p) };
      }
    }
    if (names.length > 0) ctx.boundName = names.join('.');
    const ownerObject = parent?.type === 'property' ? parent.parent : undefined;
    if (ownerObject?.type === 'object') {
      // (Shared by the object's strings: nothing writes into these lists.)
      const facts = factsOf(ownerObject);
      ctx.siblingKeys = facts.siblingKeys;
      ctx.textKeys = facts.textKeys;
      if (facts.typeText !== undefined) ctx.typeText = facts.typeText;
      // A Chrome extension locale (`messages.json`): `"placeholders": {"task": {"content": "$1", "example": "…"}}`, the
      // sample a translator sees in place of the value (nanobrowser's packages/i18n/locales, 26 "few-shot" lenses; newuser41).
      if (ctx.keys[0] === 'example' && ctx.keys[2] === 'placeholders' && facts.siblingKeys.includes('content')) ctx.negatives.push('localeExample');
      const catalog = ownerObject.parent?.type === 'property' ? ownerObject.parent.parent : undefined;
      if (catalog?.type === 'object' && isLocaleMap(ownerObject) && isUiCatalog(catalog)) ctx.negatives.push('uiCatalog');
    }
    if (uiFile && !ctx.negatives.includes('uiCatalog')) ctx.negatives.push('uiCatalog');
    candidates.push({ segments: [decoded], context: ctx });
  }
  return candidates;
}

// ---------------------------------------------------------------- Markdown

const PROMPT_FENCE_INFO = /^(prompt|prompty|system|user|jinja2?|j2|mustache|handlebars|hbs|liquid|text|txt|plaintext|plain|md|markdown|)$/i;
const PROMPT_HEADING = /\b(prompts?|system (message|instructions?)|instructions?|template|persona)\b/i;

/** Lines that only set environment variables (`KEY=value`, `export KEY=value`, `# comments`), at least one. */
const ENV_BLOCK = /^(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]*=[^\n]*(?:\n[ \t]*(?:(?:export[ \t]+)?[A-Z][A-Z0-9_]*=[^\n]*|#[^\n]*)?)*$/;

/** A line of a drawn directory tree: `├── src/`, `│   └── index.ts  # entry`, `|-- docs`, `` `-- README.md ``. */
const TREE_LINE = /^[ \t│|]*(?:[├└]──|\|--|`--|\+--)/;

/** Text that is a directory tree: a root line at most, then at least two lines, nearly all of them tree branches. */
export function isDirectoryTree(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 3) return false;
  const branches = lines.filter((l) => TREE_LINE.test(l)).length;
  return branches >= 2 && branches >= (lines.length - 1) * 0.8;
}

export function markdownCandidates(src: string): Candidate[] {
  const md = loadMarkdown();
  const index = new LineIndex(src);
  const candidates: Candidate[] = [];
  const tokens = md.parse(src, {});
  let heading = '';
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    if (token.type === 'heading_open') {
      heading = tokens[t + 1]?.content ?? '';
      continue;
    }
    if (token.type !== 'fence' || !token.map) continue;
    const [startLine, endLine] = token.map;
    const info = token.info.trim().split(/\s+/)[0] ?? '';
    const fenceStart = index.lineStart(startLine);
    const contentStart = index.lineStart(startLine + 1);
    const closingLine = endLine - 1;
    const closed = closingLine > startLine && /^\s*(`{3,}|~{3,})\s*$/.test(src.slice(index.lineStart(closingLine), index.lineStart(closingLine + 1)));
    let contentEnd = closed ? index.lineStart(closingLine) : index.lineStart(endLine);
    if (endLine >= index.lineCount) contentEnd = src.length;
    while (contentEnd > contentStart && (src[contentEnd - 1] === '\n' || src[contentEnd - 1] === '\r')) contentEnd--;
    const fenceEnd = closed ? Math.min(src.length, index.lineStart(closingLine) + src.slice(index.lineStart(closingLine)).search(/\r?\n|$/)) : contentEnd;
    const indent = /^[ \t]*/.exec(src.slice(fenceStart))?.[0] ?? '';
    if (/^(python|py|python3|ipython|js|javascript|jsx|ts|typescript|tsx|mjs|cjs)$/i.test(info) && indent === '') {
      const lang = /^(python|py|python3|ipython)$/i.test(info) ? 'python' : 'javascript';
      const code = src.slice(contentStart, contentEnd);
      for (const c of codeCandidates(code, lang)) {
        for (const s of c.segments) shiftLiteral(s, contentStart);
        if (c.context.model) c.context.model = { ...c.context.model, start: c.context.model.start + contentStart, end: c.context.model.end + contentStart };
        if (c.context.messageList) c.context.messageList = { ...c.context.messageList, id: c.context.messageList.id + contentStart };
        candidates.push(c);
      }
      continue;
    }
    if (!PROMPT_FENCE_INFO.test(info)) continue;
    const text = token.content.replace(/\n$/, '');
    // Environment variables to set (graphiti's server/README.md, under "Running Instructions": `OPENAI_API_KEY=…`,
    // `NEO4J_USER=…` was a 49-token system prompt, newuser36): configuration, whatever the heading says.
    if (!/^(prompt|prompty|system|user|jinja2?|j2)$/i.test(info) && ENV_BLOCK.test(text)) continue;
    // A directory tree drawn with box characters (OpenHands' skills/README.md, under "Repository Instructions":
    // `your-repository/ └── .openhands/ ├── skills/ …` was a 115-token system prompt, newuser45): a listing, not a prompt.
    if (!/^(prompt|prompty|system|user|jinja2?|j2)$/i.test(info) && isDirectoryTree(text)) continue;
    const decoded = literal(src, fenceStart, fenceEnd, contentStart, contentEnd, text, { language: 'markdown', style: 'markdownFence', fence: token.markup, info: token.info, indent });
    const ctx: LiteralContext = { keys: [], callees: [], negatives: [], imports: NO_IMPORTS };
    if (heading) ctx.boundName = heading;
    const verdict = judge(text, ctx);
    if (/^(prompt|prompty|system|user|jinja2?|j2)$/i.test(info)) {
      verdict.score += 1;
      verdict.evidence.push({ kind: 'file', detail: `a \`${info}\` code block`, weight: 1 });
    } else if (PROMPT_HEADING.test(heading)) {
      verdict.score += 0.6;
      verdict.evidence.push({ kind: 'name', detail: `under the heading "${heading}"`, weight: 0.6 });
    } else {
      verdict.score -= 0.5;
      verdict.evidence.push({ kind: 'negative', detail: 'a code block with no prompt heading', weight: -0.5 });
    }
    if (/^system$/i.test(info)) verdict.kind = 'system';
    verdict.confidence = Math.round(Math.max(0, Math.min(1, 1 - Math.exp(-Math.max(0, verdict.score) * 1.2))) * 100) / 100;
    candidates.push({ segments: [decoded], context: ctx, verdict });
  }
  return candidates;
}

function shiftLiteral(s: DecodedLiteral, by: number): void {
  s.start += by;
  s.end += by;
  s.contentStart += by;
  s.contentEnd += by;
  s.runs = s.runs.map(([t, o, l]) => [t, o + by, l]);
}

// ---------------------------------------------------------------- Prompt files

const ROLE_LINE = /^[ \t]*(system|user|assistant|developer|human|ai)[ \t]*:[ \t]*$/gim;
const DOTPROMPT_ROLE = /\{\{\s*role\s+["'](system|user|model|assistant)["']\s*\}\}/g;

/** Where a prompt file's YAML front matter (`---` … `---` at its head) ends, its closing line included; 0 without one. */
export function frontMatterEnd(src: string): number {
  const m = /^(?:\uFEFF)?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(src);
  return m ? m[0].length : 0;
}

function frontMatterModel(src: string, bodyStart: number): ModelRef | undefined {
  if (bodyStart === 0) return undefined;
  const YAML = loadYaml();
  const start = src.indexOf('\n') + 1;
  let found: ModelRef | undefined;
  try {
    const doc = YAML.parseDocument(src.slice(start, bodyStart).replace(/\r?\n---[ \t]*(\r?\n)?$/, ''));
    YAML.visit(doc, {
      Pair(_key, pair) {
        if (found || !YAML.isScalar(pair.key) || !MODEL_KEY.test(String(pair.key.value))) return;
        if (YAML.isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.range) {
          found = { name: pair.value.value, start: start + pair.value.range[0], end: start + pair.value.range[1] };
          return YAML.visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    return undefined;
  }
  return found;
}

/** A Jinja template's file name: only Jinja renders it (`{{ }}`, `{% %}`), so its single braces are text. */
export const JINJA_FILE = /\.(?:jinja2?|j2)$/i;

/** A prompt file is a prompt whole; `.prompty` and `.prompt` bodies split at their role markers. */
export function promptFileCandidates(src: string, fileName: string): Candidate[] {
  const bodyStart = frontMatterEnd(src);
  const model = frontMatterModel(src, bodyStart);
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  // A file named for the system prompt (`system_prompt.md`, `prompts/system.txt`) is one where no role line says otherwise.
  const baseName = /[^/\\]*$/.exec(fileName)?.[0] ?? '';
  const namedSystem = /system/i.test(baseName);
  // …and one named for the user message (TinyTroupe's `enricher.user.mustache`, `prompts/user_prompt.txt`) is the user's.
  const namedUser = !namedSystem && /(^|[._-])user([._-]|$)/i.test(baseName);
  const sections: Array<{ start: number; end: number; role?: string }> = [];
  const markers: Array<{ at: number; after: number; role: string }> = [];
  if (ext === 'prompty' || ext === 'prompt') {
    const re = ext === 'prompty' ? ROLE_LINE : DOTPROMPT_ROLE;
    re.lastIndex = bodyStart;
    for (let m = re.exec(src); m; m = re.exec(src)) {
      let after = m.index + m[0].length;
      if (src[after] === '\r') after++;
      if (src[after] === '\n') after++;
      markers.push({ at: m.index, after, role: m[1].toLowerCase() });
    }
  }
  if (markers.length === 0) sections.push({ start: bodyStart, end: src.length });
  else {
    if (src.slice(bodyStart, markers[0].at).trim()) sections.push({ start: bodyStart, end: markers[0].at });
    markers.forEach((m, i) => sections.push({ start: m.after, end: i + 1 < markers.length ? markers[i + 1].at : src.length, role: m.role }));
  }
  const candidates: Candidate[] = [];
  for (const section of sections) {
    const decoded = promptFileSection(src, section.start, section.end, JINJA_FILE.test(fileName) ? 'jinja' : undefined);
    if (!decoded) continue;
    const { text } = decoded;
    const kind: PromptKind =
      section.role === 'system' || section.role === 'developer'
        ? 'system'
        : section.role === 'assistant' || section.role === 'ai' || section.role === 'model'
          ? 'assistant'
          : section.role
            ? 'user'
            : namedSystem
              ? 'system'
              : namedUser
                ? 'user'
                : /\{\{|\{%|\{[A-Za-z_]\w*\}/.test(text)
                ? 'template'
                : 'user';
    const ctx: LiteralContext = { keys: [], callees: [], negatives: [], imports: NO_IMPORTS, ...(model ? { model } : {}) };
    candidates.push({
      segments: [decoded],
      context: ctx,
      verdict: { score: 2, kind, evidence: [{ kind: 'file', detail: section.role ? `the ${section.role} section of a prompt file` : 'a prompt file', weight: 2 }], confidence: 0.91 },
    });
  }
  return candidates;
}

/**
 * One section of a prompt file (`start`..`end` of `src`) as a literal, white space trimmed
 * from both ends; undefined when nothing but white space is left.
 */
export function promptFileSection(src: string, start: number, end: number, engine?: 'jinja'): DecodedLiteral | undefined {
  while (start < end && /\s/.test(src[start])) start++;
  while (end > start && /\s/.test(src[end - 1])) end--;
  if (end <= start) return undefined;
  const quoting: LiteralQuoting = { language: 'promptFile', style: 'file', ...(engine ? { engine } : {}) };
  const written = src.slice(start, end);
  if (!written.includes('\r')) return { start, end, contentStart: start, contentEnd: end, quoting, text: written, runs: [[0, start, written.length]], interpolated: [] };
  // A CRLF (or CR) line break is sent as one LF: Jinja's renderer and Python's text files (`Path.read_text()`) normalize them,
  // so a prompt file checked out with Windows line breaks counted one more character per line (breaker47).
  const text = written.replace(/\r\n?/g, '\n');
  return { start, end, contentStart: start, contentEnd: end, quoting, text, runs: alignRuns(text, src, start, end), interpolated: [] };
}
