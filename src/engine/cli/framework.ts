/**
 * A small command framework for `pepperpy-opt <area> <verb> [options]`: each area module
 * exports its verbs with their options and help; this module parses, prints help on every
 * level, and maps failures to exit codes (0 success, 2 bad usage, 1 failure; a command may
 * return its own, e.g. 3 from the model verbs for a result out of fidelity tolerance).
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import * as l10n from '@vscode/l10n';
import { EngineError, errorMessage } from '../../protocol/errors';
import { MAX_PROMPT_CHARS } from '../../protocol/prompt';
import { assertText, BINARY_SUSPECT_RATIO } from '../../shared/textFile';
import { toEngineError } from '../errors';
import { InputTooLargeError, readCapped } from '../../shared/files';

export type OptionSpec = {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  /** Shown in help as the value's name: `--model M`. */
  valueName?: string;
  multiple?: boolean;
};

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input to its end; an implementation may stop after `maxBytes + 1` bytes with an InputTooLargeError (src/shared/files.ts). */
  readStdin: (maxBytes?: number) => Promise<string>;
}

export interface CommandOutput {
  /** The one JSON object printed with --json. */
  json: unknown;
  /** What a person reads without --json. */
  text: string;
  /** The process exit code when the command ran (default 0); e.g. 3 for a model written out of tolerance. */
  exitCode?: number;
}

export interface CliCommand {
  area: string;
  verb: string;
  summary: string;
  /** Positional arguments as shown in the usage line, e.g. `<file|->`. */
  positionals?: string;
  options: Record<string, OptionSpec>;
  examples?: string[];
  /** Lines printed at the end of the command's help (exit codes particular to it). */
  epilog?: string[];
  run(args: { positionals: string[]; values: Record<string, string | boolean | string[] | undefined> }, io: CliIo): Promise<CommandOutput>;
}

export class UsageError extends Error {
  constructor(message: string, readonly helpFor?: string) {
    super(message);
  }
}

// Functions, not constants: the text is looked up in the language's bundle (src/engine/cli/l10n.ts)
// when help is printed, after the bundle is loaded.
/** A negative number as an argument: `-0.2`, `-5`, `-.5`, `-1e3` (never an option name: none starts with a digit or a dot). */
const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/;

/**
 * `--target-ratio -0.2` as `--target-ratio=-0.2`. Node's parseArgs takes a value that starts
 * with a dash for an option and refuses it as "ambiguous", so a negative budget or count never
 * reached the command's own check ("--target-ratio needs a reduction between 0 and 1"). Joined
 * only after an option that takes a value and before `--`; a short name becomes its long name.
 */
