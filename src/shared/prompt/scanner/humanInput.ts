/**
 * Questions asked of the person at the terminal. A literal passed straight to `input(…)` is one (context.ts); so is a
 * literal bound to a name whose next use is such a call's argument: aider's report.py binds
 * `prompt = "Open a GitHub Issue pre-filled with the above error in your browser? (Y/n) "`, then calls
 * `input(prompt)` (break32a), and the name made it a user prompt. The file is read once per source text.
 */

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
