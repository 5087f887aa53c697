// peopleMessages (src/shared/prompt/scanner/peopleMessages.ts) called directly, with exact oracles: which candidates it
// lowers, by how much and with which words. Session 46: mutation testing (`npm run bench:mutation -- prompt --mutate
// src/shared/prompt/scanner/peopleMessages.ts --tests …`) left 70 of 185 mutants alive with the scanner-level tests
// alone (peopleMessages.test.ts, real dspy/camel files); these pin each rule and each boundary.
import * as assert from 'node:assert/strict';
import type { Candidate } from '../../../../src/shared/prompt/scanner/candidate';
import type { Judgement } from '../../../../src/shared/prompt/scanner/literalContext';
import { peopleMessages } from '../../../../src/shared/prompt/scanner/peopleMessages';

const THRESHOLD = 1.5;

interface Segment {
  text: string;
  start?: number;
  names?: string[];
}

function candidate(segments: Segment[], context: Record<string, unknown> = {}, verdict?: Judgement): Candidate {
  return {
    segments: segments.map((s) => ({ start: s.start ?? 0, end: (s.start ?? 0) + s.text.length + 2, contentStart: 0, contentEnd: 0, quoting: 'double', text: s.text, runs: [], interpolated: (s.names ?? []).map((name) => ({ name, syntax: 'fString', start: 0, end: 0 })) })),
    context: { keys: [], callees: [], negatives: [], imports: new Set<string>(), ...context },
    ...(verdict ? { verdict } : {}),
  } as unknown as Candidate;
}

function judgement(score = 2, evidence: Judgement['evidence'] = []): Judgement {
  return { score, kind: 'system', evidence, confidence: 0.8 };
}

/** What peopleMessages says of one candidate: `weight detail`, or undefined when it leaves it alone. */
function lowered(c: Candidate, j: Judgement = judgement(), source = '', code = source): string | undefined {
  const said: string[] = [];
  peopleMessages([{ c, j }], source, () => code, THRESHOLD, (_j, weight, detail) => said.push(`${weight} ${detail}`));
  assert.ok(said.length <= 1);
  return said[0];
}

const COLOURED = '-3 coloured for a terminal (colour codes in the text): output for a person, not a prompt';
const DEPRECATION = '-2.5 a deprecation notice (deprecated, and what becomes of it)';
const only = (name: string) => `-2.5 only raised, thrown, logged or printed (${name}): a message for a person, not a prompt`;

/** A Python function whose local `name` is bound to one string literal (blanked in the masked code), then `body`. */
function local(name: string, binding: string, body: string[]): { c: Candidate; source: string; code: string } {
  const source = ['import logging', 'def run(x):', ...binding.split('\n'), ...body].join('\n');
  const literal = /"[^"\n]*"/.exec(source.slice(source.indexOf(binding)));
  assert.ok(literal);
  const start = source.indexOf(binding) + literal.index;
  const code = source.replace(/"[^"\n]*"/g, (m) => ' '.repeat(m.length));
  const scopeFrom = source.indexOf('def run');
  return { c: candidate([{ text: literal[0].slice(1, -1), start }], { boundName: name, scope: { from: scopeFrom, to: source.length } }), source, code };
}