export function joinNegativeValues(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const byShort = new Map(Object.entries(options).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = arg.startsWith('--') ? arg.slice(2) : /^-[^-]$/.test(arg) ? byShort.get(arg.slice(1)) : undefined;
    const next = args[i + 1];
    if (name !== undefined && Object.hasOwn(options, name) && options[name].type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function globalOptions(): Record<string, OptionSpec> {
  return {
    json: { type: 'boolean', description: l10n.t('Print exactly one JSON object on stdout.') },
    help: { type: 'boolean', short: 'h', description: l10n.t('Show help for this command.') },
  };
}

export function areaSummary(area: string): string {
  switch (area) {
    case 'prompt': return l10n.t('Count tokens in, analyze and optimize prompt text.');
    case 'cost': return l10n.t('Estimate, monitor and cut LLM API spend: prices, a metering proxy, model selection.');
    case 'model': return l10n.t('Quantize, prune, compress and optimize ONNX models, measured on CPU or GPU.');
    case 'pipeline': return l10n.t('Benchmark, profile and optimize RAG pipelines; the complete optimize-all workflow.');
    case 'benchmark': return l10n.t('Latency, model, quality (LLM-as-judge) and RAG benchmarks.');
    case 'engine': return l10n.t('Information about the engine itself.');
    default: return '';
  }
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    return `  ${flag.padEnd(28)} ${spec.description}`;
  });
}

export function topHelp(commands: CliCommand[]): string {
  const areas = [...new Set(commands.map((c) => c.area))];
  return [
    l10n.t('Usage: {0}', 'pepperpy-opt <area> <verb> [options]'),
    '',
    l10n.t('Make LLM applications cheaper, faster and better: the PepperPy Optimization engine, headless.'),
    '',
    l10n.t('Areas:'),
    ...areas.map((a) => `  ${a.padEnd(10)} ${areaSummary(a)}`),
    '',
    l10n.t('Run {0} for its verbs. Exit codes: 0 success, 1 failure, 2 bad usage, 3 a model verb wrote a model whose task fidelity is out of tolerance.', '`pepperpy-opt <area> --help`'),
  ].join('\n');
}

export function areaHelp(area: string, commands: CliCommand[]): string {
  const verbs = commands.filter((c) => c.area === area);
  return [
    l10n.t('Usage: {0}', `pepperpy-opt ${area} <verb> [options]`),
    '',
    areaSummary(area),
    '',
    l10n.t('Verbs:'),
    ...verbs.map((c) => `  ${c.verb.padEnd(12)} ${c.summary}`),
    '',
    l10n.t('Run {0} for its options.', `\`pepperpy-opt ${area} <verb> --help\``),
  ].join('\n');
}

export function commandHelp(command: CliCommand): string {
  return [
    l10n.t('Usage: {0}', `pepperpy-opt ${command.area} ${command.verb}${command.positionals ? ` ${command.positionals}` : ''} [options]`),
    '',
    command.summary,
    '',
    l10n.t('Options:'),
    ...optionLines({ ...command.options, ...globalOptions() }),
    ...(command.examples && command.examples.length > 0 ? ['', l10n.t('Examples:'), ...command.examples.map((e) => `  ${e}`)] : []),
    ...(command.epilog && command.epilog.length > 0 ? ['', ...command.epilog] : []),
  ].join('\n');
}

/** What a text argument is, for messages, and its size limit. */
export interface TextInputKind {
  /** e.g. "prompt", "setup file". */
  what: string;
  /** What the file should hold, e.g. "a prompt as UTF-8 text". */
  expected: string;
  /** Largest text accepted, in characters (UTF-16 code units, as the engine's requests count them). */
  maxChars: number;
}

/** A prompt: at most the editor's own limit (MAX_PROMPT_CHARS), so the CLI and the editor agree. */
export const PROMPT_INPUT: TextInputKind = { what: 'prompt', expected: 'a prompt as UTF-8 text', maxChars: MAX_PROMPT_CHARS };

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

function tooLong(source: string, kind: TextInputKind, size: string): EngineError {
  return new EngineError(
    'badRequest',
    `${source} is ${size}; a ${kind.what} is limited to ${kind.maxChars.toLocaleString('en-US')} characters (about ${megabytes(kind.maxChars)} of plain text), the same limit as in the editor.`,
    `Pass only the ${kind.what} itself, or split the file and run each part.`,
  );
}

/**
 * Reads a text argument: a file path, or `-` for standard input. Binary files and texts over
 * the kind's limit are refused before any work (a file far over it is refused from its size,
 * without reading it).
 */
export async function readTextInput(source: string | undefined, io: CliIo, kind: TextInputKind = PROMPT_INPUT): Promise<{ text: string; source: string }> {
  if (source === undefined) throw new UsageError(l10n.t('Missing input: give a file path, or - to read standard input.'));
  let buffer: Buffer;
  // UTF-8 takes at most 3 bytes per UTF-16 code unit, so more bytes are over the limit whatever they hold.
  const maxBytes = 3 * kind.maxChars;
  if (source === '-') {
    try {
      buffer = Buffer.from(await io.readStdin(maxBytes), 'utf8');
    } catch (error) {
      if (error instanceof InputTooLargeError) throw tooLong(`The ${kind.what} on standard input`, kind, `more than ${megabytes(maxBytes)}`);
      throw error;
    }
  } else {
    try {
      const stat = statSync(source);
      if (stat.isDirectory()) throw new EngineError('badRequest', l10n.t('{0} is a directory, not a file.', source), l10n.t('Pass a file path.'));
      if (stat.isFile()) {
        if (stat.size > maxBytes) throw tooLong(source, kind, megabytes(stat.size));
        buffer = readFileSync(source);
      } else {
        // A FIFO (e.g. <(command)) or a character device: read like standard input, with the cap.
        buffer = await readCapped(source, kind.what, maxBytes);
      }
    } catch (error) {
      if (error instanceof EngineError) throw error;
      if (error instanceof InputTooLargeError) throw tooLong(source, kind, `more than ${megabytes(maxBytes)}`);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new EngineError('notFound', l10n.t('No such file: {0}.', source), l10n.t('Check the path, or pass - to read standard input.'));
      if (code === 'EISDIR') throw new EngineError('badRequest', l10n.t('{0} is a directory, not a file.', source), l10n.t('Pass a file path.'));
      throw error;
    }
  }
  const label = source === '-' ? 'stdin' : source;
  if (source === '-') {
    // Standard input arrives decoded, invalid bytes already replaced by U+FFFD: judge those as well.
    const decoded = buffer.toString('utf8');
    let replaced = 0;
    for (const ch of decoded) if (ch === '\uFFFD') replaced++;
    if (decoded.length > 0 && replaced / decoded.length > BINARY_SUSPECT_RATIO) throw new EngineError('badRequest', `The ${kind.what} on standard input is not text: ${((replaced / decoded.length) * 100).toFixed(0)} % of it is not UTF-8. Expected ${kind.expected}.`, `Pipe a UTF-8 text file as the ${kind.what}.`);
  }
  assertText(buffer, source === '-' ? 'on standard input' : source, kind.what, kind.expected);
  // A UTF-8 byte-order mark marks the encoding and is no part of the text (VS Code drops it from a document's text): kept,
  // it was counted as a token, and a prompt distilled to its budget missed it by that token.
  const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
  if (text.length > kind.maxChars) throw tooLong(label, kind, `${text.length.toLocaleString('en-US')} characters (${megabytes(buffer.length)})`);
  return { text, source: label };
}

/**
 * Progress of a long run as `[ 40%] message` lines on stderr (stdout stays the result): a line
 * when the percentage reaches the next tenth, or when a report without a percentage changes,
 * so a thousand queries make about ten lines, not a thousand.
 */
export function stderrProgress(io: CliIo): (p: { message?: string; percent?: number }) => void {
  let lastTenth = -1;
  let lastMessage = '';
  return (p) => {
    if (p.percent !== undefined) {
      const tenth = Math.floor(Math.max(0, Math.min(100, p.percent)) / 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      io.stderr(`[${String(Math.round(p.percent)).padStart(3)}%] ${p.message ?? ''}\n`);
      return;
    }
    const message = p.message ?? '';
    if (message === lastMessage) return;
    lastMessage = message;
    io.stderr(`${message}\n`);
  };
}

export async function runCli(argv: string[], commands: CliCommand[], io: CliIo): Promise<number> {
  const wantsJson = argv.includes('--json');
  const [area, verb] = argv;
  const fail = (code: number, message: string, errorCode: string, hint?: string): number => {
    io.stderr(`pepperpy-opt: ${message}${hint ? `\n${hint}` : ''}\n`);
    if (wantsJson) io.stdout(`${JSON.stringify({ error: { code: errorCode, message, ...(hint ? { hint } : {}) } })}\n`);
    return code;
  };

  if (area === undefined || area === '--help' || area === '-h' || area === 'help') {
    (area === undefined ? io.stderr : io.stdout)(`${topHelp(commands)}\n`);
    return area === undefined ? 2 : 0;
  }
  const areaCommands = commands.filter((c) => c.area === area);
  if (areaCommands.length === 0) {
    return fail(2, l10n.t('Unknown area "{0}". Areas: {1}.', area, [...new Set(commands.map((c) => c.area))].join(', ')), 'usage', l10n.t('Run {0}.', 'pepperpy-opt --help'));
  }
  if (verb === undefined || verb === '--help' || verb === '-h') {
    (verb === undefined ? io.stderr : io.stdout)(`${areaHelp(area, commands)}\n`);
    return verb === undefined ? 2 : 0;
  }
  const command = areaCommands.find((c) => c.verb === verb);
  if (!command) {
    return fail(2, l10n.t('Unknown verb "{0}" for {1}. Verbs: {2}.', verb, area, areaCommands.map((c) => c.verb).join(', ')), 'usage', l10n.t('Run {0}.', `pepperpy-opt ${area} --help`));
  }

  const options = { ...command.options, ...globalOptions() };
  const config: ParseArgsConfig = {
    args: joinNegativeValues(argv.slice(2), options),
    allowPositionals: true,
    strict: true,
    options: Object.fromEntries(
      Object.entries(options).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) }]),
    ),
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    return fail(2, errorMessage(error), 'usage', l10n.t('Run {0}.', `pepperpy-opt ${area} ${verb} --help`));
  }
  if (parsed.values.help) {
    io.stdout(`${commandHelp(command)}\n`);
    return 0;
  }
  try {
    const output = await command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | string[] | undefined> }, io);
    io.stdout(parsed.values.json ? `${JSON.stringify(output.json)}\n` : `${output.text}\n`);
    return output.exitCode ?? 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(2, error.message, 'usage', l10n.t('Run {0}.', `pepperpy-opt ${area} ${verb} --help`));
    const engineError = toEngineError(error);
    return fail(engineError.code === 'badRequest' ? 2 : 1, engineError.message, engineError.code, engineError.hint);
  }
}
