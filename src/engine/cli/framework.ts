/**
 * A small command framework for `pepperpy-opt <area> <verb> [options]`: each area module
 * exports its verbs with their options and help; this module parses, prints help on every
 * level, and maps failures to exit codes (0 success, 2 bad usage, 1 failure).
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EngineError } from '../../protocol/errors';
import { toEngineError } from '../errors';

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
  readStdin: () => Promise<string>;
}

export interface CommandOutput {
  /** The one JSON object printed with --json. */
  json: unknown;
  /** What a person reads without --json. */
  text: string;
}

export interface CliCommand {
  area: string;
  verb: string;
  summary: string;
  /** Positional arguments as shown in the usage line, e.g. `<file|->`. */
  positionals?: string;
  options: Record<string, OptionSpec>;
  examples?: string[];
  run(args: { positionals: string[]; values: Record<string, string | boolean | string[] | undefined> }, io: CliIo): Promise<CommandOutput>;
}

export class UsageError extends Error {
  constructor(message: string, readonly helpFor?: string) {
    super(message);
  }
}

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'Print exactly one JSON object on stdout.' },
  help: { type: 'boolean', short: 'h', description: 'Show help for this command.' },
};

export const AREA_SUMMARIES: Record<string, string> = {
  prompt: 'Count tokens in, analyze and optimize prompt text.',
  cost: 'Estimate, monitor and cut LLM API spend: prices, a metering proxy, model selection.',
  model: 'Quantize, prune, compress and optimize ONNX models, measured on CPU or GPU.',
  pipeline: 'Benchmark, profile and optimize RAG pipelines; the complete optimize-all workflow.',
  benchmark: 'Latency, model, quality (LLM-as-judge) and RAG benchmarks.',
  engine: 'Information about the engine itself.',
};

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    return `  ${flag.padEnd(28)} ${spec.description}`;
  });
}

export function topHelp(commands: CliCommand[]): string {
  const areas = [...new Set(commands.map((c) => c.area))];
  return [
    'Usage: pepperpy-opt <area> <verb> [options]',
    '',
    'Make LLM applications cheaper, faster and better: the PepperPy Optimization engine, headless.',
    '',
    'Areas:',
    ...areas.map((a) => `  ${a.padEnd(10)} ${AREA_SUMMARIES[a] ?? ''}`),
    '',
    'Run `pepperpy-opt <area> --help` for its verbs. Exit codes: 0 success, 1 failure, 2 bad usage.',
  ].join('\n');
}

export function areaHelp(area: string, commands: CliCommand[]): string {
  const verbs = commands.filter((c) => c.area === area);
  return [
    `Usage: pepperpy-opt ${area} <verb> [options]`,
    '',
    AREA_SUMMARIES[area] ?? '',
    '',
    'Verbs:',
    ...verbs.map((c) => `  ${c.verb.padEnd(12)} ${c.summary}`),
    '',
    `Run \`pepperpy-opt ${area} <verb> --help\` for its options.`,
  ].join('\n');
}

export function commandHelp(command: CliCommand): string {
  return [
    `Usage: pepperpy-opt ${command.area} ${command.verb}${command.positionals ? ` ${command.positionals}` : ''} [options]`,
    '',
    command.summary,
    '',
    'Options:',
    ...optionLines({ ...command.options, ...GLOBAL_OPTIONS }),
    ...(command.examples && command.examples.length > 0 ? ['', 'Examples:', ...command.examples.map((e) => `  ${e}`)] : []),
  ].join('\n');
}

/** Reads a text argument: a file path, or `-` for standard input. */
export async function readTextInput(source: string | undefined, io: CliIo): Promise<{ text: string; source: string }> {
  if (source === undefined) throw new UsageError('Missing input: give a file path, or - to read standard input.');
  if (source === '-') return { text: await io.readStdin(), source: 'stdin' };
  let buffer: Buffer;
  try {
    buffer = readFileSync(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new EngineError('notFound', `No such file: ${source}.`, 'Check the path, or pass - to read standard input.');
    if (code === 'EISDIR') throw new EngineError('badRequest', `${source} is a directory, not a file.`, 'Pass a file path.');
    throw error;
  }
  if (buffer.includes(0)) throw new EngineError('badRequest', `${source} looks like a binary file (it contains NUL bytes).`, 'Pass a text file with the prompt.');
  return { text: buffer.toString('utf8'), source };
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
    return fail(2, `Unknown area "${area}". Areas: ${[...new Set(commands.map((c) => c.area))].join(', ')}.`, 'usage', 'Run pepperpy-opt --help.');
  }
  if (verb === undefined || verb === '--help' || verb === '-h') {
    (verb === undefined ? io.stderr : io.stdout)(`${areaHelp(area, commands)}\n`);
    return verb === undefined ? 2 : 0;
  }
  const command = areaCommands.find((c) => c.verb === verb);
  if (!command) {
    return fail(2, `Unknown verb "${verb}" for ${area}. Verbs: ${areaCommands.map((c) => c.verb).join(', ')}.`, 'usage', `Run pepperpy-opt ${area} --help.`);
  }

  const options = { ...command.options, ...GLOBAL_OPTIONS };
  const config: ParseArgsConfig = {
    args: argv.slice(2),
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
    return fail(2, error instanceof Error ? error.message : String(error), 'usage', `Run pepperpy-opt ${area} ${verb} --help.`);
  }
  if (parsed.values.help) {
    io.stdout(`${commandHelp(command)}\n`);
    return 0;
  }
  try {
    const output = await command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | string[] | undefined> }, io);
    io.stdout(parsed.values.json ? `${JSON.stringify(output.json)}\n` : `${output.text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(2, error.message, 'usage', `Run pepperpy-opt ${area} ${verb} --help.`);
    const engineError = toEngineError(error);
    return fail(engineError.code === 'badRequest' ? 2 : 1, engineError.message, engineError.code, engineError.hint);
  }
}
