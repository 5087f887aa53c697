import type { JoinedElements, LiteralQuoting, LiteralSegment, Placeholder, PromptLocation } from '../../../protocol/scan';
import type { Candidate } from './candidate';
import { judge, kindFromName, PROMPT_THRESHOLD } from './evidence';
import type { Judgement, LiteralContext } from './literalContext';
import { findTextPlaceholders } from './atoms';
import { textBraces } from './jsBraceFields';
import { SIGNATURE_HOLDER } from './fileNames';
import { type DecodedLiteral } from './literals';

export type { Candidate } from './candidate';
import { promptProvider } from './models';
import { providerOfBaseUrls, providerOfModelName } from './providers';
import type { LineIndex } from './positions';
import { peopleMessages } from './peopleMessages';

/** Texts of a candidate's segments joined, with each segment's start in the joined text. */
function joined(segments: DecodedLiteral[]): { text: string; starts: number[] } {
  let text = '';
  const starts: number[] = [];
  for (const s of segments) {
    starts.push(text.length);
    text += s.text;
  }
  return { text, starts };
}

export function candidateText(c: Candidate): string {
  return c.pieces && c.pieces.length > 1 ? c.pieces.map((p) => joined(p).text).join('\n') : joined(c.segments).text;
}

/** Names that say a prompt is held there (SYSTEM_PROMPT, system_instructions, promptTemplate). */
const PROMPT_NAME = /prompt|instruction/i;

/** The function a `${f()}` interpolation calls (`f`, also of `obj.f(x)`): calledSections makes that function's returned literal a section of the prompt. */
const CALLED_NAME = /^(?:[A-Za-z_$][\w$]*\.)*([A-Za-z_$][\w$]*)\s*\([^()]*\)$/;

/**
 * Adds to `into` every name by which `buildLocations` can make a candidate take in, or splice
 * in, another candidate: the names it interpolates, the function an interpolation calls
 * (calledSections), the variable its `+` chain starts with (absorbChainHeads) and the chain's other variables
 * (spliceChainConstants).
 */
export function namesUsedBy(c: Candidate, into: Set<string>): void {
  if (c.context.chainHead !== undefined) into.add(c.context.chainHead);
  if (c.context.constantHead !== undefined) into.add(c.context.constantHead);
  // The other variables of a `+` chain, and the runtime elements of a joined list (spliceChainConstants).
  for (const v of c.context.chainValues ?? []) if (v.name !== undefined) into.add(v.name);
  for (const e of c.joined?.elements ?? []) if ('value' in e && !e.spread) into.add(e.value);
  const add = (segments: DecodedLiteral[]): void => {
    for (const s of segments) {
      for (const p of s.interpolated) {
        const name = p.name.trim();
        into.add(name);
        for (const base of splicedBases(name)) into.add(base);
        const call = CALLED_NAME.exec(name);
        if (call) into.add(call[1]);
        // (A list joined in the interpolation, `${actionSections.join('\n\n')}`: nestJoinedLists takes it in.)
        const list = joinWritten(name)?.name;
        if (list) into.add(list);
      }
    }
  };
  add(c.segments);
  if (c.pieces) for (const p of c.pieces) add(p);
}

/**
 * Whether `buildLocations` can make anything of a judged candidate of source code (one with
 * its `verdict`), given the names the file's candidates use (`namesUsedBy` over all of them).
 * A candidate that is not a prompt matters only by its name: as a fragment, a constant or a
 * called section another candidate names (absorbFragments, calledSections), as the head of a
 * `+` chain (absorbChainHeads), or as a shell under a prompt name (absorbFragments); or as a
 * chain itself, which may take its head's judgement. The others are never looked up, raised
 * or composed, and drop out of the result: leaving them out of `buildLocations` changes nothing.
 * (documentTemplates reads only YAML and JSON values without a verdict.)
 */
export function mayMatter(c: Candidate, j: Judgement, used: ReadonlySet<string>): boolean {
  if (j.score >= PROMPT_THRESHOLD || c.context.chainHead !== undefined || c.context.constantHead !== undefined) return true;
  const name = c.context.boundName;
  return name === undefined || used.has(name) || PROMPT_NAME.test(name) || moduleConstant(c, j) || shortListItem(c, j);
}

/** Whether a candidate is an item of a list of objects that `shortListItems` may raise: held back by its length alone. */
function shortListItem(c: Candidate, j: Judgement): boolean {
  return c.context.messageList !== undefined && j.evidence.some((e) => e.weight < 0 && SHORT_ITEM.test(e.detail));
}

/** The shape evidence of a text of 3 to 5 words (evidence.ts). */
const SHORT_ITEM = /^only [345] words$/;

/** How many other requests a prompt sent by several calls lists (`PromptLocation.sentIn.also`). */
const MAX_OTHER_REQUESTS = 8;

/** An upper-case module constant (`REGEN_ADDITIONAL_INFO = """…"""`), the literal its whole value. */
const UPPER_CONSTANT = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** A candidate that `promptModuleConstants` may raise: an upper-case module constant whose text reads as instructions. */
function moduleConstant(c: Candidate, j: Judgement): boolean {
  return c.context.topLevel === true && c.context.keys.length === 0 && c.context.callees.length === 0 && !c.pieces && UPPER_CONSTANT.test(c.context.boundName ?? '') && j.score >= 0.5;
}

/**
 * A name that calls its text a message shown to someone (marvin's slackbot `CHANNEL_REDIRECT_MESSAGE = "Please post this
 * question in <#{channel_id}> for assistance."`, posted to Slack beside the module's prompts): it says what the text is.
 */
const SHOWN_MESSAGE_NAME = /(?:^|_)(?:MESSAGE|MSG|ERROR|WARNING|NOTICE|LABEL|TITLE|PLACEHOLDER|BANNER|TOOLTIP|USAGE)(?:_|$)/;

/**
 * A module constant of instructions beside the file's prompt constants (held-out round 8: Scrapegraph-ai's
 * generate_answer_node_prompts.py holds six `TEMPLATE_*` prompts and `REGEN_ADDITIONAL_INFO = """You are a scraper and you
 * have just failed…"""`, which another module prepends to them): a prompt of that module of prompts, though its name says
 * nothing of one. Only text that opens as instructions do ("You are…", "Summarize…"), with nothing against it, and only
 * beside two constants or more that are prompts by their names or uses.
 */
function promptModuleConstants(judged: Array<{ c: Candidate; j: Judgement }>): void {
  const constant = (c: Candidate): boolean => c.context.topLevel === true && c.context.keys.length === 0 && c.context.callees.length === 0 && UPPER_CONSTANT.test(c.context.boundName ?? '');
  // (Prompts by what the code does with them or calls them, not by their text alone: beside two requirements that read as
  // prompts, MetaGPT's run_mgx_env.py keeps twenty more, test inputs of a demo.)
  const named = (j: Judgement): boolean => j.evidence.some((e) => e.weight > 0 && e.kind !== 'shape' && e.kind !== 'file');
  const prompts = judged.filter(({ c, j }) => j.score >= PROMPT_THRESHOLD && constant(c) && named(j)).map(({ j }) => j.kind);
  if (prompts.length < 2) return;
  // (Of the family's kind: beside six templates, a template too.)
  const kind = prompts.reduce((a, k) => (prompts.filter((x) => x === k).length > prompts.filter((x) => x === a).length ? k : a));
  for (const { c, j } of judged) {
    if (j.score >= PROMPT_THRESHOLD || !moduleConstant(c, j) || j.evidence.some((e) => e.weight < 0) || SHOWN_MESSAGE_NAME.test(c.context.boundName ?? '')) continue;
    if (!j.evidence.some((e) => e.kind === 'shape' && /^(opens like a system prompt|gives a task)/.test(e.detail))) continue;
    raise(j, PROMPT_THRESHOLD - j.score + 0.01, `a constant of instructions beside the ${prompts.length} prompt constants of the file`);
    j.kind = kind;
  }
}

/**
 * A prompt that interpolates a local variable holding prompt text (`` `…${categoriesContext}…` ``
 * where `categoriesContext` is assigned a literal that is not a prompt on its own) is one
 * composed prompt: the variable's literals become pieces of it and are not reported apart.
 */
/**
 * A function whose returned text a prompt splices in by calling it (`${getApproachStrategy()}`, morphic's search-mode
 * prompts): that text is a section of the prompt, a template of its own, like a module constant spliced in. Found by
 * newuser25: two sections of 190 and 759 tokens were missed because their function names say nothing of prompts.
 */
function calledSections(judged: Array<{ c: Candidate; j: Judgement }>): void {
  const called = new Set<string>();
  for (const { c, j } of judged) {
    if (j.score < PROMPT_THRESHOLD) continue;
    for (const p of c.segments.flatMap((s) => s.interpolated)) {
      const call = CALLED_NAME.exec(p.name.trim());
      if (call) called.add(call[1]);
    }
  }
  if (called.size === 0) return;
  for (const { c, j } of judged) {
    const name = c.context.boundName;
    if (!name || !called.has(name) || j.score >= PROMPT_THRESHOLD || c.context.topLevel || j.evidence.some((e) => e.weight <= -2)) continue;
    if (candidateText(c).split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length < 3) continue;
    raise(j, PROMPT_THRESHOLD - j.score + 0.01, `spliced into a prompt as \${${name}()}`);
    j.kind = 'template';
  }
}

