/**
 * The prompts of one document that go out in one request with a given prompt: those that share its LLM call or its
 * literal list of messages (`PromptLocation.sentIn`), directly or through another (an Anthropic call's `system=` shares
 * the call with the `messages=` list, whose items share the list), and are sent with the same model. A prompt whose name
 * several calls send goes out in several requests (`requestsOf`). OpenHands'
 * conversation_summary.py builds `messages = [{'role': 'system', 'content': '…'}, {'role': 'user', 'content': f'…'}]`
 * and sends the list: Estimate Cost priced the system message alone (newuser45). A prompt the scanner places in no call
 * and no list is its own request.
 */
import type { PromptLocation, TextPosition } from '../../protocol/scan';

export interface RequestMember {
  location: Pick<PromptLocation, 'sentIn' | 'range'>;
  model: string;
}

/** `prompt` and the prompts of `all` in its request, in document order (`prompt` is one of `all`, or compared by its range's start). */
export function requestOf<T extends RequestMember>(all: readonly T[], prompt: T): T[] {
  const self = all.find((p) => p.location.range.start.offset === prompt.location.range.start.offset) ?? prompt;
  return grown(all, self, [self.location.sentIn ?? {}], self.model);
}

/**
 * One of the requests a prompt goes out in (`requestsOf`): where (the call's start, else the list's), its prompts, and
 * the model they share (another request's prompts may be priced for another model than the prompt: that call's).
 */
export interface Request<T> {
  at?: TextPosition;
  members: T[];
  model: string;
}

/**
 * Every request `prompt` goes out in: the first is `requestOf`'s; a prompt whose name several calls send
 * (`sentIn.also`: multiCAD-MCP's `SYSTEM_PROMPT`, Claude's `system=` and a message of MiniMax's `messages`) goes out
 * in one request per call, each with the prompts of that call or list only. The counts of a request are per call: the
 * requests are never summed together.
 */
export function requestsOf<T extends RequestMember>(all: readonly T[], prompt: T): Array<Request<T>> {
  const self = all.find((p) => p.location.range.start.offset === prompt.location.range.start.offset) ?? prompt;
  const sentIn = self.location.sentIn;
  const where = (site: { call?: TextPosition; list?: TextPosition } | undefined) => (site?.call ?? site?.list ? { at: site?.call ?? site?.list } : {});
  const first: Request<T> = { ...where(sentIn), members: requestOf(all, self), model: self.model };
  return [
    first,
    ...(sentIn?.also ?? []).map((site) => {
      const members = grown(all, self, [site], undefined);
      return { ...where(site), members, model: members.find((p) => p !== self)?.model ?? self.model };
    }),
  ];
}

/**
 * `self` and the prompts of `all` that share a call or a list with it at `sites`, or with one already in, in document
 * order: those priced for `model`, or (undefined) for the model of the first one found (another call of `self`'s name).
 */
function grown<T extends RequestMember>(all: readonly T[], self: T, sites: ReadonlyArray<{ call?: TextPosition; list?: TextPosition }>, model: string | undefined): T[] {
  const start = (p: T) => p.location.range.start.offset;
  const members = new Set<T>([self]);
  const calls = new Set<number>();
  const lists = new Set<number>();
  const take = (site: { call?: TextPosition; list?: TextPosition } | undefined) => {
    if (site?.call) calls.add(site.call.offset);
    if (site?.list) lists.add(site.list.offset);
  };
  sites.forEach(take);
  if (calls.size === 0 && lists.size === 0) return [...members];
  // (Grown to a fixed point: each pass adds the prompts that share a call or a list with one already in, at any of
  // their sites; of a prompt sent by several calls only the site that is in this request counts, not its others.)
  const shares = (site: { call?: TextPosition; list?: TextPosition }) => (site.call !== undefined && calls.has(site.call.offset)) || (site.list !== undefined && lists.has(site.list.offset));
  for (let more = true; more; ) {
    more = false;
    for (const p of all) {
      if (members.has(p)) continue;
      const sentIn = p.location.sentIn;
      const matched = sentIn ? [sentIn, ...(sentIn.also ?? [])].filter(shares) : [];
      // (A prompt in this request only through another call of its name is priced for its first call's model: in, whatever that is.)
      const first = sentIn !== undefined && matched.includes(sentIn);
      if (first && model !== undefined && p.model !== model) continue;
      if (matched.length > 0) {
        if (first) model ??= p.model;
        members.add(p);
        matched.forEach(take);
        more = true;
      }
    }
  }
  return [...members].sort((a, b) => start(a) - start(b));
}
