/**
 * Prompt finding for the editor, incremental across versions of one document.
 *
 * `findPrompts` parses the whole file and looks at every string literal, which on a
 * 3,000-line file takes longer than the rest of the editor's work together. Here the
 * previous version of each document is kept (its text, its Lezer tree and the candidates of
 * each top-level statement, already judged), and a new version is handled as an edit:
 *
 * 1. The changed range is the text between the common prefix and the common suffix of the
 *    two versions (the editor sends full text; one edit is one range).
 * 2. The file is re-parsed incrementally: `TreeFragment.applyChanges` keeps the old tree's
 *    nodes outside the change and the parser reuses them. A tree with a syntax error (before
 *    or after the edit) is parsed and scanned whole instead: Lezer's error recovery depends on
 *    which nodes were reused, so only error-free trees are the same either way.
 * 3. Top-level statements wholly before or after the change, with the same extent and node
 *    type as before, keep their candidates (shifted by the edit's length when after it);
 *    the statements the change touches, and the one on each side of it, are scanned again.
 * 4. What a candidate depends on beyond its own statement is checked, and when any of it
 *    changed, every statement is scanned again: the file's imports (which decide the
 *    provider and library evidence), the tool and schema names it registers and its boolean
 *    constants, which choose a ternary's branch (`fileFacts`),
 *    and which statement comes first (a module docstring is not a prompt).
 * 5. Everything file-wide is always recomputed from the merged candidates, as `findPrompts`
 *    does: model resolution through constants, defaults and call sites (models.ts), few-shot
 *    turns of message lists, and fragments composed into prompts (build.ts).
 *
 * Whichever statements are scanned, a literal that can play no part (bound to no name, and ruled
 * out by its context alone) is not decoded or judged (`screenedCandidates`): the first version of
 * a document is scanned whole, and most of its literals are such.
 *
 * The result equals `findPrompts` on the new text, exactly; test/unit/prompt/scanner/incremental.test.ts
 * checks it with random edits of the real files in test/fixtures/scan.
 */
import type { Tree, TreeFragment } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
import { MAX_SCAN_CHARS, type PromptLocation } from '../../../protocol/scan';
import { buildLocations, candidateText, dspyFieldText, mayMatter, namesUsedBy, type Candidate } from './build';
import { candidatesInTree, collectImports, fileFacts } from './code';
import { judgeContext, judgeText, PROMPT_THRESHOLD, ruledOutByContext, type ContextVerdict } from './evidence';
import type { Judgement, LiteralContext } from './literalContext';
import { codeDialectOf, findPrompts, isStoryFile, looksBinary, markSplicedElsewhere, scanLanguageOf, type FindPromptsOptions, type ScanLanguage } from './index';
import type { DecodedLiteral } from './literals';
import { resolveCandidateModels } from './modelCandidates';
import { JAVASCRIPT_PARSE_TEXT_REACH, loadJavaScriptParser, loadPythonParser, loadTreeFragment, PYTHON_PARSE_TEXT_REACH } from './parsers';
import { LineIndex } from './positions';
import { constantFacts } from './ternary';
import { listFacts } from './joined';
import { hasErrors } from './treeErrors';
import { changedRange } from './textDiff';

type Lang = 'python' | 'javascript';

/** A candidate as the language module found it (never handed to `buildLocations` itself: it mutates), with its judgement. */
interface Judged {
  candidate: Candidate;
  judgement: Judgement;
}

/** A top-level node of the syntax tree (a statement, a comment, an error node) and the candidates inside it. */
interface Unit {
  from: number;
  to: number;
  name: string;
  /** The candidates as found, at their offsets in the version they were found in... */
  judged: Judged[];
  /** ...which is `shift` characters from where they are now (edits before the unit moved it; applied when building). */
  shift: number;
}

interface CodeState {
  text: string;
  scanLang: ScanLanguage;
  lang: Lang;
  tree: Tree;
  fragments: readonly TreeFragment[];
  imports: Set<string>;
  importsKey: string;
  facts: string;
  /** The file's boolean constants (ternary.ts `constantFacts`), and the joins and changes of its lists (joined.ts `listFacts`). */
  constants: string;
  /** The tree has error nodes: Lezer's error recovery can differ between an incremental and a full parse, so the next version is parsed and scanned whole. */
  errors: boolean;
  units: Unit[];
  /** Set when a candidate could not be placed in a top-level node: `units` is then one unit for the whole file, and the next version is scanned whole. */
  whole?: true;
}

