/**
 * `editor/promptHints` answers as deltas. On a keystroke in a large document most prompts are unchanged: the engine
 * answers them from its per-prompt caches, but the whole answer (about 2.3 KB of JSON per prompt: location, segments,
 * evidence, compare costs, suggestions) was sent again and JSON-parsed on the extension host's thread: 14 MB for a
 * 10,000-line YAML catalog of 5,000 prompts. Now the editor names the answer it holds (`since`), and the engine sends
 * only the prompts and model names that changed, and for each other one a `HintRef`: where it was in the held answer
 * and how far its ranges moved.
 *
 * Exact by construction: the engine sends a ref only after `sameShifted` found that the held item, moved by the ref's
 * shifts (`shifted`, the same rule the editor applies), is the new item, field for field. An item whose positions moved
 * in any other way (an edit on its own line before it, a multi-line edit between its pieces) is sent whole. A delta whose
 * base the editor no longer holds (the engine restarted, the document was closed and opened again, answers crossed)
 * is never applied: the editor asks again without `since` and gets the whole answer.
 */
import type { HintRef, ModelHint, PromptHint, PromptHintsAnswer, PromptHintsDelta, PromptHintsResult } from '../../protocol/hints';
import type { TextPosition } from '../../protocol/scan';

/** A `TextPosition`: exactly `offset`, `line` and `character`, all numbers. */
function isPosition(value: object): value is TextPosition {
  const v = value as Partial<TextPosition>;
  return typeof v.offset === 'number' && typeof v.line === 'number' && typeof v.character === 'number' && Object.keys(value).length === 3;
}

/**
 * Parts of a hint that hold no document position (prices, the compared models, the evidence, the quoting, offsets into
 * the prompt's own text): never moved, compared as they are, and shared rather than copied. Were one to hold a moved
 * position, the comparison would find it changed and the item would be sent whole: never a stale range.
 */
const UNMOVED = new Set(['cost', 'importedTexts', 'includesNotCounted', 'compare', 'evidence', 'quoting', 'placeholders', 'contextWindow', 'modelLifecycle', 'lifecycle', 'price', 'cheaperAlternatives', 'joined', 'runtimeOperands']);

/** A segment's run `[textOffset, sourceOffset, length]`: the source offset is a document offset. */
function isRun(value: unknown): value is [number, number, number] {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'number' && typeof value[1] === 'number' && typeof value[2] === 'number';
}

/**
 * `value` with its document positions moved: every `TextPosition` by `offset` and `lines` (character kept), every source
 * offset of a `runs` list by `offset`, except under the keys in `UNMOVED`. Parts holding no position are shared, not
 * copied, and the value itself is returned when both shifts are 0 (answers are read, never written). Keys whose value is
 * undefined are left out, as JSON leaves them.
 */
export function shifted<T>(value: T, offset: number, lines: number): T {
  if (offset === 0 && lines === 0) return value;
  return shiftValue(value, offset, lines, undefined) as T;
}

function shiftValue(value: unknown, offset: number, lines: number, key: string | undefined): unknown {
  if (value === null || typeof value !== 'object' || (key !== undefined && UNMOVED.has(key))) return value;
  // A part with no position in it is the same object: only what holds positions is copied.
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const moved = key === 'runs' && isRun(v) ? [v[0], v[1] + offset, v[2]] : shiftValue(v, offset, lines, undefined);
      if (moved !== v && !out) out = value.slice(0, i) as unknown[];
      if (out) out.push(moved);
    }
    return out ?? value;
  }
  if (isPosition(value)) return { offset: value.offset + offset, line: value.line + lines, character: value.character };
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in record) {
    const v = record[k];
    const moved = shiftValue(v, offset, lines, k);
    if (moved !== v || v === undefined) {
      if (!out) {
        out = {};
        for (const j in record) {
          if (j === k) break;
          if (record[j] !== undefined) out[j] = record[j];
        }
      }
    }
    if (out && moved !== undefined) out[k] = moved;
  }
  return out ?? value;
}

/** Whether `shifted(before, offset, lines)` is `after`, as JSON sees them (undefined keys absent), without building it; `skip` is a top-level key left out of the comparison. */
export function sameShifted(before: unknown, after: unknown, offset: number, lines: number, skip?: string): boolean {
  return same(before, after, offset, lines, undefined, skip);
}

/** How many keys of `value` have a defined value, `skip` left out. */
function definedCount(value: Record<string, unknown>, skip: string | undefined): number {
  let n = 0;
  for (const k in value) if (k !== skip && value[k] !== undefined) n++;
  return n;
}

function same(a: unknown, b: unknown, offset: number, lines: number, key: string | undefined, skip?: string): boolean {
  if (a === b && offset === 0 && lines === 0 && skip === undefined) return true;
  if (a === null || typeof a !== 'object') return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (key === 'runs' && isRun(x)) {
        if (!isRun(y) || y[0] !== x[0] || y[1] !== x[1] + offset || y[2] !== x[2]) return false;
      } else if (!same(x, y, offset, lines, undefined)) return false;
    }
    return true;
  }
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
  if (isPosition(a)) return isPosition(b) && b.offset === a.offset + offset && b.line === a.line + lines && b.character === a.character;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (k === skip || x[k] === undefined) continue;
    n++;
    if (UNMOVED.has(k) ? !same(x[k], y[k], 0, 0, undefined) : !same(x[k], y[k], offset, lines, k)) return false;
  }
  return n === definedCount(y, skip);
}

