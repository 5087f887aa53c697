/**
 * Questions asked of the person at the terminal. A literal passed straight to `input(…)` is one (context.ts); so is a
 * literal bound to a name whose next use is such a call's argument: aider's report.py binds
 * `prompt = "Open a GitHub Issue pre-filled with the above error in your browser? (Y/n) "`, then calls
 * `input(prompt)` (break32a), and the name made it a user prompt. The file is read once per source text.
 */

import type { SyntaxNode } from '@lezer/common';
import type { LiteralContext } from './literalContext';

/**
 * Callees that ask the human at the terminal (`getpass(prompt="Please enter your OpenAI API key: ")`,
 * `typer.prompt(…)`, `input(…)`): their `prompt` is a question on screen, never sent to a model.
 */
export const HUMAN_INPUT_CALLEE = /^(getpass(\.getpass)?|input|raw_input|get_human_input|(typer|click)\.(prompt|confirm)|(rich\.prompt\.)?(Prompt|Confirm|IntPrompt)\.ask|questionary\.(text|password|confirm|select)|readline\.question|rl\.question|window\.prompt)$/;

/** A call of one of them with a bare name as its first argument: `input(prompt)`, `rl.question(query, cb)`. */
const ASKED_NAME = new RegExp(`(?<![\\w$.])(?:${HUMAN_INPUT_CALLEE.source.slice(1, -1)})\\(\\s*(?<name>[A-Za-z_$][\\w$]*)\\s*[,)]`, 'g');
/** What every such call holds (a quick test before the search above). */
const ASK_HINT = /(?:input|getpass|prompt|confirm|ask|text|password|select|question)\(/;

/** For each name the file asks with: the offset of each use of it, and whether that use is the question of a call. */
type Uses = Map<string, Array<{ at: number; asked: boolean }>>;

let cache: { src: string; uses: Uses } | undefined;

function askedUses(src: string): Uses {
  if (cache?.src === src) return cache.uses;
  const uses: Uses = new Map();
  if (ASK_HINT.test(src)) {
    const asked = new Map<string, Set<number>>();
    for (const m of src.matchAll(ASKED_NAME)) {
      const name = m.groups?.name ?? '';
      const at = (m.index ?? 0) + m[0].lastIndexOf(name);
      let set = asked.get(name);
      if (!set) asked.set(name, (set = new Set()));
      set.add(at);
    }
    for (const [name, set] of asked) {
      const list: Array<{ at: number; asked: boolean }> = [];
      // A use that adds to the text (`prompt += "…"`) continues it: the question is still to come. A binding
      // (`prompt = "Delete it and recreate?"` in the else branch of the if that bound it first: crewAI devtools) or a
      // keyword (`getpass(prompt=…)`) reads nothing: the next use is the read after it.
      for (const u of src.matchAll(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])(?!\\s*\\+=)(?!\\s*(?::[\\w\\[\\]., |]*)?=(?!=))`, 'g'))) list.push({ at: u.index ?? 0, asked: set.has(u.index ?? 0) });
      uses.set(name, list);
    }
  }
  cache = { src, uses };
  return uses;
}

/**
 * Marks a literal whose name is next used as a question at the terminal: a UI string, and not the value that a later
 * use of the name sends to a model (the name bound again: `prompt = "Continue? (y/n) "`, `input(prompt)`, then
 * `prompt = "Summarize…"` sent as a message's content).
 */
export function askedAtTerminal(ctx: LiteralContext): void {
  ctx.negatives.push('asked');
  delete ctx.sentTo;
  delete ctx.sentAsContent;
}

/** Whether the next use of `name` at or after `from` is the question of a call that asks the person at the terminal. */
export function askedNext(src: string, name: string, from: number): boolean {
  const list = askedUses(src).get(name);
  if (!list) return false;
  return list.find((u) => u.at >= from)?.asked ?? false;
}

/** The variable an assignment statement around `node` binds (`x = …`, `x += …`), and the statement; undefined outside one. */
function assignedAround(src: string, node: SyntaxNode | null): { name: string; statement: SyntaxNode } | undefined {
  for (let p = node; p; p = p.parent) {
    if (FUNCTION_OR_CLASS.has(p.name)) return undefined;
    if (p.name !== 'AssignStatement') continue;
    const target = p.firstChild;
    return target?.name === 'VariableName' ? { name: src.slice(target.from, target.to), statement: p } : undefined;
  }
  return undefined;
}

const FUNCTION_OR_CLASS = new Set(['FunctionDefinition', 'ClassDefinition', 'LambdaExpression']);

/**
 * Whether a class attribute of a Python file (`class ReviewConst: EXIT_INSTRUCTION = "If you want to terminate the
 * process, type: exit"`) is only ever text for the person at the terminal: every `ReviewConst.EXIT_INSTRUCTION` of the file
 * is in the value of a variable that is next asked with (`prompt = (f"…{ReviewConst.EXIT_INSTRUCTION}\n" …)`, then
 * `get_human_input(prompt)`), directly or through one variable more (`review_instruction = (ReviewConst.TASK_REVIEW_INSTRUCTION
 * if … else …)`, spliced into that `prompt`). MetaGPT's metagpt/actions/di/ask_review.py: its three instructions were read
 * as system prompts by their names. A class whose attribute is used anywhere else (or not at all) in the file says nothing.
 */
export function classAttributeAskedOnly(src: string, root: SyntaxNode, className: string, name: string): boolean {
  const uses = [...src.matchAll(new RegExp(`(?<![\\w.])${className}\\.${name}(?!\\w)`, 'g'))].map((m) => m.index ?? 0);
  if (uses.length === 0 || !/(?:input|ask|prompt|confirm|question)\(/.test(src)) return false;
  return uses.every((at) => {
    const first = assignedAround(src, root.resolveInner(at, 1));
    if (!first) return false;
    if (askedNext(src, first.name, first.statement.to)) return true;
    // One variable more: the next use of the first one is in the value of a variable that is asked with.
    const next = new RegExp(`(?<![\\w.])${first.name}(?!\\w)`, 'g');
    next.lastIndex = first.statement.to;
    const use = next.exec(src);
    const second = use ? assignedAround(src, root.resolveInner(use.index, 1)) : undefined;
    return second !== undefined && second.name !== first.name && askedNext(src, second.name, second.statement.to);
  });
}