/** How the last `scan` went, for tests and the editor benchmark. */
export interface IncrementalScanStats {
  /**
   * `unchanged`: the same text as last time; `incremental`: only the statements the edit
   * touched were scanned; `full`: every statement was scanned (`reason` says why);
   * `document`: not source code, or not scanned (YAML, JSON, Markdown, prompt files,
   * binary or oversized text go through `findPrompts`).
   */
  mode: 'unchanged' | 'incremental' | 'full' | 'document';
  reason?: string;
  /** Top-level nodes of the file, and how many of them were scanned this time. */
  statements: number;
  rescanned: number;
}

export class IncrementalPromptScanner {
  private readonly states = new Map<string, CodeState>();
  private stats: IncrementalScanStats = { mode: 'document', statements: 0, rescanned: 0 };

  /** @param capacity How many documents to remember (least recently scanned are forgotten first). */
  constructor(private readonly capacity = 16) {}

  get lastScan(): IncrementalScanStats {
    return this.stats;
  }

  forget(key: string): void {
    this.states.delete(key);
  }

  /**
   * The prompts of a document, as `findPrompts(text, languageId, options)` returns them,
   * computed from the previous version scanned under the same `key` (a document URI) when
   * there is one.
   */
  scan(key: string, text: string, languageId: string | undefined, options: FindPromptsOptions = {}): PromptLocation[] {
    const scanLang = scanLanguageOf(languageId, options.fileName);
    const dialect = scanLang ? codeDialectOf(scanLang) : undefined;
    if (!scanLang || !dialect || text.length === 0 || text.length > MAX_SCAN_CHARS || looksBinary(text) || (options.fileName !== undefined && isStoryFile(options.fileName))) {
      this.states.delete(key);
      this.stats = { mode: 'document', statements: 0, rescanned: 0 };
      return findPrompts(text, languageId, options);
    }
    const parser = dialect.lang === 'python' ? loadPythonParser() : loadJavaScriptParser(dialect.typescript, dialect.jsx);
    let state: CodeState;
    try {
      state = this.update(this.states.get(key), text, scanLang, dialect.lang, parser);
    } catch {
      this.states.delete(key);
      try {
        state = this.full(text, scanLang, dialect.lang, parser, parser.parse(text), 'the incremental scan failed');
      } catch {
        // As in findPrompts: a parser failure on pathological input reports nothing.
        this.stats = { mode: 'full', reason: 'the parser failed', statements: 0, rescanned: 0 };
        return [];
      }
    }
    this.states.delete(key);
    this.states.set(key, state);
    if (this.states.size > this.capacity) this.states.delete(this.states.keys().next().value as string);
    return locationsOf(state, options.minConfidence, options.webOnlyClasses, options.splicedElsewhere);
  }

