// break30: `prompt compress|distill|optimize` read a .prompty file's YAML front matter as prompt text: compress dropped
// its closing `---` as a Markdown rule, so the printed file no longer had a front matter (Prompty reads the block
// between the two `---` lines as the configuration). The front matter is kept byte for byte and the body rewritten, as
// the editor rewrites a .prompty's sections. Expected text: the input's front matter as written, then the body as
// `prompt compress` prints it for the body alone (checked by hand: "You are" contracted, "Please make sure to" dropped).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distDir } from '../../helpers/paths';
import { count } from '../../helpers/tiktokenOracle';

const cli = path.join(distDir, 'cli.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const FRONT = '---\nname: Support\ndescription: Please make sure to answer briefly.\nmodel:\n  api: chat\n---\n';
const BODY = 'system:\nYou are a support agent. Please make sure to answer briefly.\n\nuser:\n{{question}}\n';

describe('pepperpy-opt CLI: a .prompty file\'s front matter is no prompt text (break30)', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-prompty-'));
    file = path.join(dir, 'support.prompty');
    fs.writeFileSync(file, FRONT + BODY);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prompt compress keeps the front matter, closing --- included, and compresses the body', () => {
    const r = run(['prompt', 'compress', file, '--json', '--model', 'gpt-4o']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { text: string }).text, `${FRONT}system:\nYou're a support agent. Answer briefly.\n\nuser:\n{{question}}`);
  });

  it('prompt optimize and distill print the front matter as written too', () => {
    for (const args of [['optimize', file, '--target', 'efficiency'], ['distill', file, '--max-tokens', '10']]) {
      const r = run(['prompt', ...args, '--model', 'gpt-4o']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.startsWith(`${FRONT}system:\n`), `${args[0]}: ${r.stdout}`);
    }
  });

  it('prompt compress keeps a user message\'s instruction that the system message also gives (it was dropped as a repeat)', () => {
    const chat = path.join(dir, 'translate.prompty');
    fs.writeFileSync(chat, '---\nname: X\n---\nsystem:\nYou are a translator. Always answer in plain English.\n\nuser:\nTranslate the text below. Always answer in plain English.\n{{text}}\n');
    const r = run(['prompt', 'compress', chat, '--json', '--model', 'gpt-4o']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { text: string }).text, "---\nname: X\n---\nsystem:\nYou're a translator. Always answer in plain English.\n\nuser:\nTranslate the text below. Always answer in plain English.\n{{text}}");
  });

  it('a VS Code prompt file (.github/prompts/*.prompt.md) keeps its front matter too', () => {
    const prompts = path.join(dir, '.github', 'prompts');
    fs.mkdirSync(prompts, { recursive: true });
    const md = path.join(prompts, 'review.prompt.md');
    fs.writeFileSync(md, '---\nmode: agent\ndescription: Please make sure to review the code.\n---\nPlease make sure to review the selected code in order to find bugs.\n');
    const r = run(['prompt', 'compress', md, '--json', '--model', 'gpt-4o']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { text: string }).text, '---\nmode: agent\ndescription: Please make sure to review the code.\n---\nReview the selected code to find bugs.');
  });

  it('prompt count and prompt analyze count the body, not the front matter (break30\'s leftover)', () => {
    // gpt-4o counts with o200k_base; the oracle is js-tiktoken on the body alone.
    for (const verb of ['count', 'analyze']) {
      const r = run(['prompt', verb, file, '--model', 'gpt-4o', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout) as { count?: number; tokenCount?: number; frontMatter?: string };
      assert.equal(json.count ?? json.tokenCount, count(BODY), verb);
      assert.equal(json.frontMatter, 'left out');
      assert.match(run(['prompt', verb, file, '--model', 'gpt-4o']).stdout, /the front matter is configuration, left out/);
    }
  });
});
