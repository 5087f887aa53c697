/**
 * The model a project configures in a config file rather than in code: MetaGPT's
 * `config/config2.yaml` (`llm: model: "gpt-4-turbo"`), a `config.yaml` with a top-level
 * `model:`/`llm_model:`, a `.env` with `OPENAI_MODEL=`/`MODEL_NAME=`/`LLM_MODEL=`. Pure (text in,
 * model out), so that the editor (src/extension/prompt/projectModel.ts) and the CLI's
 * `prompt scan` (src/engine/cli/projectManifests.ts) decide the same way.
 *
 * The rules, so that nothing is picked at random:
 * - Only the project's default model counts: a YAML file's top-level `model`/`llm_model`/
 *   `model_name`/`default_model` or the `model` directly under a top-level `llm:`; models nested
 *   anywhere else (MetaGPT's per-role `roles:` list, `embedding: model:`, `models:`) are left out.
 *   A `.env` counts its `*MODEL`/`*MODEL_NAME` keys, not embedding, image or audio ones, and no
 *   other line's value is kept (a .env holds keys).
 * - Only names the price catalog knows count (`isKnown`): `model: resnet50` names no LLM.
 * - An INI file (`config.ini`) counts the same keys as a .env, in any section. A bare key (`MODEL=`, `llm.model`)
 *   that names one model decides over role-prefixed keys (`REASONING_MODEL=`) of the same file.
 * - A Python settings module (`config/settings.py`, `settings.py`, `config.py`, a package's `config/defaults.py`) counts the
 *   string defaults of its fields and constants named by the same keys (a pydantic `BaseSettings` class's `llm_model: str = "gpt-3.5-turbo"`).
 * - A `.env.example`/`.env.template` key counts only where a code file below its folder names the key (`keyReadBelow`):
 *   an example's variable that no code reads configures nothing.
 * - In one folder the files are read in CONFIG_FILES order (real configs before examples); the
 *   first file that names a known model decides. A file that names several different models (an
 *   `.env` with `OPENAI_MODEL` and `ANTHROPIC_MODEL`) decides that there is no single model.
 * - The nearest folder with such a file decides (see the callers' walks).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ProjectModel {
  model: string;
  /** Where it was read, for the lens and hover: `config/config2.yaml llm.model`. */
  from: string;
}

/** The files read in each folder, in order: paths relative to the folder. */
export const CONFIG_FILES: readonly string[] = [
  'config/config2.yaml',
  'config2.yaml',
  'config/config.yaml',
  'config.yaml',
  'config.yml',
  'config.ini',
  // TaskWeaver's project folder (`python -m taskweaver -p ./project`): flat dotted keys, `"llm.model": "gpt-4-1106-preview"`.
  'taskweaver_config.json',
  '.env',
  'config/config2.example.yaml',
  'config2.example.yaml',
  '.env.example',
  '.env.template',
  // A Python settings module (a pydantic `BaseSettings` class's field defaults): after the .env files, whose
  // values the class reads over its defaults.
  'config/settings.py',
  'settings.py',
  'config.py',
  // A package's module of defaults (microsoft/graphrag's graphrag/config/defaults.py: `DEFAULT_COMPLETION_MODEL = "gpt-4.1"`,
  // the model every GraphRagConfig field and `graphrag init --model` default to, finding49): its prompts in graphrag/prompts/
  // run with that config. Read by the settings rule (constants named for a chat model; embedding ones are left out).
  'config/defaults.py',
  'defaults.py',
];

/** One model setting in a config file: its key path (`llm.model`, `OPENAI_MODEL`) and value. */
export interface ConfigModelEntry {
  key: string;
  value: string;
}

const TOP_LEVEL_KEYS = /^(?:model|llm_model|model_name|default_model|chat_model)$/;
const ENV_KEY = /^(?:[A-Z0-9]+_)*(?:MODEL|MODEL_NAME|MODEL_ID)$/;
/** Model keys of a .env that name no chat model. */
const ENV_NOT_CHAT = /EMBED|IMAGE|VISION|AUDIO|SPEECH|TTS|STT|WHISPER|RERANK|TRANSCRI|VIDEO|DALLE|MODERAT/;
/**
 * Catalog names of models that take no prompt (moderation, embeddings, speech, images), whatever
 * the key that names them: `OPENAI_MODEL=gpt-4o-mini` beside `MODERATION_MODEL=omni-moderation-latest`
 * is one chat model, not two.
 */
