import type { LiteralSegment, PromptLocation } from '../../../protocol/scan';
import { judge, PROMPT_THRESHOLD, type Judgement, type LiteralContext } from './evidence';
import { findTextPlaceholders, type DecodedLiteral } from './literals';
import type { LineIndex } from './positions';

/** A literal (or concatenation of literals) found by a language module, before judging. */
export interface Candidate {
  segments: DecodedLiteral[];
  context: LiteralContext;
  /** Set by modules that know the kind without judging (prompt files, `role:` sections). */
  verdict?: Judgement;
}

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
  return joined(c.segments).text;
}

/**
 * Judges candidates and turns the prompts into `PromptLocation`s. Messages of a literal
 * message list that come before the last user message, in a list that also has an
 * assistant message, are few-shot examples.
 */
export function buildLocations(candidates: Candidate[], index: LineIndex, minConfidence?: number): PromptLocation[] {
  const judged = candidates.map((c) => ({ c, j: c.verdict ?? judge(candidateText(c), c.context) }));
  const lists = new Map<number, Array<{ index: number; j: Judgement }>>();
  for (const { c, j } of judged) {
    const list = c.context.messageList;
    if (!list || j.score < PROMPT_THRESHOLD) continue;
    const entries = lists.get(list.id) ?? [];
    entries.push({ index: list.index, j });
    lists.set(list.id, entries);
  }
  for (const entries of lists.values()) {
    if (!entries.some((e) => e.j.kind === 'assistant')) continue;
    const lastUser = Math.max(...entries.filter((e) => e.j.kind === 'user').map((e) => e.index));
    for (const e of entries) {
      if ((e.j.kind === 'user' || e.j.kind === 'assistant') && e.index < lastUser) {
        e.j.evidence.push({ kind: 'role', detail: 'an example exchange before the last user message', weight: 0 });
        e.j.kind = 'fewShot';
      }
    }
  }
  const out: PromptLocation[] = [];
  for (const { c, j } of judged) {
    if (j.score < PROMPT_THRESHOLD) continue;
    if (minConfidence !== undefined && j.confidence < minConfidence) continue;
    out.push(toLocation(c, j, index));
  }
  return out.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

export function toLocation(c: Candidate, j: Judgement, index: LineIndex): PromptLocation {
  const { text, starts } = joined(c.segments);
  const interpolated = c.segments.flatMap((s, i) => s.interpolated.map((p) => ({ ...p, start: p.start + starts[i], end: p.end + starts[i] })));
  const placeholders = [...interpolated, ...findTextPlaceholders(text, interpolated)].sort((a, b) => a.start - b.start);
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
  if (j.api) loc.api = j.api;
  if (c.context.boundName) loc.boundName = c.context.boundName;
  else if (c.context.keys.length > 0) loc.boundName = c.context.keys[0];
  if (c.context.model) loc.model = { name: c.context.model.name, range: index.range(c.context.model.start, c.context.model.end) };
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