  private update(prev: CodeState | undefined, text: string, scanLang: ScanLanguage, lang: Lang, parser: LRParser): CodeState {
    if (!prev || prev.scanLang !== scanLang) return this.full(text, scanLang, lang, parser, parser.parse(text), prev ? 'the language changed' : 'first version');
    if (prev.text === text) {
      this.stats = { mode: 'unchanged', statements: prev.units.length, rescanned: 0 };
      return prev;
    }
    const { start, oldEnd, newEnd } = changedRange(prev.text, text);
    const delta = text.length - prev.text.length;
    if (prev.errors) return this.full(text, scanLang, lang, parser, parser.parse(text), 'the previous version has a syntax error');
    // Python is parsed with its t-string prefixes read as f-string ones (parsers.ts): an edit next to a
    // `t"` can turn it into a prefix or out of one, a change of the parsed text just outside the edit.
    const reach = lang === 'python' ? PYTHON_PARSE_TEXT_REACH : JAVASCRIPT_PARSE_TEXT_REACH;
    const fromA = Math.max(0, start - reach);
    const fragments = loadTreeFragment().applyChanges(prev.fragments, [{ fromA, toA: Math.min(prev.text.length, oldEnd + reach), fromB: fromA, toB: Math.min(text.length, newEnd + reach) }]);
    const tree = parser.parse(text, fragments);
    // Only an error-free parse is the same incrementally as whole (error recovery depends on what was reused).
    if (hasErrors(tree)) return this.full(text, scanLang, lang, parser, parser.parse(text), 'this version has a syntax error');
    if (prev.whole) return this.full(text, scanLang, lang, parser, tree, 'the previous version was scanned whole');
    const imports = collectImports(text, tree, lang);
    const importsKey = keyOf(imports);
    if (importsKey !== prev.importsKey) return this.full(text, scanLang, lang, parser, tree, 'the imports changed', imports);
    const facts = fileFacts(text);
    if (facts !== prev.facts) return this.full(text, scanLang, lang, parser, tree, 'the tools or schemas the file registers changed', imports);
    const constants = `${constantFacts(text, tree)}|${listFacts(text)}`;
    if (constants !== prev.constants) return this.full(text, scanLang, lang, parser, tree, 'the boolean constants the file defines, or the joins and changes of its lists, changed', imports);

    const units = topLevel(tree);
    // Old units wholly outside the change, keyed by where they are now.
    const kept = new Map<string, Unit>();
    for (const u of prev.units) {
      if (u.to < start) kept.set(`${u.from}:${u.to}:${u.name}`, u);
      else if (u.from > oldEnd) kept.set(`${u.from + delta}:${u.to + delta}:${u.name}`, u);
    }
    const firstOld = firstStatement(prev.units);
    const firstNew = firstStatement(units);
    // The first statement must be the same one, outside the change (or there is none, before and after).
    let shiftedFirst = firstOld ? 'changed' : '';
    if (firstOld && firstOld.to < start) shiftedFirst = `${firstOld.from}:${firstOld.to}:${firstOld.name}`;
    else if (firstOld && firstOld.from > oldEnd) shiftedFirst = `${firstOld.from + delta}:${firstOld.to + delta}:${firstOld.name}`;
    if (shiftedFirst !== (firstNew ? `${firstNew.from}:${firstNew.to}:${firstNew.name}` : '')) {
      return this.full(text, scanLang, lang, parser, tree, 'the first statement changed (module docstrings)', imports);
    }
    const reuse: Array<Unit | undefined> = units.map((u) => ((u.to < start || u.from > newEnd) && kept.get(`${u.from}:${u.to}:${u.name}`)) || undefined);
    // The statement on each side of the change is scanned again too: cheap insurance against parser lookahead.
    let before = -1;
    let after = -1;
    units.forEach((u, i) => {
      if (u.to < start) before = i;
      else if (u.from > newEnd && after < 0) after = i;
    });
    if (before >= 0) reuse[before] = undefined;
    if (after >= 0) reuse[after] = undefined;

    let rescanned = 0;
    for (let i = 0; i < units.length; i++) {
      const old = reuse[i];
      if (old) {
        units[i].judged = old.judged;
        units[i].shift = old.shift + (units[i].from - old.from);
        continue;
      }
      // A run of units to scan again, in one pass over the tree.
      let j = i;
      while (j + 1 < units.length && !reuse[j + 1]) j++;
      const fresh = screenedCandidates(text, tree, parser, lang, prev.imports, units[i].from, units[j].to);
      if (!assign(units.slice(i, j + 1), fresh)) return this.full(text, scanLang, lang, parser, tree, 'a literal outside every top-level statement', imports);
      rescanned += j - i + 1;
      i = j;
    }
    this.stats = { mode: 'incremental', statements: units.length, rescanned };
    return { text, scanLang, lang, tree, fragments: loadTreeFragment().addTree(tree), imports: prev.imports, importsKey, facts, constants, errors: false, units };
  }

  private full(text: string, scanLang: ScanLanguage, lang: Lang, parser: LRParser, tree: Tree, reason: string, known?: Set<string>): CodeState {
    const imports = known ?? collectImports(text, tree, lang);
    const units = topLevel(tree);
    const judged = screenedCandidates(text, tree, parser, lang, imports);
    const placed = assign(units, judged);
    this.stats = { mode: 'full', reason, statements: units.length, rescanned: units.length };
    const state: CodeState = { text, scanLang, lang, tree, fragments: loadTreeFragment().addTree(tree), imports, importsKey: keyOf(imports), facts: fileFacts(text), constants: `${constantFacts(text, tree)}|${listFacts(text)}`, errors: hasErrors(tree), units };
    if (!placed) {
      state.units = [{ from: 0, to: text.length, name: '', judged: judged.candidates.filter(plays), shift: 0 }];
      state.whole = true;
    }
    return state;
  }
}