const NOT_CHAT_MODEL = /moderation|embedding|-tts\b|^tts-|transcribe|whisper|dall-e|gpt-image|rerank/i;

/** A scalar's value: quotes and a trailing comment removed (`"gpt-4-turbo"  # or gpt-3.5-turbo`). */
function scalar(raw: string): string {
  const text = raw.trim();
  const quoted = /^(["'])(.*?)\1/.exec(text);
  if (quoted) return quoted[2].trim();
  // A comment starts at the value's start too: `llm:  # the default LLM` opens the `llm:` mapping.
  return text.replace(/(?:^|\s+)#.*$/, '').trim();
}

/**
 * The default-model settings of a YAML config: top-level keys and the direct `model` child of a
 * top-level `llm:` mapping. Read line by line (no YAML parser): only these few keys matter.
 */
export function yamlModelEntries(text: string): ConfigModelEntry[] {
  const entries: ConfigModelEntry[] = [];
  let section: string | undefined;
  let childIndent: number | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(?:#|$)/.test(line)) continue;
    const m = /^(\s*)([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/.exec(line);
    const indent = /^\s*/.exec(line)![0].length;
    if (indent === 0) {
      section = undefined;
      childIndent = undefined;
      if (!m) continue;
      const value = m[3] === undefined ? '' : scalar(m[3]);
      if (m[2] === 'llm' && value === '') section = 'llm';
      else if (TOP_LEVEL_KEYS.test(m[2]) && value !== '') entries.push({ key: m[2], value });
      continue;
    }
    if (section !== 'llm' || !m) continue;
    // The first child line sets the mapping's indentation; deeper lines belong to nested values.
    childIndent ??= indent;
    if (indent !== childIndent || m[2] !== 'model' || m[3] === undefined) continue;
    const value = scalar(m[3]);
    if (value !== '') entries.push({ key: 'llm.model', value });
  }
  return entries;
}

/** The chat-model keys of a .env file; no other line's value is read. */
export function envModelEntries(text: string): ConfigModelEntry[] {
  const entries: ConfigModelEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (!key) continue;
    const name = key[1].toUpperCase();
    if (!ENV_KEY.test(name) || ENV_NOT_CHAT.test(name)) continue;
    const value = scalar(line.slice(key[0].length));
    if (value !== '') entries.push({ key: key[1], value });
  }
  return entries;
}

/**
 * The chat-model keys of an INI file (TinyTroupe's `config.ini`: `[OpenAI]` `MODEL=gpt-5-mini`), by the same key rule as
 * a .env, named with their section (`[OpenAI] MODEL`); no other line's value is read.
 */
export function iniModelEntries(text: string): ConfigModelEntry[] {
  const entries: ConfigModelEntry[] = [];
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(?:[#;]|$)/.test(line)) continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = header[1].trim();
      continue;
    }
    const key = /^\s*([A-Za-z_][\w.-]*)\s*[=:]/.exec(line);
    if (!key) continue;
    const name = key[1].toUpperCase();
    if (!ENV_KEY.test(name) || ENV_NOT_CHAT.test(name)) continue;
    const value = scalar(line.slice(key[0].length).replace(/\s;.*$/, ''));
    if (value !== '') entries.push({ key: section ? `[${section}] ${key[1]}` : key[1], value });
  }
  return entries;
}

/** A settings field or constant: `llm_model: str = "…"`, `= Field(default="…")`, `= os.getenv("KEY", "…")`. */
const PY_SETTING = /^\s*([A-Za-z_]\w*)\s*(?::[^=]+)?=\s*(?:Field\(\s*(?:default\s*=\s*)?|os\.(?:getenv|environ\.get)\(\s*["'][^"']*["']\s*,\s*)?(["'])([^"'\n]*)\2/;

/**
 * The chat-model settings of a Python settings module (`config/settings.py`, `settings.py`, `config.py`): the string
 * defaults of fields and constants whose name is a model key by the .env rule (`llm_model`, `MODEL_NAME`, `chat_model`),
 * not embedding or other models. Read line by line; nothing is run.
 */
export function pythonSettingsModelEntries(text: string): ConfigModelEntry[] {
  const entries: ConfigModelEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = PY_SETTING.exec(line);
    if (!m) continue;
    const name = m[1].toUpperCase();
    if (!ENV_KEY.test(name) || ENV_NOT_CHAT.test(name)) continue;
    const value = m[3].trim();
    if (value !== '') entries.push({ key: m[1], value });
  }
  return entries;
}

/**
 * The default-model settings of a JSON config: the same top-level keys as YAML's, the `model` of a top-level `llm` object,
 * and the flat dotted key `llm.model` TaskWeaver's taskweaver_config.json writes (newuser47: its project's plugins were
 * priced for the default model, not the configured gpt-4-1106-preview). A file that does not parse names nothing.
 */
export function jsonModelEntries(text: string): ConfigModelEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  const entries: ConfigModelEntry[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value === 'string' && value.trim() !== '' && (TOP_LEVEL_KEYS.test(key) || key === 'llm.model')) entries.push({ key, value: value.trim() });
    if (key === 'llm' && typeof value === 'object' && value !== null) {
      const model = (value as Record<string, unknown>).model;
      if (typeof model === 'string' && model.trim() !== '') entries.push({ key: 'llm.model', value: model.trim() });
    }
  }
  return entries;
}

/** The model settings of one config file, by its path relative to its folder (as in CONFIG_FILES). */
export function configModelEntries(fileName: string, text: string): ConfigModelEntry[] {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  // A byte order mark (a file saved by Notepad) is no part of the first key: `\uFEFFllm:` is the top-level `llm:`.
  const body = text.replace(/^\uFEFF/, '');
  if (base.startsWith('.env')) return envModelEntries(body);
  if (base.endsWith('.json')) return jsonModelEntries(body);
  if (base.endsWith('.py')) return pythonSettingsModelEntries(body);
  return base.endsWith('.ini') ? iniModelEntries(body) : yamlModelEntries(body);
}

/**
 * A key that names the model with no role (`MODEL`, `[OpenAI] MODEL`, `llm.model`, `model_name`): the default model,
 * beside role-prefixed keys (`REASONING_MODEL=o3-mini` next to TinyTroupe's `MODEL=gpt-5-mini`).
 */
const BARE_MODEL_KEY = /^(?:model|model_name|model_id)$/i;

function isBareModelKey(key: string): boolean {
  return BARE_MODEL_KEY.test(key.split(/[\s.]/).pop() ?? key);
}

/** What one config file says: one model, several (ambiguous: no model), or none it names counts. */
export type ConfigFileModel = { kind: 'model'; model: ProjectModel } | { kind: 'several'; models: string[] } | { kind: 'none' };

/**
 * The model one config file names, among the names `isKnown` accepts (the price catalog's). `shownAs` names the file in `from`;
 * `keyRead`, when given, says whether the project's code reads a key (an example file's keys count only then).
 */
export function modelOfConfigText(fileName: string, text: string, isKnown: (model: string) => boolean, shownAs = fileName, keyRead?: (key: string) => boolean): ConfigFileModel {
  const all = configModelEntries(fileName, text).filter((e) => isKnown(e.value) && !NOT_CHAT_MODEL.test(e.value) && (keyRead === undefined || keyRead(e.key)));
  // Bare keys that agree on one model decide over role-prefixed ones; otherwise every key counts.
  const bare = all.filter((e) => isBareModelKey(e.key));
  const known = bare.length > 0 && new Set(bare.map((e) => e.value)).size === 1 ? bare : all;
  const models = [...new Set(known.map((e) => e.value))];
  if (models.length === 0) return { kind: 'none' };
  if (models.length > 1) return { kind: 'several', models };
  return { kind: 'model', model: { model: models[0], from: `${shownAs} ${known[0].key}` } };
}

/** What decided a file's project model: the config file (as `shown`), and its model or the models it names when several. */
export interface ProjectModelAnswer {
  file: string;
  model?: ProjectModel;
  /** The different models the deciding file names (then there is no `model`). */
  several?: string[];
}

/**
 * Finds the config file that decides a source file's project model: the nearest folder (from the
 * file's up to where `stopAt` says) holding a CONFIG_FILES file that names a known model. Each
 * config file is read again only when its modification time or size changes. Node's `fs` only.
 */
export class ProjectModelFinder {
  private readonly cache = new Map<string, { stamp: string; result: ConfigFileModel }>();

  constructor(
    private readonly isKnown: (model: string) => boolean,
    /** How `from` names a config file (the editor: relative to the workspace folder; the CLI: to the working folder). */
    private readonly shown: (file: string) => string,
  ) {}

  /** The answer for a file; `stopAt(dir)` is true for the last folder to look in (the workspace folder, a repository root). */
  forFile(filePath: string, stopAt: (dir: string) => boolean): ProjectModelAnswer | undefined {
    if (!path.isAbsolute(filePath)) return undefined;
    for (let dir = path.dirname(filePath); ; dir = path.dirname(dir)) {
      for (const name of CONFIG_FILES) {
        const file = path.join(dir, name);
        const result = this.read(file);
        if (result.kind === 'model') return { file: this.shown(file), model: result.model };
        if (result.kind === 'several') return { file: this.shown(file), several: result.models };
      }
      if (stopAt(dir) || path.dirname(dir) === dir) return undefined;
    }
  }

  private read(file: string): ConfigFileModel {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return { kind: 'none' };
    }
    // A folder named like a config file, or a file too large to be one, names nothing.
    if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) return { kind: 'none' };
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    const cached = this.cache.get(file);
    if (cached && cached.stamp === stamp) return cached.result;
    let result: ConfigFileModel;
    try {
      const dir = path.dirname(file);
      const keyRead = EXAMPLE_ENV.test(path.basename(file)) ? (key: string) => keyReadBelow(dir, key) : undefined;
      result = modelOfConfigText(file, decodeConfig(fs.readFileSync(file)), this.isKnown, this.shown(file), keyRead);
    } catch {
      result = { kind: 'none' };
    }
    this.cache.set(file, { stamp, result });
    return result;
  }
}

const MAX_CONFIG_BYTES = 512 * 1024;

/**
 * A `.env` example a project ships for its users to copy (`.env.example`, `.env.template`): a model key of it counts only
 * where the project's code reads that key. mem0-ts/src/oss/.env.example sets `OPENAI_COMPLETION_MODEL=gpt-4-turbo-preview`,
 * which no file reads (the SDK's default is `config.model || "gpt-5-mini"`): every prompt of mem0-ts was priced for
 * gpt-4-turbo, 40× the model the code uses (newuser43). A real `.env` is the user's own setting and counts as written.
 */
const EXAMPLE_ENV = /^\.env\.(?:example|template)$/;
/** The files `keyReadBelow` reads: code and the YAML that passes variables on (a compose file's `environment:`). */
const CODE_FILE = /\.(?:[cm]?[jt]sx?|py|ya?ml|toml)$/;
/** Folders of dependencies, builds and caches, never the project's code. */
const NOT_CODE_DIR = /^(?:node_modules|\.git|dist|build|out|coverage|\.next|\.venv|venv|env|__pycache__|site-packages|\.tox|\.mypy_cache)$/;
/** At most this many code files are read for one example file; past it the key is taken as read (fails open). */
const MAX_CODE_FILES = 2000;

/**
 * Whether a file below `dir` names `key` as a word, in any case (`process.env.OPENAI_MODEL`, `os.getenv("OPENAI_MODEL")`, a
 * pydantic settings field `openai_model: str`, which reads the variable of that name). True when the walk is cut short.
 */
function keyReadBelow(dir: string, key: string): boolean {
  const word = new RegExp(`(?<![A-Za-z0-9_])${key.replace(/[^A-Za-z0-9_]/g, '')}(?![A-Za-z0-9_])`, 'i');
  const pending = [dir];
  let files = 0;
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!NOT_CODE_DIR.test(entry.name)) pending.push(full);
        continue;
      }
      if (!entry.isFile() || !CODE_FILE.test(entry.name)) continue;
      if (++files > MAX_CODE_FILES) return true;
      try {
        if (fs.statSync(full).size <= MAX_CONFIG_BYTES && word.test(fs.readFileSync(full, 'utf8'))) return true;
      } catch {
        // An unreadable file reads no key.
      }
    }
  }
  return false;
}

/**
 * A config file's text: UTF-8, or UTF-16 when it starts with a UTF-16 byte order mark (Windows PowerShell 5's
 * `echo OPENAI_MODEL=gpt-4o > .env` writes UTF-16LE; read as UTF-8 it named no model).
 */
function decodeConfig(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('utf8');
}
