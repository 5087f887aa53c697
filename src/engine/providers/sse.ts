/**
 * Server-sent events, as the OpenAI-compatible and Anthropic APIs stream them: split into
 * event blocks as bytes arrive, and each block's `event:` name and `data:` lines read. The
 * clients read answers with it (http.ts's readSse) and the cost monitor meters the streams
 * it passes on (it keeps each block's raw text to forward it unchanged).
 */

export interface SseEvent {
  event?: string;
  data: string;
}

export interface RawSseEvent extends SseEvent {
  /** The event's raw text, separator included, for passing it on unchanged. */
  raw: string;
}

/** A block's `event:` name and its `data:` lines joined; undefined when it has neither (a comment, a keep-alive). */
export function parseSseEvent(raw: string): SseEvent | undefined {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of raw.split(/\r?\n/)) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0 && event === undefined) return undefined;
  return { ...(event !== undefined ? { event } : {}), data: data.join('\n') };
}

/** Splits a server-sent-event stream into events as bytes arrive, keeping only the unfinished tail. */
export class SseSplitter {
  private tail = '';
  private readonly decoder = new TextDecoder();

  /** The blocks these bytes complete, each with its closing blank line. */
  pushRaw(chunk: Uint8Array): string[] {
    this.tail += this.decoder.decode(chunk, { stream: true });
    const blocks: string[] = [];
    for (;;) {
      const match = /\r?\n\r?\n/.exec(this.tail);
      if (!match) break;
      const end = match.index + match[0].length;
      blocks.push(this.tail.slice(0, end));
      this.tail = this.tail.slice(end);
    }
    return blocks;
  }

  /** What is left when the stream ends (a block without its closing blank line, or ''). */
  flushRaw(): string {
    const rest = this.tail + this.decoder.decode();
    this.tail = '';
    return rest;
  }

  /** The events these bytes complete; a block with no field reads as empty data. */
  push(chunk: Uint8Array): RawSseEvent[] {
    return this.pushRaw(chunk).map(withRaw);
  }

  flush(): RawSseEvent[] {
    const rest = this.flushRaw();
    return rest.trim() === '' ? [] : [withRaw(rest)];
  }
}

function withRaw(raw: string): RawSseEvent {
  return { ...(parseSseEvent(raw) ?? { data: '' }), raw };
}