/** The table an interpolation picks an entry of (`TONE_RULES[tone]` is `TONE_RULES`), or the name as written. */
function entryBase(name: string): string {
  return /^([A-Za-z_$][\w$]*)\[[^\]]+\]$/.exec(name)?.[1] ?? name;
}

/** JavaScript's `cond ? A : B` and Python's `A if cond else B`, both branches bare names (`language === 'zh' ? ExamplesZH : ExamplesEN`). */
const NAMED_BRANCHES = /^[^?:]+\?\s*([A-Za-z_$][\w$]*)\s*:\s*([A-Za-z_$][\w$]*)$|^([A-Za-z_]\w*)\s+if\s+[^:]+?\s+else\s+([A-Za-z_]\w*)$/;

/**
 * The module constants an interpolation may splice in: the name, the table it picks an entry of, or each branch of a
 * choice between two constants (UI-TARS-desktop's `${language === 'zh' ? ThoughtExamplesZH : ThoughtExamplesEN}`, held-out
 * round 13): whichever is chosen is sent, so each is a fragment of the prompt, as a table's entries are.
 */
function splicedBases(name: string): string[] {
  const m = NAMED_BRANCHES.exec(name);
  return m ? [m[1] ?? m[3], m[2] ?? m[4]] : [entryBase(name)];
}

/**
 * A message's content written only as the locals it joins (stagehand's `const content = \`${baseContent}${contentDetail}\n\n
 * ${instructions}…\`` returned as `{ role: "system", content }`, held-out round 9): no text of its own, but the message the
 * function sends, so the literals of the locals it interpolates (whatever their names) are the pieces of one composed
 * prompt rather than prompts of their own. Locals assigned by a ternary chosen at run time stay runtime values.
 */
function isContentShell(c: Candidate, j: Judgement): boolean {
  if (c.context.topLevel || c.context.sentAsContent === undefined || c.pieces || c.segments.length === 0) return false;
  // (No letter outside its interpolations, a nested template's included: `${a ? \`\n\n${a}\` : ""}`.)
  const ownText = (s: DecodedLiteral): string => {
    let out = '';
    let at = 0;
    for (const p of [...s.interpolated].sort((a, b) => a.start - b.start)) {
      out += s.text.slice(at, p.start);
      at = Math.max(at, p.end);
    }
    return out + s.text.slice(at);
  };
  if (!c.segments.every((s) => s.interpolated.length > 0 && !/\p{L}/u.test(ownText(s)))) return false;
  // (Nothing against it but its having no text of its own.)
  return j.evidence.every((e) => e.weight > -1 || e.detail === 'only interpolated values, no text of its own' || /^only \d+ words?$/.test(e.detail));
}

function absorbFragments(judged: Array<{ c: Candidate; j: Judgement }>): Set<Candidate> {
  const absorbed = new Set<Candidate>();
  const byName = new Map<string, Candidate[]>();
  // The locals a message-content shell takes in whatever their names (`instructions`, `toolInstructions`): see `contentShell`.
  const localsByName = new Map<string, Candidate[]>();
  // Module constants are fragments in their own right (several prompts may splice them in): reported apart, not absorbed.
  const constants = new Map<string, Array<{ c: Candidate; j: Judgement }>>();
  for (const entry of judged) {
    const { c } = entry;
    const name = c.context.boundName;
    if (!name || c.context.callees.length > 0 || c.pieces) continue;
    if (candidateText(c).split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length < 3) continue;
    if (!c.context.topLevel) {
      const list = localsByName.get(name);
      if (list) list.push(c);
      else localsByName.set(name, [c]);
    }
    if (/prompt|instruction|template|message/i.test(name)) continue;
    // (Appended in place: a name bound in every function of a file would otherwise copy its list each time.)
    if (c.context.topLevel) {
      const list = constants.get(name);
      if (list) list.push(entry);
      else constants.set(name, [entry]);
    } else {
      const list = byName.get(name);
      if (list) list.push(c);
      else byName.set(name, [c]);
    }
  }
  // A list joined into a variable (`rules = "\n- ".join(RULES)`) that a prompt interpolates (`f"…{rules}"`): a composed
  // prompt of its own, spliced in (break31: its lines were found nowhere). Not taken in: a joined text is no piece.
  const joinedLists = new Map<string, Array<{ c: Candidate; j: Judgement }>>();
  for (const entry of judged) {
    const name = entry.c.context.boundName;
    if (!entry.c.joined || !name || entry.j.score >= PROMPT_THRESHOLD) continue;
    const list = joinedLists.get(name);
    if (list) list.push(entry);
    else joinedLists.set(name, [entry]);
  }
  if (byName.size === 0 && constants.size === 0 && joinedLists.size === 0 && localsByName.size === 0) return absorbed;
  const judgementOf = new Map(judged.map(({ c, j }) => [c, j]));
  for (const { c, j } of judged) {
    // A shell with little text of its own (`${PERSONA}\n\nRules:\n${RULES}` bound to SYSTEM_PROMPT) is judged on too
    // few words; bound to a prompt name and splicing in local fragments, it is the prompt they compose (newuser25).
    const contentShell = isContentShell(c, j);
    const shell = contentShell || (j.score < PROMPT_THRESHOLD && PROMPT_NAME.test(c.context.boundName ?? '') && !j.evidence.some((e) => e.weight <= -1));
    if (j.score < PROMPT_THRESHOLD && !shell) continue;
    const names = contentShell ? c.segments.flatMap((s) => s.interpolated.flatMap((p) => p.name.match(/[A-Za-z_$][\w$]*/g) ?? [])) : c.segments.flatMap((s) => s.interpolated.map((p) => p.name.trim()));
    // A module constant is spliced in by name, or as an entry picked at run time (`${TONE_RULES[tone]}`, CopilotKit's
    // agent-config prompt, held-out round 5; or one of two constants a condition chooses, splicedBases), and by any piece
    // of a composed prompt (the rows of a joined list).
    const spliced = [c.segments, ...(c.pieces ?? [])].flatMap((segments) => segments.flatMap((s) => s.interpolated.flatMap((p) => splicedBases(p.name.trim()))));
    for (const f of [...new Set(spliced)].flatMap((n) => constants.get(n) ?? [])) {
      // Sent as part of this prompt, the constant is priced with its model when no call of its own names one (models.ts).
      if (f.c !== c && f.c.context.ternary !== 'never' && !f.c.splicedInto?.includes(c)) (f.c.splicedInto ??= []).push(c);
      // (A ternary's branch that a constant of the file does not choose is never sent: not a template either.)
      if (f.c === c || f.c.context.ternary === 'never' || f.j.score >= PROMPT_THRESHOLD || f.j.evidence.some((e) => e.weight <= -2)) continue;
      raise(f.j, 1, `spliced into a prompt as {${f.c.context.boundName}}`);
      f.j.kind = 'template';
    }
    for (const f of names.flatMap((n) => joinedLists.get(n) ?? [])) {
      const at = c.segments[0]?.start ?? 0;
      if (f.c === c || f.j.score >= PROMPT_THRESHOLD || f.j.evidence.some((e) => e.weight <= -2) || (f.c.context.scope && !(at >= f.c.context.scope.from && at < f.c.context.scope.to))) continue;
      if (candidateText(f.c).split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length < 3) continue;
      raise(f.j, PROMPT_THRESHOLD - f.j.score + 0.01, `joined into ${f.c.context.boundName}, spliced into a prompt as {${f.c.context.boundName}}`);
      f.j.kind = 'template';
    }
    // (A composed prompt's pieces are its own: it takes in no local fragment.)
    if (c.pieces) continue;
    // A variable assigned inside a function is local to it: a prompt takes in only the fragments of its own function
    // (or of one around it), not those of a same-named variable in another function of the file.
    const at = c.segments[0]?.start ?? 0;
    const visible = (f: Candidate): boolean => !f.context.scope || (at >= f.context.scope.from && at < f.context.scope.to);
    // Of several assignments to one name, the one in force is the last before the prompt (`examples = A` then
    // `examples = B` sends B): the others are replaced values, not pieces. Branches (if/else) read the same way.
    const fragments = [...new Set(names)].flatMap((n) => {
      // (A ternary's branch that a constant of the file does not choose is never assigned: ternary.ts.)
      // (A fragment another prompt took in already is taken in here too: each composed prompt counts all of its own pieces.)
      const own = ((contentShell ? localsByName : byName).get(n) ?? []).filter((f) => f !== c && visible(f) && f.context.ternary !== 'never');
      const before = own.filter((f) => (f.segments[0]?.start ?? 0) < at);
      const chosen = before.length > 0 ? before[before.length - 1] : own[0];
      // Assigned in a branch or loop the prompt is not in (`if existing: section = f"…"`), the fragment may be unset
      // when the prompt is sent: it stays a runtime value, so the count remains a lower bound (graphiti's summarize_saga).
      const cond = chosen?.context.conditional;
      if (cond && !(at >= cond.from && at < cond.to)) return [];
      // Chosen by a ternary at run time (`section = f"…" if existing else ""`): a runtime value for the same reason.
      if (chosen?.context.ternary === 'runtime') return [];
      return chosen ? [chosen] : [];
    });
    if (fragments.length === 0) continue;
    // (A shell whose fragments are none of them prompts on their own stays out: Continue's `<|user|>\n${references}…` completion template.)
    if (shell && !fragments.some((f) => (judgementOf.get(f)?.score ?? 0) >= PROMPT_THRESHOLD)) continue;
    if (shell) raise(j, PROMPT_THRESHOLD - j.score + 0.01, `composed of ${fragments.map((f) => f.context.boundName).join(', ')} under a prompt name`);
    for (const f of fragments) absorbed.add(f);
    c.fills = new Map(fragments.map((f) => [f.segments, f.context.boundName as string]));
    c.pieces = [c.segments, ...fragments.map((f) => f.segments)].sort((a, b) => a[0].start - b[0].start);
    j.evidence.push({ kind: 'name', detail: `composed with ${fragments.map((f) => f.context.boundName).join(', ')}`, weight: 0 });
  }
  return absorbed;
}

