/**
 * The prompts of one document that go out in one request with a given prompt: those that share its LLM call or its
 * literal list of messages (`PromptLocation.sentIn`), directly or through another (an Anthropic call's `system=` shares
 * the call with the `messages=` list, whose items share the list), and are sent with the same model. OpenHands'
 * conversation_summary.py builds `messages = [{'role': 'system', 'content': '…'}, {'role': 'user', 'content': f'…'}]`
 * and sends the list: Estimate Cost priced the system message alone (newuser45). A prompt the scanner places in no call
 * and no list is its own request.
 */
import type { PromptLocation } from '../../protocol/scan';

export interface RequestMember {
  location: Pick<PromptLocation, 'sentIn' | 'range'>;
  model: string;
}

/** `prompt` and the prompts of `all` in its request, in document order (`prompt` is one of `all`, or compared by its range's start). */
export function requestOf<T extends RequestMember>(all: readonly T[], prompt: T): T[] {
  const start = (p: T) => p.location.range.start.offset;
  const members = new Set<T>([all.find((p) => start(p) === start(prompt)) ?? prompt]);
  const calls = new Set<number>();
  const lists = new Set<number>();
  const take = (p: T) => {
    if (p.location.sentIn?.call) calls.add(p.location.sentIn.call.offset);
    if (p.location.sentIn?.list) lists.add(p.location.sentIn.list.offset);
  };
  members.forEach(take);
  if (calls.size === 0 && lists.size === 0) return [...members];
  // (Grown to a fixed point: each pass adds the prompts that share a call or a list with one already in.)
  for (let grown = true; grown; ) {
    grown = false;
    for (const p of all) {
      if (members.has(p) || p.model !== prompt.model) continue;
      const sentIn = p.location.sentIn;
      if ((sentIn?.call && calls.has(sentIn.call.offset)) || (sentIn?.list && lists.has(sentIn.list.offset))) {
        members.add(p);
        take(p);
        grown = true;
      }
    }
  }
  return [...members].sort((a, b) => start(a) - start(b));
}