describe('peopleMessages: exact rules (session 46, mutation testing)', () => {
  it('judges only candidates at or above the threshold, without a verdict, and never one sent to a model', () => {
    const styled = (j: Judgement, verdict?: Judgement) => lowered(candidate([{ text: 'Working… done', names: ['Fore.GREEN', 'Style.RESET_ALL'] }], {}, verdict), j);
    assert.equal(styled(judgement(THRESHOLD)), COLOURED);
    assert.equal(styled(judgement(THRESHOLD - 0.01)), undefined);
    assert.equal(styled(judgement(), judgement()), undefined);
    // Passed to an LLM call or the content of a message: a prompt, whatever else holds. Evidence of weight 0 says nothing.
    assert.equal(styled(judgement(2, [{ kind: 'api', weight: 1, detail: 'passed to chat.completions.create (OpenAI)' }])), undefined);
    assert.equal(styled(judgement(2, [{ kind: 'role', weight: 0.5, detail: 'the content of a system message' }])), undefined);
    assert.equal(styled(judgement(2, [{ kind: 'api', weight: 0, detail: 'x' }])), COLOURED);
    assert.equal(styled(judgement(2, [{ kind: 'name', weight: 2, detail: 'bound to instructions' }])), COLOURED);
  });

  it('text coloured with two terminal codes or more, or an escape sequence in any of its literals', () => {
    const codes = (...names: string[]) => lowered(candidate([{ text: 'Step 1 of 3: building the index', names }]));
    for (const pair of [
      ['Fore.RED', 'Style.RESET_ALL'],
      ['colorama.Fore.GREEN', 'colorama.Style.BRIGHT'],
      ['Back.BLUE', 'bcolors.ENDC'],
      ['Colors.cyan', 'TermColor.reset'],
      ['ansi.bold', 'ANSI.RESET'],
      ['LIGHT_RED', 'RESET'],
      ['BRIGHT_GREEN', 'DARK_GREY'],
      ['YELLOW', 'ENDC'],
      ['BOLD', 'NC'],
      ['OKBLUE', 'FAIL'],
      ['COLOR_ORANGE', 'END'],
      ['UNDERLINE', 'ITALIC'],
    ]) {
      assert.equal(codes(...pair), COLOURED, pair.join(' '));
    }
    assert.equal(codes('BOLD', 'ENDC', 'RED'), COLOURED);
    // One code is not enough, and names that only contain a code's name are none.
    assert.equal(codes('YELLOW'), undefined);
    assert.equal(codes('Fore.red', 'Style.reset'), undefined);
    assert.equal(codes('Fore.', 'Style.'), undefined);
    assert.equal(codes('XBOLD', 'ENDCX'), undefined);
    assert.equal(codes('bold', 'red'), undefined);
    assert.equal(codes('user_name', 'task'), undefined);
    // An escape sequence written in the text, in the second literal of two.
    assert.equal(lowered(candidate([{ text: 'Progress: ' }, { text: '\u001b[93mhalf way\u001b[0m' }])), COLOURED);
    assert.equal(lowered(candidate([{ text: 'Progress: [half way]' }])), undefined);
  });

  it('a deprecation notice says it is deprecated and what becomes of it, in under 600 characters', () => {
    const notice = (...texts: string[]) => lowered(candidate(texts.map((text) => ({ text }))));
    assert.equal(notice("The 'prefix' argument is deprecated and will be removed in a future version."), DEPRECATION);
    assert.equal(notice('These options are deprecated and are no longer supported.'), DEPRECATION);
    assert.equal(notice('The flags have been deprecated and have no effect.'), DEPRECATION);
    assert.equal(notice('This field has been deprecated: use the system argument instead.'), DEPRECATION);
    // Split over two literals, read as one text.
    assert.equal(notice('The prefix argument is depre', 'cated and has no effect.'), DEPRECATION);
    // Either half alone is no notice.
    assert.equal(notice('The prefix argument is deprecated.'), undefined);
    assert.equal(notice('Old entries will be removed after a week.'), undefined);
    assert.equal(notice('It is undeprecated and has no effect.'), undefined);
    const head = 'The prefix argument is deprecated and has no effect. ';
    assert.equal(notice(head + 'x'.repeat(599 - head.length)), DEPRECATION);
    assert.equal(notice(head + 'x'.repeat(600 - head.length)), undefined);
  });

  it('a local name whose every use raises, throws, logs, prints or warns with it', () => {
    const check = (binding: string, body: string[], name = 'message') => {
      const { c, source, code } = local(name, binding, body);
      return lowered(c, judgement(), source, code);
    };
    const bound = '    message = "The model weights are missing: run the setup script, then start again."';
    for (const sink of ['raise ValueError(message)', 'print(message)', 'logging.warning(message)', 'logger.error(message)', 'self._log.info(message)', 'log.debug(message)', 'warnings.warn(message)', 'st.error(message)', 'click.echo(message)', 'typer.echo (message)', 'sys.exit(message)', 'console.error(message)']) {
      assert.equal(check(bound, [`    ${sink}`]), only('message'), sink);
    }
    // A call that only ends like one, or a method of another object, is no sink.
    for (const other of ['send(message)', 'blueprint(message)', 'my_logger_factory(message)', 'obj.raise_for(message)', 'reprint(message)']) {
      assert.equal(check(bound, [`    ${other}`]), undefined, other);
    }
    // Every use, not one.
    assert.equal(check(bound, ['    logger.info(message)', '    return message']), undefined);
    // Used nowhere but where it is bound; bound again.
    assert.equal(check(bound, ['    return None']), undefined);
    assert.equal(check(bound, ['    message = message.strip()', '    raise ValueError(message)']), undefined);
    // The use on the file's last line, with no line break after it; a use followed by a sink on the next line is no sink.
    assert.equal(check(bound, ['    send(message)', '    raise ValueError("failed")']), undefined);
    // Alone on its line as the argument of a call opened on the line above.
    assert.equal(check(bound, ['    logger.warning(', '        message', '    )']), only('message'));
    assert.equal(check(bound, ['    send(', '        message', '    )']), undefined);
    // Interpolated into a literal that is logged (camel's `logger.info(f"\n{prompt}\n")`).
    assert.equal(check(bound, ['    logger.info(f"\\n{message}\\n")']), only('message'));
    assert.equal(check(bound, ['    send(f"\\n{message}\\n")']), undefined);
  });

  it('the binding is not a use, however it is written; names it cannot read are left alone', () => {
    const sink = ['    raise ValueError(message)'];
    const check = (binding: string, context?: Record<string, unknown>, name = 'message') => {
      const { c, source, code } = local(name, binding, sink);
      if (context) Object.assign(c.context, context);
      return lowered(c, judgement(), source, code);
    };
    assert.equal(check('    message = (\n        "The model weights are missing: run the setup script first."\n    )'), only('message'));
    assert.equal(check('    message=(\n        "The model weights are missing: run the setup script first."\n    )'), only('message'));
    assert.equal(check('    message: str = (\n        "The model weights are missing: run the setup script first."\n    )'), only('message'));
    // (A line continued with a backslash was read as a use, a new binding, before session 46.)
    assert.equal(check('    message =\\\n        "The model weights are missing: run the setup script first."'), only('message'));
    // At module level, without a function, or a name that is not an identifier: not judged.
    assert.equal(check('    message = "The model weights are missing."', { topLevel: true }), undefined);
    assert.equal(check('    message = "The model weights are missing."', { scope: undefined }), undefined);
    assert.equal(check('    message = "The model weights are missing."', { boundName: 'self.message' }), undefined);
    assert.equal(check('    message = "The model weights are missing."', { boundName: '1message' }), undefined);
    assert.equal(check('    message = "The model weights are missing."', { boundName: undefined }), undefined);
  });

  it('a TypeScript name with a dollar sign', () => {
    const source = ['export function run(x: string) {', '  const $msg = "The model weights are missing: run the setup script.";', '  throw new Error($msg);', '}'].join('\n');
    const start = source.indexOf('"The model');
    const code = source.replace(/"[^"\n]*"/g, (m) => ' '.repeat(m.length));
    const c = candidate([{ text: 'The model weights are missing: run the setup script.', start }], { boundName: '$msg', scope: { from: 0, to: source.length } });
    assert.equal(lowered(c, judgement(), source, code), only('$msg'));
    const sent = source.replace('throw new Error($msg);', 'return ask($msg);');
    assert.equal(lowered(c, judgement(), sent, sent.replace(/"[^"\n]*"/g, (m) => ' '.repeat(m.length))), undefined);
  });
});