/**
 * `prompt + "…" + summary` where `prompt` is a local variable that holds a literal (code.ts sets
 * `chainHead`): one composed prompt, the variable's literal its first piece (filling the name), as
 * `+=` appends to a prompt; not the variable's literal and the chain as two prompts. A prompt
 * when the chain was one on its own, or when the variable's literal was and the chain is bound to a name.
 *
 * The same for a module constant assigned once in the file (`DIRECTORY_PROMPT = COMMON_PROMPT + """…"""`,
 * MetaGPT's tutorial assistant; code.ts sets `constantHead`): its literal is text of the chain, counted in
 * place, when the chain is a prompt on its own. The constant stays a prompt of its own too (other chains may
 * start with it), so its piece is `shared`: the chain's lens stays on the chain's own literals.
 */
function absorbChainHeads(judged: Array<{ c: Candidate; j: Judgement }>, src: string): Set<Candidate> {
  const absorbed = new Set<Candidate>();
  const chains = judged.filter(({ c }) => (c.context.chainHead !== undefined || c.context.constantHead !== undefined) && !c.joined);
  if (chains.length === 0) return absorbed;
  const start = (c: Candidate): number => (c.pieces?.[0] ?? c.segments)[0]?.start ?? 0;
  const plain = (f: Candidate, name: string): boolean => !f.pieces && !f.joined && f.context.boundName === name && f.context.callees.length === 0;
  for (const entry of chains) {
    const { c } = entry;
    let head: { c: Candidate; j: Judgement } | undefined;
    const local = c.context.chainHead;
    const name = (local ?? c.context.constantHead) as string;
    if (local !== undefined) {
      const scope = c.context.scope;
      const heads = judged.filter(({ c: f }) => f !== c && !absorbed.has(f) && plain(f, name) && f.context.scope?.from === scope?.from && f.context.scope?.to === scope?.to && start(f) < start(c));
      head = heads[heads.length - 1];
      // (A chain bound to no name counts only as a prompt of its own: incremental.ts keeps no other, build.ts must agree.)
      if (!head || (entry.j.score < PROMPT_THRESHOLD && (head.j.score < PROMPT_THRESHOLD || c.context.boundName === undefined))) continue;
      absorbed.add(head.c);
      if (entry.j.score < PROMPT_THRESHOLD) entry.j = { ...head.j, evidence: [...head.j.evidence] };
    } else {
      if (entry.j.score < PROMPT_THRESHOLD || !assignedOnce(src, name)) continue;
      head = judged.find(({ c: f }) => f !== c && plain(f, name) && f.context.topLevel && !f.runtimeOperands && f.context.ternary === undefined && f.context.conditional === undefined);
      if (!head) continue;
      (c.sharedPieces ??= new Set()).add(head.c.segments);
      // Sent as part of this prompt, the constant is priced with its model when no call of its own names one (models.ts).
      if (!head.c.splicedInto?.includes(c)) (head.c.splicedInto ??= []).push(c);
    }
    c.pieces = [head.c.segments, ...(c.pieces ?? [c.segments])];
    // `segments` is the longest piece, as for any `+` chain (code.ts); the lens stands on the first (promptSpan).
    const length = (p: DecodedLiteral[]): number => p.reduce((n, d) => n + d.text.length, 0);
    c.segments = c.pieces.filter((p) => !c.sharedPieces?.has(p)).reduce((a, b) => (length(b) > length(a) ? b : a));
    c.fills = new Map([[head.c.segments, name]]);
    delete c.runtimeOperands;
    entry.j.evidence.push({ kind: 'name', detail: local !== undefined ? `composed with ${name}, the literal it holds` : `composed with ${name}, a constant of the file`, weight: 0 });
  }
  return absorbed;
}

/**
 * The module constants of the file that a prompt may take in as text (`spliceConstants`, `spliceChainConstants`): one
 * string assigned once at the top level (never reassigned, `+=`-ed or `global`-ed; in TypeScript or JavaScript a `const`),
 * whose value is the literal itself. Returns the lookup by name.
 */
function fileConstants(judged: ReadonlyArray<{ c: Candidate; j: Judgement }>, src: string): (name: string) => Candidate | undefined {
  const constants = new Map<string, Candidate | null>();
  for (const { c } of judged) {
    const name = c.context.boundName;
    if (!name || !c.context.topLevel || !BARE_NAME.test(name)) continue;
    // (Two literals bound to one name at the top level: not one constant.)
    constants.set(name, constants.has(name) ? null : c);
  }
  const js = (c: Candidate): boolean => c.segments[0]?.quoting.language !== 'python';
  const memo = new Map<string, Candidate | undefined>();
  const constantOf = (name: string): Candidate | undefined => {
    if (memo.has(name)) return memo.get(name);
    const f = constants.get(name) ?? undefined;
    const ok =
      f !== undefined &&
      !f.pieces &&
      !f.joined &&
      !f.runtimeOperands &&
      f.context.callees.length === 0 &&
      f.context.ternary === undefined &&
      f.context.conditional === undefined &&
      assignedOnce(src, name) &&
      (!js(f) || new RegExp(`\\bconst\\s+${name.replace(/\$/g, '\\$')}\\s*(?::[^=\\n]{0,40})?=`).test(src)) &&
      literalIsValue(f, name, src);
    memo.set(name, ok ? f : undefined);
    return ok ? f : undefined;
  };
  return constantOf;
}

/**
 * Whether `name` is a parameter of the function that `scope` spans (`def ask(FORMAT):`, `function ask(FORMAT: string) {`,
 * `(FORMAT) =>`): read from the function's header, its text up to the parameter list's closing parenthesis.
 */
