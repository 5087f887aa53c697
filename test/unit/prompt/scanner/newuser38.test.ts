import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { summarize } from '../../../../src/shared/prompt/scanner/scanFiles';

// newuser38 ran the extension on vanna-ai/vanna (MIT, commit 365d0617c1a4567ffee1b19b40c27feb4206bfcf). The snippets
// below are written for these tests in the shape of the code met there; no vanna text is copied.
const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind}`);

describe('findPrompts: a literal passed to a role-message builder (newuser38, vanna legacy/base/base.py)', () => {
  // vanna's VannaBase has `system_message(self, message)`, `user_message(self, message)` and `assistant_message(self,
  // message)`, each returning `{"role": …, "content": message}`; its generate_* methods build the message list with them.
  it('the user turn built with self.user_message(…) is a user prompt, beside the system turn', () => {
    const src = [
      'class Base:',
      '    def make_chart(self, question, table, **kwargs):',
      '        message_log = [',
      '            self.system_message(f"The following table answers the question: {question}\\n{table}"),',
      '            self.user_message(',
      '                "Write the matplotlib code that draws this table as a chart. Reply with the code only, no explanations."',
      '            ),',
      '        ]',
      '        return self.submit_prompt(message_log, **kwargs)',
      '',
    ].join('\n');
    // Before: [] (the user turn scored 0.55 on its wording alone; the system turn not at all).
    assert.deepEqual(found(src, 'base.py'), ['4 system', '6 user']);
  });

  it('a turn joined with + to a runtime value, and one appended to the list, count too', () => {
    const src = [
      'class Base:',
      '    def sum_up(self, question, table, **kwargs):',
      '        log = [self.system_message(f"The user asked: {question}\\n\\nThe table holds the rows that answer it:\\n{table}")]',
      '        log.append(',
      '            self.user_message(',
      '                "Sum up the table in two sentences. Say nothing beyond the summary."',
      '                + self._language_note()',
      '            )',
      '        )',
      '        log.append(self.assistant_message("Here is the summary of the table you gave me."))',
      '        return self.submit_prompt(log, **kwargs)',
      '',
    ].join('\n');
    // Before: [] for all three.
    assert.deepEqual(found(src, 'base.py'), ['3 system', '6 user', '10 assistant']);
  });

  it('a UI or bot method of another name is no role message: send_message, show_user_message, user_messages', () => {
    const src = [
      'async def reply(bot, ui, chat_id):',
      '    await bot.send_message(chat_id, "Working on it, the answer will follow in a minute or two.")',
      '    ui.show_user_message("Your question was sent. Please wait for the answer to appear here.")',
      '    store.user_messages("Your question was sent. Please wait for the answer to appear here.")',
      '',
    ].join('\n');
    assert.deepEqual(found(src, 'bot.py'), []);
  });
});

describe('prompt scan: the preview of a prompt composed from pieces (newuser38, vanna core/system_prompt/default.py)', () => {
  it('is the start of the composed text, not of the longest piece', () => {
    // vanna builds its system prompt as a list of lines, extended under conditions, then "\n".join(prompt_parts).
    const src = [
      'def build(tools, has_search):',
      '    parts = [',
      '        "You are a data analyst assistant. Answer with the tools you have.",',
      '        "",',
      '        "Guidelines:",',
      '    ]',
      '    if has_search:',
      '        parts.extend([',
      '            "- BEFORE running any query, you MUST search the saved queries for one that answers a similar question, and reuse it when it does.",',
      '        ])',
      '    system_prompt = "\\n".join(parts)',
      '    return system_prompt',
      '',
    ].join('\n');
    const prompts = findPrompts(src, undefined, { fileName: 'default.py' });
    const items = summarize([{ file: 'default.py', languageId: 'python', elapsedMs: 0, prompts, source: src }], 'gpt-5.4');
    assert.deepEqual(items.map((i) => [i.startLine, i.preview]), [[3, 'You are a data analyst assistant. Answer with the tools you ']]);
  });
});

describe('findPrompts: a package manifest is no tool schema (newuser38, vanna frontends/webcomponent/package.json)', () => {
  it('the description beside version, main, scripts and type: "commonjs" is no tool description', () => {
    const src = ['{', '  "name": "@acme/chat-widgets",', '  "version": "2.0.0",', '  "description": "Web components for chat agents",', '  "main": "dist/index.js",', '  "scripts": { "build": "vite build" },', '  "type": "commonjs"', '}', ''].join('\n');
    // Before: ['4 tool'] (the `type` key made it a parameter schema).
    assert.deepEqual(found(src, 'package.json'), []);
  });

  it('a parameter schema with a type and a description still is one', () => {
    const src = ['{', '  "name": "run_query",', '  "parameters": {', '    "type": "object",', '    "properties": {', '      "sql": { "type": "string", "description": "The SQL query to run against the database" }', '    }', '  }', '}', ''].join('\n');
    assert.deepEqual(found(src, 'tools.json'), ['6 tool']);
  });
});