function keyOf(imports: ReadonlySet<string>): string {
  return [...imports].sort().join('\n');
}

function topLevel(tree: Tree): Unit[] {
  const units: Unit[] = [];
  for (let c = tree.topNode.firstChild; c; c = c.nextSibling) units.push({ from: c.from, to: c.to, name: c.name, judged: [], shift: 0 });
  return units;
}

/** The first top-level node that is not a comment: a string there is the module docstring (codeSyntax.ts, `isDocstringPosition`). */
function firstStatement(units: Unit[]): Unit | undefined {
  return units.find((u) => u.name !== 'Comment' && u.name !== ':');
}

/** A candidate and its judgement; none when it cannot play a part whatever its text (`plays`), so it was not judged. */
interface MaybeJudged {
  candidate: Candidate;
  judgement?: Judgement;
}

/** The candidates of a scan, judged, and the start of each literal screened out before it was decoded (`screenedCandidates`). */
interface Screened {
  candidates: MaybeJudged[];
  /**
   * Literals screened out: where each starts, and whether it would have been a candidate (its text decodes). They can
   * play no part and are only placed (`assign`), never judged; one that would not have been a candidate is not even placed.
   */
  screenedOut: Array<{ at: number; decodes: () => boolean }>;
}

/**
 * `candidatesInTree` over `[from, to)`, judged, with literals screened by their context first.
 * A literal bound to no name plays a part only as a prompt (`plays`), so when its context
 * alone rules that out (`ruledOutByContext`) its text is neither decoded nor judged; it is
 * dropped here exactly as `assign` would drop it. Only where it starts is kept, to be placed.
 */
function screenedCandidates(text: string, tree: Tree, parser: LRParser, lang: Lang, imports: ReadonlySet<string>, from?: number, to?: number): Screened {
  // What each kept candidate's context said, so that it is judged once (judgeText continues from it).
  const verdicts = new Map<LiteralContext, ContextVerdict>();
  const screenedOut: Screened['screenedOut'] = [];
  // A DSPy field's text is a piece of its signature's prompt (build.ts `dspySignatures`): kept like a named fragment.
  const named = (ctx: LiteralContext): boolean => ctx.boundName !== undefined || dspyFieldText(ctx);
  const screen = (ctx: LiteralContext): boolean => {
    const verdict = judgeContext(ctx);
    if (!named(ctx) && ruledOutByContext(verdict, PROMPT_THRESHOLD)) return false;
    verdicts.set(ctx, verdict);
    return true;
  };
  const found = candidatesInTree(text, tree, parser, lang, imports, from, to, screen, (at, decodes) => screenedOut.push({ at, decodes }));
  const candidates = found.map((candidate): MaybeJudged => {
    const ctx = candidate.context;
    const verdict = verdicts.get(ctx) ?? judgeContext(ctx);
    // A candidate bound to no name plays a part only as a prompt: its text is not looked at when its context rules that out.
    const judgement = judgeText(candidateText(candidate), ctx, verdict, named(ctx) ? undefined : PROMPT_THRESHOLD);
    return judgement ? { candidate, judgement } : { candidate };
  });
  return { candidates, screenedOut };
}

/** The unit that holds offset `at`, or undefined. */
function unitAt(units: Unit[], at: number): Unit | undefined {
  let lo = 0;
  let hi = units.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (units[mid].from <= at) lo = mid;
    else hi = mid - 1;
  }
  const unit = units[lo];
  return unit && at >= unit.from && at < unit.to ? unit : undefined;
}

/** Puts each candidate into the unit that holds its first literal; false when one (or a screened-out literal) fits none. Keeps the candidates' order. */
function assign(units: Unit[], screened: Screened): boolean {
  for (const j of screened.candidates) {
    const unit = unitAt(units, j.candidate.segments[0]?.start ?? -1);
    if (!unit) return false;
    if (plays(j)) unit.judged.push(j);
  }
  // A screened-out literal whose text would not decode gives no candidate even without a screen: nothing to place. So it
  // is decoded only when no unit holds it, the one case where that changes the answer (most literals are screened out).
  return screened.screenedOut.every(({ at, decodes }) => unitAt(units, at) !== undefined || !decodes());
}

/**
 * Whether a candidate can play a part in the prompts of the file: one that is not a prompt and
 * not bound to a name never does (only named fragments are composed into prompts, build.ts),
 * so it is not kept with its statement; most of a file's literals are such.
 */