function parameterOfScope(src: string, scope: { from: number; to: number } | undefined, name: string): boolean {
  if (!scope) return false;
  const header = /^[^(]*\(([^]*?)\)\s*(?:->[^:\n]*|:[^={\n]*)?(?::|\{|=>)/.exec(src.slice(scope.from, Math.min(scope.to, scope.from + 600)));
  return header !== null && new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(header[1]);
}

/**
 * A module constant of the file among the operands of a `+` chain that is a prompt (`SYSTEM = RULES + FORMAT + "…"`,
 * `const SYSTEM = RULES + FORMAT + "…"`) is text of the prompt, counted in place in the chain's order, as its head is
 * (absorbChainHeads) and as a constant interpolated bare is (spliceConstants): FORMAT read as a runtime value, so the
 * count was a lower bound ("≥26 tokens + runtime values (FORMAT)") where the f-string spelling of the same prompt was
 * counted whole (42). The constant stays a prompt of its own too (`shared`), and one below the threshold is raised as a
 * template fragment, as an interpolated one is. The chain's other operands are its runtime values, named in order.
 */
function spliceChainConstants(judged: Array<{ c: Candidate; j: Judgement }>, src: string): void {
  const constantOf = fileConstants(judged, src);
  const judgementOf = new Map(judged.map(({ c, j }) => [c, j]));
  const take = (f: Candidate, into: Candidate): void => {
    (into.sharedPieces ??= new Set()).add(f.segments);
    if (!f.splicedInto?.includes(into)) (f.splicedInto ??= []).push(into);
    const fj = judgementOf.get(f);
    // (As an interpolated constant is: a fragment with words of its own, no evidence against it, becomes a template.)
    if (fj && fj.score < PROMPT_THRESHOLD && !fj.evidence.some((e) => e.weight <= -2) && candidateText(f).split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length >= 3) {
      raise(fj, PROMPT_THRESHOLD - fj.score + 0.01, `joined into a prompt (${into.context.boundName ?? 'a composed prompt'})`);
      fj.kind = 'template';
    }
  };
  for (const { c, j } of judged) {
    if (c.joined && j.score >= PROMPT_THRESHOLD) {
      // A chain inside a function, or a joined list, reads as a joined list (joined.ts): its constant elements become pieces.
      const at = (c.pieces?.[0] ?? c.segments)[0]?.start ?? 0;
      // (A copy: the incremental scanner keeps its candidates, and hands buildLocations shallow copies of them.)
      const pieces = [...(c.pieces ?? [c.segments])];
      const names: string[] = [];
      let again = false;
      const elements = c.joined.elements.map((e) => {
        if (!('value' in e) || e.spread || !BARE_NAME.test(e.value) || e.value === c.context.boundName || parameterOfScope(src, c.context.scope, e.value)) return e;
        const f = constantOf(e.value);
        if (!f || f === c || (c.context.topLevel && f.segments[0].start > at)) return e;
        // A constant named twice (`SEP + "…" + SEP + q`) sends its text twice: the same piece, in both places (break35).
        const known = pieces.indexOf(f.segments);
        if (known >= 0) {
          again = true;
          return { piece: known };
        }
        pieces.push(f.segments);
        names.push(e.value);
        take(f, c);
        return { piece: pieces.length - 1 };
      });
      if (names.length === 0 && !again) continue;
      // Pieces in the order the elements send them (a constant's literal stands earlier in the file than its use).
      const order: number[] = [];
      for (const e of elements) if ('piece' in e && !order.includes(e.piece)) order.push(e.piece);
      for (const [i] of pieces.entries()) if (!order.includes(i)) order.push(i);
      c.pieces = order.map((i) => pieces[i]);
      c.joined = { ...c.joined, elements: elements.map((e) => ('piece' in e ? { ...e, piece: order.indexOf(e.piece) } : e)) };
      c.fills = new Map([...(c.fills ?? []), ...names.map((name) => [constantOf(name)?.segments as DecodedLiteral[], name] as const)]);
      if (names.length > 0) j.evidence.push({ kind: 'name', detail: `composed with ${names.join(', ')}, ${names.length > 1 ? 'constants' : 'a constant'} of the file`, weight: 0 });
      continue;
    }
    const values = c.context.chainValues;
    if (!values || values.length === 0 || j.score < PROMPT_THRESHOLD || c.joined) continue;
    const pieces = c.pieces ?? [c.segments];
    const taken = new Set<DecodedLiteral[]>(pieces);
    // The head a chain was composed with already (absorbChainHeads) is its first operand, in place.
    const headName = c.context.chainHead ?? c.context.constantHead;
    const head = headName !== undefined ? [...(c.fills ?? [])].find(([, name]) => name === headName)?.[0] : undefined;
    const added: Array<{ f: Candidate; name: string; at: number }> = [];
    const runtime: string[] = [];
    for (const [i, v] of values.entries()) {
      if (i === 0 && head && v.name === headName) continue;
      const f = v.name !== undefined && v.name !== c.context.boundName ? constantOf(v.name) : undefined;
      // (A constant assigned after the chain, at the top level, is not yet bound when it runs. A literal of the chain is
      // no constant to take twice; a constant named twice, `SEP + "…" + SEP`, sends its text twice: a piece in each place.)
      if (!f || f === c || (taken.has(f.segments) && !added.some((a) => a.f === f) && f.segments !== head) || (c.context.topLevel && f.segments[0].start > v.at)) {
        runtime.push(v.written);
        continue;
      }
      taken.add(f.segments);
      added.push({ f, name: v.name as string, at: v.at });
    }
    if (added.length === 0) continue;
    // Each piece at its place in the chain (the head first), a constant named twice at both of its places.
    const placed: Array<{ p: DecodedLiteral[]; at: number }> = [...pieces.map((p) => ({ p, at: p === head ? -1 : p[0].start })), ...added.map(({ f, at }) => ({ p: f.segments, at }))];
    c.pieces = placed.sort((a, b) => a.at - b.at).map(({ p }) => p);
    c.fills = new Map([...(c.fills ?? []), ...added.map(({ f, name }) => [f.segments, name] as const)]);
    for (const { f } of added) take(f, c);
    c.chainRuntime = runtime;
    delete c.runtimeOperands;
    j.evidence.push({ kind: 'name', detail: `composed with ${added.map(({ name }) => name).join(', ')}, ${added.length > 1 ? 'constants' : 'a constant'} of the file`, weight: 0 });
  }
}

/** `name.join("sep")` (JavaScript) and `"sep".join(name)` (Python), as written in an interpolation. */
const JS_JOIN = /^([A-Za-z_$][\w$]*)\s*\.\s*join\(\s*(["'`])((?:\\.|(?!\2)[^\\])*)\2\s*\)$/s;
const PY_JOIN = /^(["'])((?:\\.|(?!\1)[^\\])*)\1\s*\.\s*join\(\s*([A-Za-z_]\w*)\s*\)$/s;
/** The escapes a separator literal may hold, decoded (any other makes it unread). */
const SEPARATOR_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`' };

/** The list an interpolation joins (`actionSections.join('\n\n')`, `"\n".join(rules)`): its name and the separator, decoded. */
export function joinWritten(written: string): { name: string; separator: string } | undefined {
  const js = JS_JOIN.exec(written);
  const py = js ? undefined : PY_JOIN.exec(written);
  const raw = js ? js[3] : py?.[2];
  const name = js ? js[1] : py?.[3];
  if (raw === undefined || name === undefined || (js?.[2] === '`' && raw.includes('${'))) return undefined;
  let ok = true;
  const separator = raw.replace(/\\(.)/gs, (_, c: string) => {
    const out = SEPARATOR_ESCAPES[c];
    if (out === undefined) ok = false;
    return out ?? '';
  });
  return ok ? { name, separator } : undefined;
}

/**
 * A list joined inside an interpolation of a joined prompt's piece, both grown in one function (node-DeepResearch's
 * `getPrompt`: `sections.push(\`…<actions>\n${actionSections.join('\n\n')}\n</actions>\`)`, where `actionSections` holds
 * six action descriptions pushed under `if`s): the model gets one system prompt, so the inner list's pieces are counted in
 * place (`joined.splices`), not as a runtime value, and the inner list is no prompt of its own (it is sent only inside the
 * outer one; its lens counted the same text twice in `prompt scan`, newuser46). The inner list must be bound to the name the
 * interpolation joins, with the same separator, in the same function, and be joined there once (joined.ts).
 */
function nestJoinedLists(judged: Array<{ c: Candidate; j: Judgement }>): Set<Candidate> {
  const absorbed = new Set<Candidate>();
  const lists = judged.filter(({ c }) => c.joined && !c.joined.splices && c.context.boundName !== undefined && c.context.scope !== undefined);
  if (lists.length < 2) return absorbed;
  for (const { c, j } of judged) {
    if (!c.joined || j.score < PROMPT_THRESHOLD || absorbed.has(c) || !c.context.scope) continue;
    const scope = c.context.scope;
    const own = c.pieces ?? [c.segments];
    const pieces = [...own];
    const splices: NonNullable<NonNullable<Candidate['joined']>['splices']> = [];
    const names: string[] = [];
    const fills = new Map(c.fills ?? []);
    const shared = new Set(c.sharedPieces ?? []);
    for (const written of own.flatMap((p) => p.flatMap((s) => s.interpolated.map((ph) => ph.name.trim())))) {
      const join = joinWritten(written);
      if (!join || splices.some((s) => s.value === written)) continue;
      const inner = lists.find(({ c: f }) => f !== c && !absorbed.has(f) && f.context.boundName === join.name && f.joined?.separator === join.separator && f.context.scope?.from === scope.from && f.context.scope?.to === scope.to);
      const f = inner?.c;
      if (!f?.joined) continue;
      const list = f.joined;
      const innerPieces = f.pieces ?? [f.segments];
      const index = innerPieces.map((p) => {
        const known = pieces.indexOf(p);
        if (known >= 0) return known;
        pieces.push(p);
        return pieces.length - 1;
      });
      splices.push({ value: written, separator: join.separator, elements: list.elements.map((e) => ('piece' in e ? { ...e, piece: index[e.piece] } : e)) });
      for (const [p, name] of f.fills ?? []) fills.set(p, name);
      for (const p of f.sharedPieces ?? []) shared.add(p);
      names.push(join.name);
      absorbed.add(f);
    }
    if (splices.length === 0) continue;
    // Pieces in source order, the elements' indexes following them.
    const order = pieces.map((_, i) => i).sort((a, b) => pieces[a][0].start - pieces[b][0].start);
    const at = (e: JoinedElements[number]): JoinedElements[number] => ('piece' in e ? { ...e, piece: order.indexOf(e.piece) } : e);
    c.pieces = order.map((i) => pieces[i]);
    c.joined = { ...c.joined, elements: c.joined.elements.map(at), splices: splices.map((s) => ({ ...s, elements: s.elements.map(at) })) };
    if (fills.size > 0) c.fills = fills;
    if (shared.size > 0) c.sharedPieces = shared;
    j.evidence.push({ kind: 'name', detail: `composed with ${names.join(', ')}, ${names.length > 1 ? 'lists' : 'a list'} joined into it`, weight: 0 });
  }
  return absorbed;
}

/**
 * A prompt composed of module constants joined by a separator (`SYSTEM_PROMPT = ROLE + "\n\n" + RULES`, sent as the
 * system message): its only literal has no word, so judged alone it is no prompt, and the constants (not named for
 * prompts) were none either. Judged again with the constants' text in place, as spliceChainConstants will count it; a
 * chain that is a prompt then takes the constants in as pieces. A chain of names only (`ROLE + RULES`) has no literal,
 * so no candidate: it is still missed.
 */
function constantChains(judged: Array<{ c: Candidate; j: Judgement }>, src: string): void {
  let constantOf: ((name: string) => Candidate | undefined) | undefined;
  for (const { c, j } of judged) {
    const values = c.context.chainValues;
    if (!values || values.length === 0 || j.score >= PROMPT_THRESHOLD || c.joined || /\p{L}/u.test(candidateText(c))) continue;
    constantOf ??= fileConstants(judged, src);
    const texts: string[] = [];
    for (const v of values) {
      const f = v.name !== undefined && v.name !== c.context.boundName ? constantOf(v.name) : undefined;
      if (f && f !== c && !(c.context.topLevel && f.segments[0].start > v.at)) texts.push(candidateText(f));
    }
    if (texts.join(' ').split(/\s+/).filter((w) => /\p{L}/u.test(w)).length < 6) continue;
    const whole = judge(`${texts.join('\n\n')}${candidateText(c)}`, c.context);
    if (whole.score < PROMPT_THRESHOLD) continue;
    Object.assign(j, whole);
    j.evidence.push({ kind: 'name', detail: 'judged with the text of the constants it joins', weight: 0 });
  }
}

/** The modules of an MCP server: the Python SDK's server (`mcp.server.fastmcp`), FastMCP 2, the TypeScript SDK's server. */
const MCP_SERVER_IMPORT = /^(?:mcp\.server(?:\.|$)|fastmcp(?:\.|$)|@modelcontextprotocol\/sdk\/server)/;
/** An MCP server's constructor: `FastMCP("name", instructions=…)`, `new McpServer({ … }, { instructions })`. */
const MCP_SERVER_CALL = /(?:^|\.)(?:FastMCP|McpServer)$/;

/**
 * Whether a candidate is a text an MCP server gives its clients: a tool description in a file that imports an MCP
 * server SDK and builds a server, or a literal inside the server's constructor (its instructions).
 */
function mcpClientText(c: Candidate, src: string): boolean {
  if (![...c.context.imports].some((m) => MCP_SERVER_IMPORT.test(m))) return false;
  if (c.context.callees.some((callee) => MCP_SERVER_CALL.test(callee.replace(/^new\s+/, '')))) return true;
  if (!/\b(?:FastMCP|McpServer)\s*\(/.test(src)) return false;
  if (c.context.tool !== undefined) return true;
  // A constant given as the server's instructions (graphiti: `FastMCP("Graphiti", instructions=GRAPHITI_MCP_INSTRUCTIONS)`).
  const name = c.context.topLevel ? c.context.boundName : undefined;
  return name !== undefined && BARE_NAME.test(name) && new RegExp(`\\b(?:FastMCP|McpServer)\\s*\\([^()]{0,400}?\\binstructions\\s*[=:]\\s*${name.replace(/\$/g, '\\$')}\\b`).test(src);
}

/** A name interpolated bare (`{COMMON_PROMPT}`, `${BASE_PROMPT}`): no format spec or conversion, no call, no attribute, no index. */
const BARE_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * A module constant of the file interpolated bare into a prompt (`f"{COMMON_PROMPT}\n…"`, `` `${BASE_PROMPT}\n…` ``)
 * is text of the prompt, counted in place, as at the head of a `+` chain (absorbChainHeads): one string assigned
 * once at the top level of the file (never reassigned, `+=`-ed or `global`-ed; in TypeScript or JavaScript a
 * `const`), whose value is the literal itself (not `"…".strip()` or `"…" % x`). Like a chain's head it stays a
 * prompt of its own, so its piece is `shared`. A constant that interpolates constants brings theirs in too.
 * With a format spec (`{X:>10}`, `{X!r}`), a call, an attribute (`self.X`), an imported name or a constant that
 * is not a string, the interpolation stays a runtime value.
 */
function spliceConstants(judged: Array<{ c: Candidate; j: Judgement }>, src: string): void {
  const constantOf = fileConstants(judged, src);
  for (const { c, j } of judged) {
    if (j.score < PROMPT_THRESHOLD || c.joined) continue;
    const at = (c.pieces?.[0] ?? c.segments)[0]?.start ?? 0;
    const pieces = c.pieces ?? [c.segments];
    const taken = new Set<DecodedLiteral[]>(pieces);
    const added: Array<{ f: Candidate; name: string }> = [];
    const visit = (segments: DecodedLiteral[], depth: number): void => {
      for (const p of segments.flatMap((s) => s.interpolated)) {
        const name = p.name.trim();
        if (!BARE_NAME.test(name) || name === c.context.boundName) continue;
        const f = constantOf(name);
        // (A constant read at the top level before its assignment is not yet bound: not this one.)
        if (!f || f === c || taken.has(f.segments) || (c.context.topLevel && f.segments[0].start > at)) continue;
        taken.add(f.segments);
        added.push({ f, name });
        if (depth < 4) visit(f.segments, depth + 1);
      }
    };
    for (const p of pieces) visit(p, 0);
    if (added.length === 0) continue;
    c.pieces = [...pieces, ...added.map(({ f }) => f.segments)].sort((a, b) => a[0].start - b[0].start);
    c.fills = new Map([...(c.fills ?? []), ...added.map(({ f, name }) => [f.segments, name] as const)]);
    c.sharedPieces ??= new Set();
    for (const { f } of added) {
      c.sharedPieces.add(f.segments);
      // Sent as part of this prompt, the constant is priced with its model when no call of its own names one (models.ts).
      if (!f.splicedInto?.includes(c)) (f.splicedInto ??= []).push(c);
    }
    j.evidence.push({ kind: 'name', detail: `composed with ${added.map(({ name }) => name).join(', ')}, ${added.length > 1 ? 'constants' : 'a constant'} of the file`, weight: 0 });
  }
}

/** DSPy's field constructors: DSPy writes each field's `prefix=` and `desc=` into its signature's prompt. */
const DSPY_FIELD_CALLEE = /(^|\.)(InputField|OutputField)$/;

/**
 * Whether a literal is the `prefix=` of a DSPy field (`dspy.InputField(prefix="Topic:")`) in a file that imports dspy: a
 * piece of its signature's prompt (`dspySignatures`), however short, so the editor's scan keeps it like a named fragment
 * (incremental.ts) even when it is no prompt on its own. (A field's `desc=` is a field description of its own, as a tool's
 * parameter is: toolEvidence.ts, held-out round 4.)
 */
export function dspyFieldText(ctx: Pick<LiteralContext, 'callees' | 'keys' | 'imports'>): boolean {
  if (ctx.callees.length !== 1 || !DSPY_FIELD_CALLEE.test(ctx.callees[0]) || ctx.keys.length !== 1 || ctx.keys[0] !== 'prefix') return false;
  for (const m of ctx.imports) if (/^dspy(\.|$)/.test(m)) return true;
  return false;
}

/** A field of a DSPy signature's body, `topic = dspy.InputField(` (a type annotation allowed), at the start of its line. */
const DSPY_FIELD_LINE = /^[ \t]+([A-Za-z_]\w*)[ \t]*(?::[^=\n]{1,80})?=[ \t]*(?:dspy\.)?(InputField|OutputField)[ \t]*\(/gm;

/**
 * A DSPy signature is one prompt (newuser42, stanford-oval/storm): DSPy sends the class's docstring as the instructions,
 * then each field's label, its `prefix=` (in the format section, and again before each value), then the values of the
 * input fields. Its docstring takes in its fields' prefixes as pieces, in order, and the input fields as runtime values;
 * the prefixes are not reported apart (storm's lenses stood on 15 of its 80 field labels, those that read like a prompt on
 * their own, "You are inivited as:" but not "Previous speaker said:"). A field's `desc=` stays a field description of its
 * own (toolEvidence.ts). The count is a lower bound: DSPy writes each label twice and adds lines of its own ("Follow the
 * following format."), which are not in the code.
 */
function dspySignatures(judged: Array<{ c: Candidate; j: Judgement }>, src: string): Set<Candidate> {
  const absorbed = new Set<Candidate>();
  const fields = judged.filter(({ c }) => dspyFieldText(c.context) && !c.pieces);
  if (fields.length === 0) return absorbed;
  const code = maskedCode(src);
  for (const { c, j } of judged) {
    if (!c.context.promptHolder?.startsWith(SIGNATURE_HOLDER) || c.pieces || c.joined || j.score < PROMPT_THRESHOLD) continue;
    const docEnd = c.segments[c.segments.length - 1].end;
    const end = classBodyEnd(code, c.segments[0].start, docEnd);
    // The fields of the class, in order: where each starts, its name, and whether the app fills it at run time.
    const lines: Array<{ at: number; name: string; input: boolean }> = [];
    DSPY_FIELD_LINE.lastIndex = docEnd;
    for (let m = DSPY_FIELD_LINE.exec(code); m && m.index < end; m = DSPY_FIELD_LINE.exec(code)) lines.push({ at: m.index, name: m[1], input: m[2] === 'InputField' });
    if (lines.length === 0) continue;
    const mine = fields.filter(({ c: f }) => f.segments[0].start > lines[0].at && f.segments[0].start < end).map(({ c: f }) => f);
    const pieces: DecodedLiteral[][] = [c.segments];
    const elements: NonNullable<Candidate['joined']>['elements'] = [{ piece: 0, dedent: 'inspect.cleandoc' }];
    for (const [i, field] of lines.entries()) {
      const next = lines[i + 1]?.at ?? end;
      for (const f of mine.filter((f) => f.segments[0].start > field.at && f.segments[0].start < next).sort((a, b) => a.segments[0].start - b.segments[0].start)) {
        elements.push({ piece: pieces.length });
        pieces.push(f.segments);
        absorbed.add(f);
      }
      if (field.input) elements.push({ value: field.name });
    }
    if (pieces.length > 1) {
      c.pieces = pieces;
      j.evidence.push({ kind: 'name', detail: `composed with the prefixes of its fields (${pieces.length - 1})`, weight: 0 });
    }
    c.joined = { separator: '\n', elements };
  }
  return absorbed;
}

/**
 * Where the body of the class whose docstring spans `docStart`–`docEnd` ends in `code` (the file with its literals
 * blanked): at the first line after the docstring that holds code and is indented no deeper than the `class` line.
 */
function classBodyEnd(code: string, docStart: number, docEnd: number): number {
  const lineStart = code.lastIndexOf('\n', code.lastIndexOf('class', docStart)) + 1;
  const indent = /^[ \t]*/.exec(code.slice(lineStart))?.[0].length ?? 0;
  const after = new RegExp(`\\n[ \\t]{0,${indent}}(?=[^ \\t\\r\\n#])`, 'g');
  after.lastIndex = docEnd;
  const m = after.exec(code);
  return m ? m.index + 1 : code.length;
}

/**
 * Whether a constant's value is its literal as written: right after `NAME =`, and nothing applied to it or around it
 * (`"…".strip()`, `"…" % x`, `os.environ.get(…) or "…"`, a list's first item `["David", 40]`).
 */
function literalIsValue(f: Candidate, name: string, src: string): boolean {
  const start = f.segments[0].start;
  const end = f.segments[f.segments.length - 1].end;
  const id = name.replace(/\$/g, '\\$');
  // (From the quote: an f-string's or raw string's prefix is before it.)
  const assigned = new RegExp(`(?:^|[\\n;])[ \\t]*(?:export[ \\t]+)?(?:(?:const|let|var)[ \\t]+)?${id}[ \\t]*(?::[^=\\n]{0,60})?=[ \\t]*\\(?\\s*[rRbBuUfF]{0,2}$`);
  // (TypeScript's `as const` and `satisfies string` change no value: `const RULES = "…" as const` is the literal, break35.)
  return assigned.test(src.slice(Math.max(0, start - 200), start)) && /^[ \t]*\)*(?:[ \t]+(?:as[ \t]+const|satisfies[ \t]+string)\b)?[ \t]*(?:;|#|\/\/|\r?\n|$)/.test(src.slice(end, end + 80));
}

/**
 * The file's text with the candidates' literals blanked, for `assignedOnce` to look for code that rebinds a name and not
 * prose that reads like it ("Look for context in…", "…as context:"). Set by `buildLocations` for the file it builds.
 */
let literalsMasked: { src: string; candidates: readonly Candidate[]; code?: string } = { src: '', candidates: [] };
/** Remembers the file `buildLocations` builds; the masked text is made only when `assignedOnce` first asks (most builds never do: a one-line edit must not copy the file). */
function maskLiterals(candidates: readonly Candidate[], src: string): void {
  literalsMasked = { src, candidates };
}
function maskedCode(src: string): string {
  if (literalsMasked.src !== src) return src;
  if (literalsMasked.code !== undefined) return literalsMasked.code;
  const ranges = literalsMasked.candidates.flatMap((c) => (c.pieces ?? [c.segments]).flat()).map((d) => [d.start, d.end] as const).sort((a, b) => a[0] - b[0]);
  let code = '';
  let at = 0;
  for (const [from, to] of ranges) {
    if (to <= at) continue;
    const start = Math.max(from, at);
    code += src.slice(at, start) + src.slice(start, to).replace(/[^\n]/g, ' ');
    at = to;
  }
  literalsMasked.code = code + src.slice(at);
  return literalsMasked.code;
}

/**
 * The names that code of the file binds otherwise than by assignment (a loop or comprehension variable, `with … as`,
 * `except … as`, an import, a parameter of a function, a lambda, an arrow function or a method): read once per file from
 * its masked text, every binding site's names together. Asked name by name, each of these patterns ran over the whole
 * file for every constant a prompt names: a list of 5,000 elements joined in a function took 17 s (break35).
 */
let reboundNames: { code: string; names: Set<string> } | undefined;
function namesBoundInCode(code: string): Set<string> {
  if (reboundNames?.code === code) return reboundNames.names;
  const names = new Set<string>();
  const identifiers = (text: string): void => {
    for (const m of text.matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)) names.add(m[0]);
  };
  // A parameter list's names: each parameter's text before its default (`=`) and its annotation or type (`:`), at the
  // list's own depth. A name in a default is read there, not bound: `def build(q, rules=DEFAULT_RULES)` leaves
  // DEFAULT_RULES the module constant (it was read as a parameter, and a prompt splicing it counted it as a runtime value).
  const parameters = (text: string): void => {
    let depth = 0;
    let cut = false;
    let name = '';
    for (const ch of text) {
      if (depth === 0 && ch === ',') {
        identifiers(name);
        name = '';
        cut = false;
        continue;
      }
      if ('([{<'.includes(ch)) depth++;
      else if (')]}>'.includes(ch)) depth = Math.max(0, depth - 1);
      // (A destructured parameter's names are inside its braces or brackets: `{ a, b }: Props`, `[x, y]`.)
      if (depth === 0 && (ch === '=' || ch === ':')) cut = true;
      if (!cut) name += ch;
    }
    identifiers(name);
  };
  const sites: Array<[RegExp, (m: RegExpExecArray) => void]> = [
    // (The region between `for` and its last `in`/`of` within reach: every name there, as the pattern read name by name.)
    [/\bfor[ \t]*\(?[ \t]*(?:const|let|var)?[ \t]*([\w$, \t()[\]{}:]{1,161})[ \t](?:in|of)\b/g, (m) => identifiers(m[1])],
    [/\bas[ \t]+([A-Za-z_$][\w$]*)/g, (m) => names.add(m[1])],
    [/\bimport[ \t]+((?:[\w$.]+[ \t]*,[ \t]*)*[\w$.]+)/g, (m) => identifiers(m[1])],
    [/\blambda\b([^:\n]{0,161}):/g, (m) => parameters(m[1])],
    [/\(([^()\n]{0,161})\)[ \t]*(?::[^=\n]{0,40})?=>/g, (m) => parameters(m[1])],
    [/(?<![\w$.])([A-Za-z_$][\w$]*)[ \t]*=>/g, (m) => names.add(m[1])],
    // A parameter of a function anywhere in the file (its own, or an enclosing function's: a closure reads that one).
    [/\b(?:def|function\*?)(?:[ \t]+[\w$]+)?[ \t]*(?:<[^>\n]{0,80}>)?\(((?:[^()]|\([^()]*\)){0,400})/g, (m) => parameters(m[1])],
    // A TypeScript or JavaScript method's (`ask(style: string) {`).
    [
      /^[ \t]*(?:(?:public|private|protected|static|async|override)[ \t]+)*(?!(?:if|while|for|switch|return|catch)\b)[\w$]+[ \t]*\(((?:[^()]|\([^()]*\)){0,801})\)[ \t]*(?::[^{\n]{0,60})?\{/gm,
      (m) => parameters(m[1]),
    ],
  ];
  for (const [pattern, take] of sites) {
    for (let m = pattern.exec(code); m; m = pattern.exec(code)) {
      take(m);
      // (Sites overlap: the next search starts right after where this one started, as a search name by name would.)
      pattern.lastIndex = m.index + 1;
    }
  }
  reboundNames = { code, names };
  return names;
}

/** Whether `name` is assigned exactly once in the file (no `+=`, no second `=`, no `global` rebinding it in a function). */
function assignedOnce(src: string, name: string): boolean {
  if (!/^[A-Za-z_$][\w$]{0,60}$/.test(name)) return false;
  const id = name.replace(/\$/g, '\\$');
  if (new RegExp(`\\bglobal\\s+(?:[\\w$]+\\s*,\\s*)*${id}(?![\\w$])`).test(src)) return false;
  // Bound otherwise somewhere (a loop or comprehension variable, `with … as`, `except … as`, an import, a parameter of a
  // function, a lambda or an arrow function): there the name is not the constant, and the program sends what it holds (break34b).
  if (namesBoundInCode(maskedCode(src)).has(name)) return false;
  return (src.match(new RegExp(`(?<![\\w$.])${id}[ \\t]*(?::[^=\\n]{0,40})?(?:[-+*/%&|^?<>]{1,3})?=(?!=)`, 'g'))?.length ?? 0) === 1;
}

/**
 * A module constant whose turn nothing says (its name has no role word, no message or call takes it) is a piece of the
 * system prompt when the file splices it into one: vercel/ai-chatbot's lib/ai/prompts.ts builds
 * `export const systemPrompt = (…) => `${regularPrompt}\n\n${requestPrompt}\n\n${artifactsPrompt}``, and `artifactsPrompt`
 * (387 tokens of instructions) was a user prompt by default (session 45). The splice's declaration is the nearest
 * top-level one above it.
 */
function splicedIntoSystem(judged: ReadonlyArray<{ c: Candidate; j: Judgement }>, src: string): void {
  const pieces = judged.filter(
    ({ c, j }) =>
      j.score >= PROMPT_THRESHOLD && j.kind === 'user' && c.context.topLevel && c.context.boundName !== undefined && /^[A-Za-z_$][\w$]{0,60}$/.test(c.context.boundName) && kindFromName(c.context.boundName) === undefined && !j.evidence.some((e) => (e.kind === 'role' || e.kind === 'api') && e.weight > 0),
  );
  if (pieces.length === 0) return;
  for (const { c, j } of pieces) {
    const id = (c.context.boundName as string).replace(/\$/g, '\\$');
    // (Read in the source, not the masked code: the incremental scanner builds from fewer candidates than a full scan,
    // and the same file must give the same kinds. A declaration is a keyword's: `export const systemPrompt =`, `def …(`.)
    for (const m of src.matchAll(new RegExp(`\\$\\{\\s*${id}\\s*\\}|(?<![{\\w$])\\{${id}\\}(?!\\})`, 'g'))) {
      const before = src.slice(Math.max(0, (m.index ?? 0) - 4000), m.index);
      const declared = [...before.matchAll(/^(?:export[ \t]+)?(?:const|let|var|(?:async[ \t]+)?function|async[ \t]+def|def)[ \t]+([A-Za-z_$][\w$]*)/gm)].pop()?.[1];
      if (declared !== undefined && declared !== c.context.boundName && kindFromName(declared) === 'system') {
        j.kind = 'system';
        j.evidence.push({ kind: 'role', detail: `spliced into ${declared}, a system prompt`, weight: 0 });
        break;
      }
    }
  }
}

function raise(j: Judgement, weight: number, detail: string, kind: 'name' | 'negative' = 'name'): void {
  j.score += weight;
  j.evidence.push({ kind, detail, weight });
  j.confidence = Math.round(Math.max(0, Math.min(1, 1 - Math.exp(-Math.max(0, j.score) * 1.2))) * 100) / 100;
}

/**
 * Prompt template files in YAML or JSON (TaskWeaver, smolagents): a value that another prompt of
 * the file splices in by its key (`{response_schema}`, `{{name}}`) is a template fragment, and
 * a block of prose in the same map as a prompt is a prompt of the same family (smolagents'
 * `final_answer: {pre_messages, post_messages}`). Only values with text of their own qualify.
 */
function documentTemplates(judged: Array<{ c: Candidate; j: Judgement }>): void {
  const docs = judged.filter(({ c }) => !c.verdict && (c.segments[0]?.quoting.language === 'yaml' || c.segments[0]?.quoting.language === 'json') && c.context.boundName);
  const prompts = docs.filter(({ j }) => j.score >= PROMPT_THRESHOLD);
  if (prompts.length === 0) return;
  const parentOf = (name: string): string => name.slice(0, Math.max(0, name.lastIndexOf('.')));
  const promptParents = new Set(prompts.map(({ c }) => parentOf(c.context.boundName as string)));
  const promptTexts = prompts.map(({ c }) => candidateText(c));
  for (const { c, j } of docs) {
    if (j.score >= PROMPT_THRESHOLD || j.evidence.some((e) => e.weight <= -2)) continue;
    const name = c.context.boundName as string;
    const key = name.slice(name.lastIndexOf('.') + 1);
    const text = candidateText(c);
    const words = text.split(/\s+/).filter((w) => /[A-Za-z]/.test(w)).length;
    if (words < 6) continue;
    // In any case: TaskWeaver's code generator fills `{RESPONSE_JSON_SCHEMA}` with the file's `response_json_schema` (newuser47:
    // the schema was a user prompt there, and a template in the planner's file, whose field is `{response_json_schema}`).
    const placeholder = new RegExp(`\\{\\{?\\s*${key.replace(/[^\w]/g, '\\$&')}\\s*\\}\\}?`, 'i');
    const written = /^\w+$/.test(key) ? promptTexts.map((t) => (t !== text ? placeholder.exec(t)?.[0] : undefined)).find((m) => m !== undefined) : undefined;
    if (written !== undefined) {
      raise(j, 1, `spliced into another prompt of the file as ${written.replace(/\s+/g, '')}`);
      j.kind = 'template';
      continue;
    }
    const style = c.segments[0].quoting.style;
    if ((style === 'yamlBlockLiteral' || style === 'yamlBlockFolded') && promptParents.has(parentOf(name))) raise(j, 0.8, 'a block of prose beside a prompt in the same map');
  }
}

/**
 * A top-level block of prose of a YAML file named for its prompts (`LiteralContext.promptFile`, documents.ts), short of the
 * threshold: a prompt, of the kind its text says. After documentTemplates, which tells the fragments spliced into another
 * prompt of the file (`{response_schema}`) by their kind.
 */
function promptFileBlocks(judged: Array<{ c: Candidate; j: Judgement }>): void {
  for (const { c, j } of judged) {
    if (c.verdict || c.context.promptFile === undefined || j.score >= PROMPT_THRESHOLD || j.evidence.some((e) => e.weight <= -2)) continue;
    if (candidateText(c).split(/\s+/).filter((w) => /[A-Za-z]{2,}/.test(w)).length < 6) continue;
    raise(j, 1, `a block of prose at the top of a prompt file (${c.context.promptFile})`);
  }
}

/**
 * An item of a list of objects whose other items are prompts under the same key and name, short of the threshold only because
 * it is short (3 to 5 words): a prompt like them. bolt.new's `EXAMPLE_PROMPTS = [{ text: … }, …]` (BaseChat.tsx), sent as the
 * user's message when clicked: its items of six words and more were prompts, "Make a space invaders game" not (newuser39).
 * Two prompts of the list at least; nothing else may count against the item.
 */
function shortListItems(judged: Array<{ c: Candidate; j: Judgement }>): void {
  const byList = new Map<number, Array<{ c: Candidate; j: Judgement }>>();
  for (const e of judged) {
    const list = e.c.context.messageList;
    // (In the editor every candidate comes with its judgement as its verdict: incremental.ts. Files of prompts, whose
    // verdicts are their own, have no lists of objects.)
    if (!list) continue;
    const items = byList.get(list.id) ?? [];
    items.push(e);
    byList.set(list.id, items);
  }
  for (const items of byList.values()) {
    if (items.length < 3) continue;
    const prompts = items.filter(({ j }) => j.score >= PROMPT_THRESHOLD);
    if (prompts.length < 2) continue;
    const keyOf = ({ c }: { c: Candidate }) => `${c.context.boundName ?? ''}\u0000${c.context.keys[0] ?? ''}`;
    const key = keyOf(prompts[0]);
    if (!prompts.every((p) => keyOf(p) === key && p.j.kind === prompts[0].j.kind)) continue;
    for (const item of items) {
      const { j } = item;
      if (j.score >= PROMPT_THRESHOLD || keyOf(item) !== key) continue;
      const negatives = j.evidence.filter((e) => e.weight < 0);
      if (negatives.length !== 1 || !SHORT_ITEM.test(negatives[0].detail)) continue;
      if (j.score - negatives[0].weight < PROMPT_THRESHOLD) continue;
      raise(j, -negatives[0].weight, `short, but an item of a list whose other items are prompts (${prompts.length})`);
      j.kind = prompts[0].j.kind;
    }
  }
}

/** The name of a list of example messages: `videoSearchFewShots`, `few_shot_examples`, `exampleMessages`. */
const EXAMPLE_LIST = /few_?shots?|examples?|demonstrations?/i;

/**
 * Judges candidates and turns the prompts into `PromptLocation`s. Messages of a literal
 * message list that come before the last user message, in a list that also has an
 * assistant message, are few-shot examples; in a list named for its examples, all its turns are.
 */
export function buildLocations(candidates: Candidate[], index: LineIndex, minConfidence?: number): PromptLocation[] {
  const judged = candidates.map((c) => ({ c, j: c.verdict ?? judge(candidateText(c), c.context) }));
  maskLiterals(candidates, index.text);
  const lists = new Map<number, Array<{ index: number; j: Judgement; name?: string; live: boolean }>>();
  for (const { c, j } of judged) {
    const list = c.context.messageList;
    if (!list || j.score < PROMPT_THRESHOLD) continue;
    const entries = lists.get(list.id) ?? [];
    entries.push({ index: list.index, j, name: c.context.listName ?? c.context.boundName, live: c.segments.some((s) => s.interpolated.length > 0) });
    lists.set(list.id, entries);
  }
  for (const entries of lists.values()) {
    if (!entries.some((e) => e.j.kind === 'assistant')) continue;
    // A list named for its examples (Perplexica's `videoSearchFewShots`, spread before the real question) holds only
    // examples: its last user turn is one too, not the live input, unless it splices a value in (`f"Ticket: {ticket}…"`
    // closing a `few_shot_messages` list is the question asked).
    const users = entries.filter((e) => e.j.kind === 'user');
    const last = users.reduce<(typeof users)[number] | undefined>((a, e) => (a && a.index > e.index ? a : e), undefined);
    const examples = entries.some((e) => e.name !== undefined && EXAMPLE_LIST.test(e.name)) && !last?.live;
    const lastUser = examples ? Infinity : Math.max(...users.map((e) => e.index));
    for (const e of entries) {
      if ((e.j.kind === 'user' || e.j.kind === 'assistant') && e.index < lastUser) {
        e.j.evidence.push({ kind: 'role', detail: examples ? 'an example exchange of a list of examples' : 'an example exchange before the last user message', weight: 0 });
        e.j.kind = 'fewShot';
      }
    }
  }
  shortListItems(judged);
  documentTemplates(judged);
  promptFileBlocks(judged);
  promptModuleConstants(judged);
  calledSections(judged);
  peopleMessages(judged, index.text, () => maskedCode(index.text), PROMPT_THRESHOLD, (j, weight, detail) => raise(j, weight, detail, 'negative'));
  splicedIntoSystem(judged, index.text);
  const heads = absorbChainHeads(judged, index.text);
  const absorbed = absorbFragments(judged.filter(({ c }) => !heads.has(c)));
  for (const c of heads) absorbed.add(c);
  for (const c of dspySignatures(judged, index.text)) absorbed.add(c);
  spliceConstants(judged.filter(({ c }) => !absorbed.has(c)), index.text);
  constantChains(judged.filter(({ c }) => !absorbed.has(c)), index.text);
  spliceChainConstants(judged.filter(({ c }) => !absorbed.has(c)), index.text);
  for (const c of nestJoinedLists(judged.filter(({ c }) => !absorbed.has(c)))) absorbed.add(c);
  const out: PromptLocation[] = [];
  for (const { c, j } of judged) {
    if (j.score < PROMPT_THRESHOLD || absorbed.has(c)) continue;
    if (minConfidence !== undefined && j.confidence < minConfidence) continue;
    out.push(toLocation(c, j, index));
  }
  return out.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

export function toLocation(c: Candidate, j: Judgement, index: LineIndex): PromptLocation {
  c.resolveModel?.();
  const { text, starts } = joined(c.segments);
  const interpolated = c.segments.flatMap((s, i) => s.interpolated.map((p) => ({ ...p, start: p.start + starts[i], end: p.end + starts[i] })));
  const fields = findTextPlaceholders(text, interpolated);
  // A template literal's `{name}` is sent as written unless something fills it (jsBraceFields.ts).
  const segmentOf = (p: Placeholder): LiteralQuoting | undefined => c.segments[starts.findIndex((at, i) => p.start >= at && (i + 1 === starts.length || p.start < starts[i + 1]))]?.quoting;
  const jsInterpolates = interpolated.some((p) => p.syntax === 'dollarBrace');
  const asText = textBraces(fields, segmentOf, () => ({ source: index.text, ...(c.context.boundName ? { boundName: c.context.boundName } : {}), apis: [...(j.api ? [j.api] : []), ...c.context.callees], jsInterpolates, imports: c.context.imports, literalEnd: c.segments[c.segments.length - 1]?.end ?? 0, interpolated }), text);
  const placeholders = [...interpolated, ...fields.filter((p) => !asText.has(p))].sort((a, b) => a.start - b.start);
  const segments: LiteralSegment[] = c.segments.map((s, i) => ({
    range: index.range(s.start, s.end),
    contentRange: index.range(s.contentStart, s.contentEnd),
    quoting: s.quoting,
    textStart: starts[i],
    runs: s.runs.map(([t, src, len]) => [t + starts[i], src, len] as [number, number, number]),
  }));
  const first = c.segments[0];
  const last = c.segments[c.segments.length - 1];
  const loc: PromptLocation = {
    range: index.range(first.start, last.end),
    contentRange: index.range(first.contentStart, last.contentEnd),
    kind: j.kind,
    text,
    placeholders,
    quoting: first.quoting,
    segments,
    evidence: j.evidence,
    confidence: j.confidence,
  };
  if (c.pieces && c.pieces.length > 1) {
    loc.pieces = c.pieces.map((p) => {
      const { text: pieceText, starts: pieceStarts } = joined(p);
      return {
        range: index.range(p[0].start, p[p.length - 1].end),
        contentRange: index.range(p[0].contentStart, p[p.length - 1].contentEnd),
        text: pieceText,
        ...(c.fills?.has(p) ? { fills: c.fills.get(p) } : {}),
        ...(c.sharedPieces?.has(p) ? { shared: true as const } : {}),
        quoting: p[0].quoting,
        segments: p.map((s, i) => ({ range: index.range(s.start, s.end), contentRange: index.range(s.contentStart, s.contentEnd), quoting: s.quoting, textStart: pieceStarts[i], runs: s.runs.map(([t, src, len]) => [t + pieceStarts[i], src, len] as [number, number, number]) })),
      };
    });
  }
  if (c.runtimeOperands && !(c.pieces && c.pieces.length > 1)) loc.runtimeOperands = c.runtimeOperands;
  // (A chain with constants in place names its runtime operands itself: composed.ts reads no gaps then.)
  else if (c.chainRuntime && c.pieces && c.pieces.length > 1) loc.runtimeOperands = { before: [], after: c.chainRuntime };
  if (c.joined) loc.joined = c.joined;
  if (j.api) loc.api = j.api;
  // The request it goes out in: the LLM call it is an argument of, the literal list of messages it is an item of. (Only a
  // list of role messages: the items of other lists of objects are alternatives, bolt.new's `EXAMPLE_PROMPTS = [{ text: … }]`,
  // or a catalog's entries.)
  let call = j.apiCallee !== undefined ? c.context.calleeAt?.[j.apiCallee] : undefined;
  let list = c.context.role !== undefined ? c.context.messageList?.id : undefined;
  // A prompt bound to a name: where the file sends the name (crewAI's docs_check.py sends `_ANALYZE_SYSTEM` and `_ANALYZE_USER + diff` in one `messages` list).
  let also: Array<{ call?: number; list?: number }> = [];
  if (call === undefined && list === undefined && c.sentSites) {
    const sites = c.sentSites();
    const site = sites[0];
    ({ call, list } = site ?? {});
    // Sent by other calls too (a constant that two providers' calls send): each another request (`sentIn.also`).
    also = sites.slice(1, 1 + MAX_OTHER_REQUESTS);
    // The role of the message it is sent as says which of system, user and assistant it is, over its wording
    // (crewAI's `_GENERATE_DOC_PROMPT`, "You are a technical writer…", is sent as the user message).
    const role = site?.role === 'developer' ? 'system' : site?.role;
    if ((role === 'system' || role === 'user' || role === 'assistant') && (loc.kind === 'system' || loc.kind === 'user' || loc.kind === 'assistant')) loc.kind = role;
  }
  const at = (site: { call?: number; list?: number }) => ({ ...(site.call !== undefined ? { call: index.position(site.call) } : {}), ...(site.list !== undefined ? { list: index.position(site.list) } : {}) });
  if (call !== undefined || list !== undefined) loc.sentIn = { ...at({ call, list }), ...(also.length > 0 ? { also: also.map(at) } : {}) };
  if (c.segments.some((s) => s.unterminated) || c.pieces?.some((p) => p.some((s) => s.unterminated))) loc.unterminated = true;
  if (c.context.boundName) loc.boundName = c.context.boundName;
  else if (c.context.keys.length > 0) loc.boundName = c.context.keys[0];
  if (mcpClientText(c, index.text)) {
    // An MCP server's tool description or instructions: read by the client's model, not by the server's (newuser36: graphiti's
    // MCP server priced its 13 tool docstrings with its own extraction model).
    loc.readBy = 'mcpClient';
  } else {
    if (c.context.model) loc.model = { name: c.context.model.name, range: index.range(c.context.model.start, c.context.model.end), ...(c.context.model.via ? { via: c.context.model.via } : {}) };
    let provider = promptProvider(j.api, c.context.callees, c.context.imports, c.context.model?.name, c.context.provider);
    // (An OpenAI-style call, or none, to the one vendor the file's base URLs name: DeepSeek through the OpenAI SDK.)
    if ((provider === undefined || provider === 'openai') && !(c.context.model && providerOfModelName(c.context.model.name) === 'openai')) provider = providerOfBaseUrls(index.text, maskedCode(index.text)) ?? provider;
    if (provider) loc.provider = provider;
  }
  // Only a prompt of one literal: the strippers work on the whole string, and a composed prompt's pieces are counted one by one.
  if (c.context.dedent && !loc.pieces) loc.dedent = c.context.dedent;
  if (c.context.strip && !loc.pieces && !c.joined) loc.strip = c.context.strip;
  return loc;
}

/**
 * The source offset of a character of a prompt's decoded `text` (for diagnostics on the
 * analyzer's ranges). A character produced by an escape maps to the escape's start.
 */
export function sourceOffsetOf(location: Pick<PromptLocation, 'segments' | 'contentRange'>, textOffset: number): number {
  let best: number | undefined;
  for (const seg of location.segments) {
    for (const [t, s, len] of seg.runs) {
      if (textOffset >= t && textOffset < t + len) return s + (textOffset - t);
      if (t + len <= textOffset) best = s + len;
      else if (t > textOffset) return best ?? s;
    }
  }
  return best ?? location.contentRange.end.offset;
}

/**
 * The source span of the decoded text [textStart, textEnd) of a prompt (a diagnostic's range). Characters that came
 * from escape sequences lie in the gaps between runs; a position inside a gap is placed in proportion, which is exact
 * for a run of escapes of one length: the blank lines written `\n\n\n\n` are all eight characters, where
 * `sourceOffsetOf` of the last one, plus one, marked a lone backslash (break34). A range that ends where verbatim
 * text resumes ends at that text; one that ends on a verbatim character ends right after it.
 */
export function sourceRangeOf(location: Pick<PromptLocation, 'segments' | 'contentRange' | 'text'>, textStart: number, textEnd: number): { start: number; end: number } {
  const start = sourcePosition(location, textStart, 'start');
  const end = textEnd > textStart ? sourcePosition(location, textEnd, 'end') : start;
  return { start, end: Math.max(start, end) };
}

function sourcePosition(location: Pick<PromptLocation, 'segments' | 'contentRange' | 'text'>, offset: number, side: 'start' | 'end'): number {
  const segments = location.segments;
  const within = (k: number, textLength: number, sourceLength: number) => (textLength <= 0 ? 0 : Math.round((k * sourceLength) / textLength));
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i + 1 === segments.length;
    const segmentEnd = last ? location.text.length : segments[i + 1].textStart;
    // A position on the boundary of two segments: a range's start belongs to the next one, its end to this one.
    if (!last && (offset > segmentEnd || (offset === segmentEnd && side === 'start'))) continue;
    let gapText = seg.textStart;
    let gapSource = seg.contentRange.start.offset;
    for (const [t, s, len] of seg.runs) {
      if (offset < t) return gapSource + within(offset - gapText, t - gapText, s - gapSource);
      if (offset < t + len || (offset === t + len && side === 'end')) return s + (offset - t);
      gapText = t + len;
      gapSource = s + len;
    }
    return gapSource + within(Math.min(offset, segmentEnd) - gapText, segmentEnd - gapText, seg.contentRange.end.offset - gapSource);
  }
  return location.contentRange.end.offset;
}
