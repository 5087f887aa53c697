/**
 * Text for the person running the program, not for a model, that a prompt-like name or key made look like a prompt
 * (stanfordnlp/dspy, session 45): an install hint held in `install_instructions` and only raised
 * (`raise CodeInterpreterError(install_instructions)`), a progress line `prompt_model_line` coloured with the terminal's
 * colour codes (`f"{YELLOW}- Prompt Generation: {BLUE}{BOLD}10{ENDC}…"`), and deprecation notices under a `"prefix"`
 * key ("The 'prefix' argument … is deprecated … will be removed in a future version."). Each was listed as a system
 * prompt or a template on its name or key alone.
 */
import type { Candidate } from './candidate';
import type { Judgement } from './literalContext';

/** Names of terminal colour and style codes (colorama's `Fore.RED`, `Style.BRIGHT`; the `ENDC`/`BOLD` constants of scripts). */
const TERMINAL_STYLE = /^(?:(?:Fore|Back|Style|colorama\.(?:Fore|Back|Style))\.[A-Z_]+|(?:bcolors|Colors?|colors?|TermColors?|ANSI|ansi)\.[A-Za-z_]+|(?:LIGHT_|BRIGHT_|DARK_)?(?:RED|GREEN|YELLOW|BLUE|MAGENTA|CYAN|WHITE|BLACK|GR[AE]Y|ORANGE|PURPLE)|BOLD|DIM|ENDC|END|RESET|RESET_ALL|NC|UNDERLINE|ITALIC|NORMAL|HEADER|OKBLUE|OKGREEN|OKCYAN|WARNING|FAIL|COLOR_[A-Z_]+)$/;

/** The start of an escape sequence of the terminal written in the text (`\x1b[93m`, `\033[0m`, `\u001b[1m`), as the decoded text holds it. */
const ESCAPE_SEQUENCE = '\u001b[';

/** A deprecation notice: says the thing is deprecated and what becomes of it. */
const DEPRECATED = /\b(?:is|are|has been|have been) deprecated\b/i;
const DEPRECATION_OUTCOME = /\b(?:will be removed|(?:is|are) no longer supported|has no effect|have no effect|use [^.\n]{1,60} instead)\b/i;

/** A call that shows text to a person or stops with it: an error raised or thrown, a log line, a print, a warning. */
const SINK_OPENER = /(?:^|[^\w$.])(?:raise|throw)\b|(?:^|[^\w$])(?:print|console\.\w+|(?:self\.)?_?log(?:ger)?\.\w+|logging\.\w+|warnings\.warn|st\.(?:error|warning|info|write)|click\.echo|typer\.echo|sys\.exit)[ \t]*\(/;

/**
 * The uses of `name` in its function (`scope`), from the masked code (literals blanked): each one's statement text
 * from the start of its line (or of the line above, when the name stands alone on its line as the argument of a call
 * opened there). Undefined when the name is used nowhere but where it is bound.
 */
function usesOf(code: string, src: string, name: string, scope: { from: number; to: number }, boundAt: number): string[] | undefined {
  const id = name.replace(/\$/g, '\\$');
  const pattern = new RegExp(`(?<![\\w$.])${id}(?![\\w$])`, 'g');
  const body = code.slice(scope.from, scope.to);
  const uses: string[] = [];
  // The name interpolated into a literal the masked code blanks (`logger.info(f"\n{prompt}\n")`, camel's browser toolkit):
  // a use too, read in the masked line around it.
  const interpolation = new RegExp(`(?:\\$\\{|(?<!\\{)\\{)[ \\t]*${id}[ \\t]*(?:[!:=][^{}\\n]{0,40})?\\}`, 'g');
  const interpolated = [...src.slice(scope.from, scope.to).matchAll(interpolation)].map((m) => scope.from + (m.index ?? 0)).filter((at) => code[at] !== src[at]);
  for (const at of [...body.matchAll(pattern)].map((m) => scope.from + (m.index ?? 0)).concat(interpolated)) {
    const lineStart = code.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = code.indexOf('\n', at);
    const line = code.slice(lineStart, lineEnd < 0 ? code.length : lineEnd);
    // The binding itself (`name = (` with the literal on the next line, `name = \` continued there, `const name = `…`): not a use.
    if (at < boundAt && /^[ \t]*(?::[^=\n]{0,60})?=[ \t]*\(?[ \t]*\\?\s*[rRbBuUfFtT]{0,2}$/.test(code.slice(at + name.length, boundAt))) continue;
    if (new RegExp(`^[ \\t]*(?:(?:const|let|var)[ \\t]+)?${id}[ \\t]*(?::[^=\\n]{0,60})?=(?!=)`).test(line)) return undefined;
    const before = code.slice(lineStart, at);
    if (/^[ \t]*$/.test(before)) {
      const prevEnd = lineStart - 1;
      const prevStart = code.lastIndexOf('\n', prevEnd - 1) + 1;
      uses.push(code.slice(prevStart, prevEnd) + ' ' + line);
    } else {
      uses.push(line);
    }
  }
  return uses.length > 0 ? uses : undefined;
}

/**
 * Lowers the candidates that are messages for people (see the file's comment): a local name whose every use raises,
 * throws, logs, prints or warns with it; text coloured with two terminal codes or more; a deprecation notice. Each
 * gets negative evidence saying why; one with evidence of being sent to a model (an LLM call) keeps its score.
 */
export function peopleMessages(judged: ReadonlyArray<{ c: Candidate; j: Judgement }>, source: string, code: () => string, threshold: number, lower: (j: Judgement, weight: number, detail: string) => void): void {
  for (const { c, j } of judged) {
    if (j.score < threshold || c.verdict) continue;
    // Sent to a model in so many words (passed to an LLM call, the content of a message): whatever else holds, it is a prompt.
    if (j.evidence.some((e) => (e.kind === 'api' || e.kind === 'role') && e.weight > 0)) continue;
    const placeholders = c.segments.flatMap((s) => s.interpolated);
    const styled = placeholders.filter((p) => TERMINAL_STYLE.test(p.name)).length;
    if (styled >= 2 || c.segments.some((s) => s.text.includes(ESCAPE_SEQUENCE))) {
      lower(j, -3, 'coloured for a terminal (colour codes in the text): output for a person, not a prompt');
      continue;
    }
    const text = c.segments.map((s) => s.text).join('');
    if (DEPRECATED.test(text) && DEPRECATION_OUTCOME.test(text) && text.length < 600) {
      lower(j, -2.5, 'a deprecation notice (deprecated, and what becomes of it)');
      continue;
    }
    const name = c.context.boundName;
    const scope = c.context.scope;
    if (!name || !scope || c.context.topLevel || !/^[A-Za-z_$][\w$]{0,60}$/.test(name)) continue;
    const uses = usesOf(code(), source, name, scope, c.segments[0].start);
    if (uses && uses.every((u) => SINK_OPENER.test(u))) lower(j, -2.5, `only raised, thrown, logged or printed (${name}): a message for a person, not a prompt`);
  }
}