/**
 * Each item of `after`, or a ref to the item of `before` it equals once moved. Candidates: the item at the same place
 * (before an edit) and the one as many places away as items were added or removed (after it); the shift is the
 * difference of their start positions.
 */
function diffItems<T>(before: readonly T[], after: readonly T[], start: (item: T) => TextPosition, skip?: string): { items: Array<T | HintRef>; refs: number } {
  const moved = after.length - before.length;
  let refs = 0;
  const items = after.map((item, i): T | HintRef => {
    const candidates = moved === 0 ? [i] : [i, i - moved];
    for (const j of candidates) {
      if (j < 0 || j >= before.length) continue;
      const old = before[j];
      const offset = start(item).offset - start(old).offset;
      const lines = start(item).line - start(old).line;
      if (sameShifted(old, item, offset, lines, skip)) {
        refs++;
        return [j, offset, lines];
      }
    }
    return item;
  });
  return { items, refs };
}

/** The delta that turns `base` into `next` (both whole answers, `next` with its id), or undefined when no item is shared (the whole answer is as small). */
export function hintsDelta(base: PromptHintsResult & { id: string }, next: PromptHintsResult & { id: string }): PromptHintsDelta | undefined {
  const prompts = diffItems(base.prompts, next.prompts, (p) => p.location.range.start, 'index');
  const models = diffItems(base.models, next.models, (m) => m.range.start);
  if (prompts.refs + models.refs === 0) return undefined;
  return {
    base: base.id,
    id: next.id,
    prompts: prompts.items,
    models: models.items,
    ...(next.skipped !== undefined ? { skipped: next.skipped } : {}),
    elapsedMs: next.elapsedMs,
    cachedPrompts: next.cachedPrompts,
    ...(next.modulesRead !== undefined ? { modulesRead: next.modulesRead } : {}),
  };
}

export function isHintsDelta(answer: PromptHintsAnswer): answer is PromptHintsDelta {
  return typeof (answer as Partial<PromptHintsDelta>).base === 'string';
}

function isRef(item: unknown): item is HintRef {
  return Array.isArray(item);
}

/**
 * The whole answer a delta stands for, from the answer it was made against; undefined when `base` is not that answer
 * (another id) or a ref points outside it: the caller then asks for the whole answer.
 */
export function applyHintsDelta(base: PromptHintsResult, delta: PromptHintsDelta): PromptHintsResult | undefined {
  if (base.id === undefined || base.id !== delta.base) return undefined;
  const prompts: PromptHint[] = [];
  for (const [i, item] of delta.prompts.entries()) {
    if (!isRef(item)) {
      prompts.push(item);
      continue;
    }
    const old = base.prompts[item[0]];
    if (!old) return undefined;
    prompts.push({ ...shifted(old, item[1], item[2]), index: i });
  }
  const models: ModelHint[] = [];
  for (const item of delta.models) {
    if (!isRef(item)) {
      models.push(item);
      continue;
    }
    const old = base.models[item[0]];
    if (!old) return undefined;
    models.push(shifted(old, item[1], item[2]));
  }
  return { prompts, models, ...(delta.skipped !== undefined ? { skipped: delta.skipped } : {}), elapsedMs: delta.elapsedMs, cachedPrompts: delta.cachedPrompts, id: delta.id, ...(delta.modulesRead !== undefined ? { modulesRead: delta.modulesRead } : {}) };
}

/**
 * The engine's side: gives each whole answer an id, keeps the last few answers of each document, and answers a request
 * that names one of them (`since`) with a delta against it.
 */
export class HintAnswers {
  /** Per document (its URI), the last answers sent, oldest first. */
  private readonly documents = new Map<string, Array<PromptHintsResult & { id: string }>>();
  private counter = 0;

  /**
   * @param process Tells this engine process's ids from another's (a restarted engine knows none of the old ids).
   * @param perDocument Answers kept per document: the editor may have several requests in flight, each naming the answer it held then.
   * @param maxDocuments Documents kept, least recently answered dropped first.
   */
  constructor(
    private readonly process: string,
    private readonly perDocument = 3,
    private readonly maxDocuments = 32,
  ) {}

  /** The answer to send for `result`: whole (with its id), or a delta when `since` names an answer kept for `document`. Without `document`, whole and not kept. */
  answer(result: PromptHintsResult, document: string | undefined, since: string | undefined): PromptHintsAnswer {
    if (document === undefined) return result;
    const whole = { ...result, id: `${this.process}.${++this.counter}` };
    const kept = this.documents.get(document) ?? [];
    const base = since === undefined ? undefined : kept.find((a) => a.id === since);
    this.documents.delete(document);
    // The base stays next to the new answer: answers the editor never took (requests it cancelled while the user typed)
    // do not push out the one it holds.
    this.documents.set(document, [...kept.filter((a) => a !== base), ...(base ? [base] : []), whole].slice(-this.perDocument));
    if (this.documents.size > this.maxDocuments) this.documents.delete(this.documents.keys().next().value as string);
    return (base && hintsDelta(base, whole)) ?? whole;
  }

  /** Forgets a document's answers (tests; a document the editor closed is forgotten by the LRU). */
  forget(document: string): void {
    this.documents.delete(document);
  }
}