function plays(j: MaybeJudged): j is Judged {
  return j.judgement !== undefined && (j.judgement.score >= PROMPT_THRESHOLD || j.candidate.context.boundName !== undefined || dspyFieldText(j.candidate.context));
}

function shiftLiteral(d: DecodedLiteral, delta: number): DecodedLiteral {
  return {
    ...d,
    start: d.start + delta,
    end: d.end + delta,
    contentStart: d.contentStart + delta,
    contentEnd: d.contentEnd + delta,
    runs: d.runs.map(([t, s, n]) => [t, s + delta, n] as [number, number, number]),
  };
}

function shiftContext(ctx: LiteralContext, delta: number): LiteralContext {
  const out: LiteralContext = { ...ctx };
  if (ctx.messageList) out.messageList = { ...ctx.messageList, id: ctx.messageList.id + delta };
  if (ctx.calleeAt) out.calleeAt = ctx.calleeAt.map((at) => at + delta);
  if (ctx.model) out.model = { ...ctx.model, start: ctx.model.start + delta, end: ctx.model.end + delta };
  if (ctx.scope) out.scope = { from: ctx.scope.from + delta, to: ctx.scope.to + delta };
  if (ctx.chainValues) out.chainValues = ctx.chainValues.map((v) => ({ ...v, at: v.at + delta }));
  if (ctx.conditional) out.conditional = { from: ctx.conditional.from + delta, to: ctx.conditional.to + delta };
  return out;
}

/** A candidate moved by `delta` characters. Every source offset a candidate holds is here: literals' ranges and runs, the message list's id, a model literal, the enclosing function and branch statement. */
function shifted(c: Candidate, delta: number): Candidate {
  const moved = new Map<DecodedLiteral[], DecodedLiteral[]>();
  const shift = (list: DecodedLiteral[]): DecodedLiteral[] => {
    let out = moved.get(list);
    if (!out) moved.set(list, (out = list.map((d) => shiftLiteral(d, delta))));
    return out;
  };
  const candidate: Candidate = { ...c, segments: shift(c.segments), context: shiftContext(c.context, delta) };
  if (c.pieces) candidate.pieces = c.pieces.map(shift);
  return candidate;
}

/** Whether a candidate is a field description of one of the project's web-only classes; if so, its context (a copy) says so. */
function webRecord(c: Candidate, webOnly: ReadonlySet<string> | undefined): boolean {
  if (webOnly === undefined || c.context.fieldClass === undefined || !webOnly.has(c.context.fieldClass)) return false;
  c.context.negatives = [...c.context.negatives, 'webRecord'];
  return true;
}

/**
 * The prompts of a scanned version: copies of the candidates (build.ts and models.ts write
 * into candidates, contexts and judgements) go through the same file-wide steps as in
 * `findPrompts`.
 */
function locationsOf(state: CodeState, minConfidence: number | undefined, webOnly: ReadonlySet<string> | undefined, spliced: ReadonlyMap<string, string> | undefined): PromptLocation[] {
  // Most kept candidates are literals bound to a name that no prompt takes in: `buildLocations` would only drop them,
  // so they are not copied, moved or resolved (`mayMatter`). They stay in their units: an edit elsewhere may use them.
  const used = new Set<string>();
  for (const unit of state.units) for (const { candidate } of unit.judged) namesUsedBy(candidate, used);
  const candidates: Candidate[] = [];
  for (const unit of state.units) {
    for (const { candidate, judgement } of unit.judged) {
      // (Only candidates that can play a part are kept: `assign`.)
      const splicedName = spliced !== undefined && candidate.context.boundName !== undefined && spliced.has(candidate.context.boundName);
      if (!splicedName && !mayMatter(candidate, judgement, used)) continue;
      const c = unit.shift === 0 ? { ...candidate, context: { ...candidate.context } } : shifted(candidate, unit.shift);
      // The project's evidence, as `findPrompts` adds it: judged again with it (the kept judgement is the file's alone).
      const rejudge = webRecord(c, webOnly) || markSplicedElsewhere(c, spliced);
      c.verdict = rejudge ? undefined : { ...judgement, evidence: [...judgement.evidence] };
      candidates.push(c);
    }
  }
  resolveCandidateModels(state.text, state.tree, state.lang, candidates, state.imports);
  return buildLocations(candidates, new LineIndex(state.text), minConfidence);
}
