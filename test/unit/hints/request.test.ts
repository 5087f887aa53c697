// The prompts that go out in one request (src/shared/hints/request.ts, `PromptLocation.sentIn`): what Estimate Cost prices
// when it starts from a prompt (newuser45's finding 12: OpenHands' conversation title request was priced as its system
// message alone). Real files: OpenHands (MIT, 156d0686, test/fixtures/hints-real/SOURCES.md) and Anthropic's SDK example
// (test/fixtures/scan/SOURCES.md). Oracle for the counts: js-tiktoken's o200k_base encoder on the texts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { requestOf, requestsOf } from '../../../src/shared/hints/request';
import type { PromptHint } from '../../../src/protocol/hints';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const read = (rel: string): string => readFileSync(path.join(root, 'test/fixtures', rel), 'utf8');

describe('the request a prompt goes out in (Estimate Cost, session 46)', () => {
  const hintsOf = async (text: string, fileName: string, uri?: string, service = new PromptHintService(() => PriceCatalog.bundled())) =>
    (await service.compute({ text, languageId: 'python', fileName, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...(uri ? { uri } : {}) })).prompts;
  const lines = (hints: readonly PromptHint[]) => hints.map((h) => h.location.range.start.line + 1);

  it("a message list's system and user messages are one request (OpenHands' conversation title)", async () => {
    const src = read('hints-real/openhands_conversation_summary.py');
    const hints = await hintsOf(src, 'openhands/utils/conversation_summary.py');
    assert.deepEqual(lines(hints), [46, 50]);
    const [system, user] = hints;
    assert.deepEqual(lines(requestOf(hints, system)), [46, 50]);
    assert.deepEqual(lines(requestOf(hints, user)), [46, 50]);
    // Both are items of the `messages = [` list of line 43, in no recognised LLM call (the list goes to llm_registry).
    assert.deepEqual(system.location.sentIn, { list: { line: 42, character: 19, offset: src.indexOf('messages = [') + 'messages = '.length } });
    assert.deepEqual(user.location.sentIn, system.location.sentIn);
    // The counts Estimate Cost adds: the system text, and the user template's fixed text (its two runtime values not counted).
    const systemText = /'content': '(You are a helpful assistant[^']*)'/.exec(src)?.[1] ?? '';
    assert.equal(system.cost.tokens.count, count(systemText));
    assert.deepEqual(user.runtimeValues, ['max_length', 'truncated_message']);
    assert.equal(user.cost.tokens.count, count('Generate a title (maximum  characters) for a conversation that starts with this message:\n\n'));
  });

  it('messages of one call are one request; another call is another (anthropic-sdk-python example)', async () => {
    const src = read('scan/python/anthropic_messages.py');
    const hints = await hintsOf(src, 'messages.py');
    assert.deepEqual(lines(hints), [10, 22, 30]);
    assert.deepEqual(lines(requestOf(hints, hints[0])), [10]);
    assert.deepEqual(lines(requestOf(hints, hints[1])), [22, 30]);
    assert.deepEqual(lines(requestOf(hints, hints[2])), [22, 30]);
  });

  it("an Anthropic call's system= and its messages= share the call; a prompt in no call and no list is alone", async () => {
    const src = [
      'import anthropic',
      'client = anthropic.Anthropic()',
      'RULES = "Answer in two sentences and name your sources."',
      'def ask(city):',
      '    return client.messages.create(',
      '        model="claude-sonnet-4-5",',
      '        max_tokens=300,',
      '        system="You are a careful travel agent who plans trips for families.",',
      '        messages=[{"role": "user", "content": f"Plan a weekend in {city} for a family of four."}],',
      '    )',
      '',
    ].join('\n');
    const hints = await hintsOf(src, 'travel.py');
    const byLine = new Map(hints.map((h) => [h.location.range.start.line + 1, h]));
    const system = byLine.get(8);
    const user = byLine.get(9);
    assert.ok(system && user, JSON.stringify(lines(hints)));
    assert.deepEqual(system.location.sentIn, { call: { line: 4, character: 11, offset: src.indexOf('client.messages.create(') } });
    assert.equal(user.location.sentIn?.call?.offset, system.location.sentIn?.call?.offset);
    assert.ok(user.location.sentIn?.list);
    assert.deepEqual(lines(requestOf(hints, user)), [8, 9]);
    const rules = byLine.get(3);
    if (rules) assert.deepEqual(lines(requestOf(hints, rules)), [3]);
  });

  it('the items of a list of objects without roles are alternatives, not one request', async () => {
    // A list of starter prompts, each sent alone when clicked (bolt.new's EXAMPLE_PROMPTS, newuser39, had this shape).
    const src = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'STARTERS = [',
      '    {"title": "Game", "prompt": "Build a space invaders game in one HTML file with a score and three lives."},',
      '    {"title": "Todo", "prompt": "Build a todo list app in React with local storage and a dark theme."},',
      ']',
      'def run(i):',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": STARTERS[i]["prompt"]}])',
      '',
    ].join('\n');
    const hints = await hintsOf(src, 'starters.py');
    assert.deepEqual(lines(hints), [4, 5]);
    assert.equal(hints[0].location.sentIn, undefined);
    assert.deepEqual(lines(requestOf(hints, hints[0])), [4]);
  });

  it('only prompts sent with the same model; positions follow an edit above (incremental scan, shifted answers)', async () => {
    const src = read('scan/python/anthropic_messages.py');
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const before = await hintsOf(src, 'messages.py', 'file:///messages.py', service);
    const after = await hintsOf(`# a line above\n${src}`, 'messages.py', 'file:///messages.py', service);
    assert.deepEqual(lines(requestOf(after, after[1])), [23, 31]);
    assert.equal(after[1].location.sentIn?.call?.offset, (before[1].location.sentIn?.call?.offset ?? NaN) + '# a line above\n'.length);
    // The same request with another model for one of its prompts: that one is not in it.
    const mixed = after.map((h, i) => (i === 2 ? { ...h, model: 'gpt-4o-mini' } : h));
    assert.deepEqual(lines(requestOf(mixed, mixed[1])), [23]);
  });

  it("a constant sent by its name in a call's message list is in that request (crewAI docs_check.py, session 47)", async () => {
    const src = read('hints-real/crewai_docs_check.py');
    const hints = await hintsOf(src, 'lib/devtools/src/crewai_devtools/docs_check.py');
    const byLine = new Map(hints.map((h) => [h.location.range.start.line + 1, h]));
    const analyze = byLine.get(66);
    assert.ok(analyze, JSON.stringify(lines(hints)));
    // `{"role": "system", "content": _ANALYZE_SYSTEM}` in `messages=[…]` of `client.beta.chat.completions.parse(` (line 180, 0-based 179).
    const call = src.indexOf('client.beta.chat.completions.parse(');
    const list = src.indexOf('[', src.indexOf('messages=', call));
    assert.equal(analyze.location.sentIn?.call?.offset, call);
    assert.equal(analyze.location.sentIn?.list?.offset, list);
    assert.equal(analyze.location.sentIn?.call?.line, 179);
    // `{"role": "user", "content": _ANALYZE_USER + diff[:50000]}` beside it: the user message's fixed text, a user prompt of
    // that request (it was not found: 8 tokens, known only by where it is sent).
    assert.equal(byLine.get(81)?.location.kind, 'user');
    // And `response_format=DocsAnalysis`: the schema's descriptions (its docstring, its fields', and those of `DocAction`, a
    // field of it) go out in that call, priced with its model (they were priced with the default, gpt-4o here).
    const schema = [41, 44, 46, 49, 54, 57, 59, 62];
    assert.deepEqual(lines(requestOf(hints, analyze)), [...schema, 66, 81]);
    for (const line of schema) {
      assert.equal(byLine.get(line)?.location.kind, 'tool', String(line));
      assert.equal(byLine.get(line)?.model, 'gpt-4o-mini', String(line));
    }
    assert.deepEqual(lines(requestOf(hints, byLine.get(41) ?? analyze)), [...schema, 66, 81]);
    // `prompt = _GENERATE_DOC_PROMPT.format(…)` then `{"role": "user", "content": prompt}` beside a literal system message:
    // one request, priced with that call's model (gpt-4o), as is the translation template's (gpt-4o-mini, not the default).
    const generate = byLine.get(83);
    assert.ok(generate);
    assert.deepEqual(lines(requestOf(hints, generate)), [83, 230]);
    assert.deepEqual(lines(requestOf(hints, byLine.get(230) ?? generate)), [83, 230]);
    assert.equal(generate.model, 'gpt-4o');
    // Sent as the user message: a user prompt, though it opens with "You are a technical writer…".
    assert.equal(generate.location.kind, 'user');
    assert.equal(analyze.location.kind, 'system');
    assert.deepEqual(lines(requestOf(hints, byLine.get(106) ?? generate)), [106, 270]);
    assert.equal(byLine.get(131)?.model, 'gpt-4o-mini');
    assert.deepEqual(lines(requestOf(hints, byLine.get(131) ?? generate)), [131, 306]);
  });

  it('a TypeScript constant named as a message\'s content is in that list (mem0 reranker, session 47)', async () => {
    const src = read('hints-real/mem0_reranker_llm.ts');
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const hints = (await service.compute({ text: src, languageId: 'typescript', fileName: 'mem0-ts/src/oss/src/rerankers/llm.ts', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;
    assert.deepEqual(lines(hints), [5]);
    // `this.llm.generateResponse([{ role: "system", content: SYSTEM_PROMPT }, …])`: the app's own LLM class, no known call.
    assert.deepEqual(hints[0].location.sentIn, { list: { line: 62, character: 53, offset: src.indexOf('[', src.indexOf('generateResponse(')) } });
  });

  it('a name is sent where its own scope sends it; a use that is no message content or LLM call argument sends nothing', async () => {
    const src = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def summarize(text):',
      '    prompt = "Summarize the following article in three bullet points for a busy executive."',
      '    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": prompt}, {"role": "user", "content": text}])',
      'def log_it(text):',
      '    prompt = "Write a short haiku about the sea and the wind, in the style of Basho."',
      '    print(prompt)',
      '    return {"content": prompt}',
      '',
    ].join('\n');
    const hints = await hintsOf(src, 'scoped.py');
    const byLine = new Map(hints.map((h) => [h.location.range.start.line + 1, h]));
    const sent = byLine.get(4);
    assert.ok(sent, JSON.stringify(lines(hints)));
    assert.equal(sent.location.sentIn?.call?.offset, src.indexOf('client.chat.completions.create('));
    assert.equal(sent.location.sentIn?.list?.offset, src.indexOf('[{"role": "system"'));
    const other = byLine.get(7);
    if (other) assert.equal(other.location.sentIn, undefined);
  });

  // Session 48 (requests48): role messages bound to names, and a name sent by several calls. Real files:
  // multiCAD-MCP (Apache-2.0), telegram-gpt-php-translator-bot (MIT), continue (Apache-2.0): hints-real/SOURCES.md.
  it('a constant sent by two calls goes out in two requests, one through a message bound to a name (multiCAD-MCP cli_agent.py)', async () => {
    const src = read('hints-real/multicad_cli_agent.py');
    const hints = await hintsOf(src, 'agent/cli_agent.py');
    const system = hints.find((h) => h.location.boundName === 'SYSTEM_PROMPT');
    assert.ok(system, JSON.stringify(lines(hints)));
    assert.equal(system.location.range.start.line + 1, 57);
    // Claude: `self._client.messages.create(…, system=SYSTEM_PROMPT, …)` (line 231).
    const claude = src.indexOf('self._client.messages.create(');
    assert.equal(system.location.sentIn?.call?.offset, claude);
    // MiniMax: `sys_msg = {"role": "system", "content": SYSTEM_PROMPT}`, then `messages=[sys_msg] + clean_messages` in
    // `self._client.chat.completions.create(` (line 314): another request, which was not found.
    const minimax = src.indexOf('self._client.chat.completions.create(');
    assert.deepEqual(system.location.sentIn?.also?.map((s) => [s.call?.offset, s.list?.offset]), [[minimax, src.indexOf('[sys_msg]')]]);
    assert.equal(system.location.sentIn?.also?.[0].call?.line, 313);
    // One request per call, each this prompt alone (the conversation is runtime data), never the two summed.
    const requests = requestsOf(hints, system);
    assert.deepEqual(requests.map((r) => [r.at?.line, lines(r.members)]), [[230, [57]], [313, [57]]]);
    assert.deepEqual(lines(requestOf(hints, system)), [57]);
    const text = /SYSTEM_PROMPT = """\\\n([\s\S]*?)"""/.exec(src)?.[1] ?? '';
    assert.ok(text.startsWith('You are a CAD control assistant'), text.slice(0, 40));
    assert.equal(system.cost.tokens.count, count(text));
  });

  it('role messages bound to names are items of the list they are put in (telegram-gpt-php-translator-bot)', async () => {
    const src = read('hints-real/translator_openai_service.py');
    const hints = await hintsOf(src, 'telegram_gpt_php_translator_bot/services/openai_service.py');
    assert.deepEqual(lines(hints), [28, 37]);
    // `system_prompt = {"role": "system", "content": (…)}`, `user_prompt = {"role": "user", "content": f"""…"""}`, then
    // `messages=[system_prompt, user_prompt]` in `client.chat.completions.create(model=MODEL, …)`: that list, as if the
    // two dicts were written in it.
    const list = src.indexOf('[system_prompt, user_prompt]');
    for (const h of hints) {
      assert.equal(h.location.sentIn?.list?.offset, list);
      assert.equal(h.location.sentIn?.call?.offset, src.indexOf('client.chat.completions.create('));
      assert.equal(h.model, 'gpt-4.1');
    }
    assert.deepEqual(hints.map((h) => h.location.kind), ['system', 'user']);
    assert.deepEqual(lines(requestOf(hints, hints[1])), [28, 37]);
  });

  it('a TypeScript message object bound to a name, `role: "user" as const`, is an item of its list (continue conversationCompaction.ts)', async () => {
    const src = read('hints-real/continue_conversation_compaction.ts');
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const hints = (await service.compute({ text: src, languageId: 'typescript', fileName: 'core/util/conversationCompaction.ts', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;
    const compaction = hints.find((h) => h.location.boundName === 'compactionPrompt');
    assert.ok(compaction, JSON.stringify(lines(hints)));
    assert.equal(compaction.location.kind, 'user');
    // `currentModel.chat([...messages, compactionPrompt], …)`: the app's own LLM class, so a list and no known call.
    assert.deepEqual(compaction.location.sentIn, { list: { line: 92, character: 4, offset: src.indexOf('[...messages, compactionPrompt]') } });
  });

  it("a list of bound messages sent by its name, and messages added with append, take that call's model", async () => {
    const src = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'SYSTEM = "You are a careful travel agent who plans weekend trips for families with small children."',
      'def plan(city):',
      '    system_msg = {"role": "system", "content": SYSTEM}',
      '    msg = {"role": "user", "content": f"Plan a weekend in {city} for a family of four, with one museum and one park."}',
      '    messages = [system_msg, msg]',
      '    return client.chat.completions.create(model="gpt-4o-mini", messages=messages)',
      'def rainy(city):',
      '    messages = []',
      '    note = {"role": "user", "content": f"List three rainy-day activities in {city} that small children enjoy, with prices."}',
      '    messages.append({"role": "system", "content": SYSTEM})',
      '    messages.append(note)',
      '    return client.chat.completions.create(model="gpt-4.1-mini", messages=messages)',
      '',
    ].join('\n');
    const hints = await hintsOf(src, 'trips.py');
    assert.deepEqual(lines(hints), [3, 6, 11]);
    const [system, user, note] = hints;
    // Were: the default model (gpt-4o here) and each prompt a request of its own.
    assert.deepEqual(hints.map((h) => h.model), ['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4.1-mini']);
    assert.deepEqual(user.location.sentIn, { call: { line: 7, character: 11, offset: src.indexOf('client.chat.completions.create(model="gpt-4o-mini"') }, list: { line: 6, character: 15, offset: src.indexOf('[system_msg, msg]') } });
    assert.equal(note.location.sentIn?.list?.offset, src.indexOf('[]'));
    assert.equal(note.location.sentIn?.call?.offset, src.indexOf('client.chat.completions.create(model="gpt-4.1-mini"'));
    // SYSTEM goes out in both: two requests, each with that call's user message.
    assert.deepEqual(requestsOf(hints, system).map((r) => [r.at?.line, lines(r.members), r.model]), [[7, [3, 6], 'gpt-4o-mini'], [13, [3, 11], 'gpt-4.1-mini']]);
    assert.deepEqual(lines(requestOf(hints, note)), [3, 11]);
    assert.deepEqual(lines(requestOf(hints, user)), [3, 6]);
  });

  it('a TypeScript message object pushed onto a list sent in the options object', async () => {
    const src = [
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      "const SYSTEM = 'You are a careful travel agent who plans weekend trips for families with small children.';",
      'export async function plan(city: string, model: string) {',
      "  const systemMsg = { role: 'system' as const, content: SYSTEM };",
      "  const msg = { role: 'user' as const, content: `Plan a weekend in ${city} for a family of four, with one museum and one park.` };",
      '  const messages = [systemMsg];',
      '  messages.push(msg);',
      "  return client.chat.completions.create({ model: 'gpt-4o-mini', messages });",
      '}',
      "export const other = { model: 'gpt-4.1-nano' };",
      '',
    ].join('\n');
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const hints = (await service.compute({ text: src, languageId: 'typescript', fileName: 'trips.ts', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;
    assert.deepEqual(lines(hints), [3, 6]);
    const list = src.indexOf('[systemMsg]');
    const call = src.indexOf('client.chat.completions.create(');
    for (const h of hints) assert.deepEqual([h.location.sentIn?.list?.offset, h.location.sentIn?.call?.offset, h.model], [list, call, 'gpt-4o-mini']);
    assert.deepEqual(lines(requestOf(hints, hints[0])), [3, 6]);
  });
});
