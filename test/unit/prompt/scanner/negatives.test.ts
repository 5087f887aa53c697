import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

describe('findPrompts: not prompts', () => {
  it('ignores logs, SQL, errors, docstrings, assertions and short UI strings in Python', () => {
    const src = [
      'import logging',
      'from openai import OpenAI',
      'log = logging.getLogger(__name__)',
      '',
      'def load(cur, user_id):',
      '    """Load the user\'s documents from the database and return them as a list of rows."""',
      '    log.info("Loading documents for user %s from the primary database", user_id)',
      '    print(f"Loaded the documents for {user_id} successfully from the database")',
      '    cur.execute("SELECT id, body FROM documents WHERE owner = %s ORDER BY created_at DESC", (user_id,))',
      '    if cur.rowcount == 0:',
      '        raise ValueError(f"No documents were found for user {user_id}; check the owner column")',
      '    assert cur.rowcount > 0, "Expected at least one document for the user in the table"',
      '    title = "Save changes"',
      '    return ", ".join(row[1] for row in cur.fetchall())',
    ].join('\n');
    assert.deepEqual(findPrompts(src, 'python'), []);
  });

  it("reads SQLite's INSERT OR REPLACE / OR IGNORE and REPLACE INTO as SQL, even in a prompt-named variable (left33)", () => {
    // The statement of langchain-ai/langgraph's SQLite cache (libs/checkpoint-sqlite/langgraph/cache/sqlite/__init__.py,
    // MIT) bound to prompt-named names: only plain INSERT INTO was known as SQL.
    const statement = 'INSERT OR REPLACE INTO cache (ns, key, expiry, encoding, val) VALUES (?, ?, ?, ?, ?)';
    for (const src of [`UPSERT_PROMPT = "${statement} and then return the summary of the row to the user"\n`, `system_prompt = "${statement.replace('INSERT OR REPLACE', 'REPLACE')}"\n`, `prompt_sql = "${statement.replace('REPLACE', 'IGNORE')}"\n`]) {
      assert.deepEqual(findPrompts(src, 'python'), [], src);
    }
  });

  it('ignores console output, thrown errors, tagged SQL, type unions and JSX text in TypeScript', () => {
    const src = [
      "import OpenAI from 'openai';",
      "type Mode = 'You are in summary mode and answer briefly' | 'other';",
      "console.log('Starting the server on port 3000 with all the options enabled');",
      "logger.warn(`The request to ${url} failed and will be retried in a few seconds`);",
      "throw new Error('The configuration file is missing the apiKey field; add it and retry');",
      'const rows = await sql`SELECT id, body FROM documents WHERE owner = ${userId} ORDER BY created_at`;',
      "expect(result.text).toBe('You are a helpful assistant that answers questions');",
      "if (mode === 'You are in summary mode and answer briefly') { run(); }",
      "const el = <p title=\"Click here to save the changes you made to the document\">Save</p>;",
    ].join('\n');
    assert.deepEqual(findPrompts(src, 'typescriptreact'), []);
  });

  it('takes a *_ROLE constant of prose as a system prompt, never a role name or a role variable', () => {
    // The shape of shell_gpt's sgpt/role.py (test/fixtures/scan/python/shell_gpt_role.py).
    const src = [
      'USER_ROLE = "user"',
      'ADMIN_ROLE = "administrator"',
      'role = "Provide only {shell} commands for {os} without any description of them."',
      'SHELL_ROLE = """Provide only {shell} commands for {os} without any description.',
      'If there is a lack of details, provide most logical solution.',
      'Ensure the output is a valid shell command."""',
    ].join('\n');
    const found = findPrompts(src, 'python');
    assert.deepEqual(found.map((p) => [p.range.start.line + 1, p.kind]), [[4, 'system']]);
  });

  it('ignores questions asked of the human at the terminal (getpass, typer.prompt, input)', () => {
    // shell_gpt's sgpt/config.py asks for the key with getpass(prompt=…); the scanner took it for a user prompt.
    const src = [
      'from getpass import getpass',
      'import typer',
      'from openai import OpenAI',
      'api_key = getpass(prompt="Please enter your OpenAI API key: ")',
      'role = typer.prompt("Enter role description")',
      'answer = input("Please describe the task you want the assistant to do: ")',
    ].join('\n');
    assert.deepEqual(findPrompts(src, 'python'), []);
  });

  it('ignores configuration strings in YAML and JSON', () => {
    const yaml = 'name: build\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci && npm test -- --reporter spec\n      - name: Upload the coverage report to the dashboard\n';
    assert.deepEqual(findPrompts(yaml, 'yaml'), []);
    const json = '{"name": "my-package", "description": "A small library that formats dates for humans", "scripts": {"test": "mocha --config .mocharc.json"}}';
    assert.deepEqual(findPrompts(json, 'json'), []);
  });

  it('respects minConfidence', () => {
    const src = 'from openai import OpenAI\nPROMPT = "Summarize the following text in three bullet points."\n';
    assert.equal(findPrompts(src, 'python').length, 1);
    assert.equal(findPrompts(src, 'python', { minConfidence: 0.999 }).length, 0);
  });

  // break35: the argument of Python's `%` sent as a message's content (`"content": SYSTEM % "fr"`) was a system prompt of
  // 1 token ("short, but sent as a message"); it is a value formatted into the template on the left.
  it("the argument of Python's % is a value of the template, not a prompt; the template it fills still is", () => {
    const head = 'from openai import OpenAI\nclient = OpenAI()\n';
    const send = (content: string) => `${head}client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": ${content}}])\n`;
    assert.deepEqual(findPrompts(send('SYSTEM % "fr"'), 'python', { minConfidence: 0 }).map((p) => p.text), []);
    assert.deepEqual(findPrompts(send('"You are a translator. Translate the text into %s and keep it short." % "French"'), 'python').map((p) => [p.kind, p.text]), [['system', 'You are a translator. Translate the text into %s and keep it short.']]);
    // Near miss: the template itself, a literal on the left of %, stays a prompt; `"fr"` alone as the content still is one.
    assert.deepEqual(findPrompts(send('"fr"'), 'python').map((p) => p.text), ['fr']);
  });
});
