/**
 * Transcripts a prompt quotes: subtitle cues (SRT, WebVTT, Whisper's "[00:01:02.000 --> 00:01:05.500]
 * text") and dialogues ("Customer: …" / "Support Agent: …" taking turns). What is said there is
 * data the prompt hands the model (an input sample, the conversation to summarize), never
 * instructions to shorten. read28: fabric's create_video_chapters sample lost "Thank you, guys.
 * Thank you." to the politeness rule and "I'll" to the aggressive auxiliary rule; MetaGPT's
 * conversation to summarize lost the customer's "please" and the agent's "the".
 */
import type { RangeIndex } from './spans';

/** A cue timing: hours optional, "." or "," before the milliseconds, optionally in square brackets. */
const CUE = /\[?(?:\d{1,2}:)?\d{2}:\d{2}(?:[.,]\d{1,3})?[ \t]*-->[ \t]*(?:\d{1,2}:)?\d{2}:\d{2}(?:[.,]\d{1,3})?\]?/g;

type DataSpan = { start: number; end: number; kind: 'structured'; text: string };

/** A dialogue turn: a speaker of one to three capitalized words, a colon, then what they say. */
const TURN = /^[ \t]*(\p{Lu}[\p{L}.'’-]*(?:[ \t]\p{Lu}[\p{L}.'’-]*){0,2}):[ \t]+\S/u;

/**
 * Spans of the lines of each dialogue: four turns or more in a row (blank lines between them allowed), by two to four
 * speakers, two of whom speak twice at least. A run of labels that each come once ("Role: …", "Task: …", "Format: …")
 * is no dialogue.
 */
export function dialogueTurns(text: string, skip: RangeIndex): DataSpan[] {
  const spans: DataSpan[] = [];
  let run: Array<{ start: number; end: number; speaker: string }> = [];
  const flush = () => {
    const counts = new Map<string, number>();
    for (const turn of run) counts.set(turn.speaker, (counts.get(turn.speaker) ?? 0) + 1);
    const repeated = [...counts.values()].filter((n) => n >= 2).length;
    if (run.length >= 4 && counts.size >= 2 && counts.size <= 4 && repeated >= 2) {
      for (const turn of run) if (!skip.overlaps(turn.start, turn.end)) spans.push({ start: turn.start, end: turn.end, kind: 'structured', text: text.slice(turn.start, turn.end) });
    }
    run = [];
  };
  let at = 0;
  while (at <= text.length) {
    const next = text.indexOf('\n', at);
    const end = next < 0 ? text.length : next;
    const line = text.slice(at, end);
    const turn = TURN.exec(line);
    if (turn) {
      const lead = line.length - line.trimStart().length;
      run.push({ start: at + lead, end: at + line.trimEnd().length, speaker: turn[1].toLowerCase() });
    } else if (line.trim() !== '') flush();
    if (next < 0) break;
    at = next + 1;
  }
  flush();
  return spans;
}

/** Spans from each line's first cue timing to the line's end, outside `skip` (code and data blocks already found). */
export function transcriptCues(text: string, skip: RangeIndex): DataSpan[] {
  const spans: DataSpan[] = [];
  CUE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CUE.exec(text)) !== null) {
    const lineEnd = text.indexOf('\n', m.index);
    const end = text.slice(m.index, lineEnd < 0 ? text.length : lineEnd).trimEnd().length + m.index;
    if (!skip.overlaps(m.index, end)) spans.push({ start: m.index, end, kind: 'structured', text: text.slice(m.index, end) });
    CUE.lastIndex = Math.max(CUE.lastIndex, end);
  }
  return spans;
}
