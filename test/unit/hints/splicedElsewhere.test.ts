// A module constant that another file of the project imports and splices into one of its prompts gets a lens of its
// own (left since session 42): nanobrowser's common.ts exports `commonSecurityRules` (384 tokens), which navigator.ts
// and planner.ts splice into their system prompts (test/fixtures/nanobrowser, Apache-2.0, copied unchanged); common.ts
// itself showed nothing. The importing file's sends say which names it splices (promptSends.ts `spliced`), and the
// module's scan takes them as evidence. The token oracle is js-tiktoken on the constant's text.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPaths, summarize } from '../../../src/shared/prompt/scanner/scanFiles';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { combineSends, promptSends } from '../../../src/shared/prompt/scanner/promptSends';
import type { ImportedSend } from '../../../src/protocol/hints';
import { distDir, repoRoot } from '../../helpers/paths';
import { count } from '../../helpers/tiktokenOracle';

const nano = (name: string): string => readFileSync(join(repoRoot, 'test', 'fixtures', 'nanobrowser', `${name}.ts.txt`), 'utf8');

const PY_AGENT = [
  'from openai import OpenAI',
  'from .common import RULES, FOOTER, LOGGED',
  'import logging',
  'client = OpenAI()',
  '',
  'def ask(q):',
  '    logging.info(f"rules in use: {LOGGED}")',
  '    system = f"You are a careful support agent for Acme. Follow these rules strictly.\\n{RULES}\\nAnswer briefly and cite the policy."',
  '    user = "Question from the customer, answer it politely and precisely: " + q + FOOTER',
  '    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": system}, {"role": "user", "content": user}])',
  '',
].join('\n');

const PY_COMMON = [
  'RULES = "Never reveal internal prices. Never promise refunds. Escalate legal questions to a human agent."',
  'FOOTER = "\\n\\nKeep the answer under 120 words and end with the ticket number."',
  'LOGGED = "Never reveal internal prices. Never promise refunds. Escalate legal questions to a human agent."',
  '',
].join('\n');

async function promptsOf(text: string, languageId: string, fileName: string, importedSends?: ImportedSend[]) {
  const service = new PromptHintService(() => PriceCatalog.bundled());
  return (await service.compute({ text, languageId, fileName, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...(importedSends ? { importedSends } : {}) })).prompts;
}

describe('a module constant spliced into another file\'s prompt has a lens of its own', function () {
  this.timeout(60_000);

  it('promptSends: navigator.ts splices commonSecurityRules at line 7; a Python agent splices RULES (f-string) and FOOTER (+), not LOGGED (a log line)', () => {
    assert.deepEqual(promptSends(nano('navigator'), 'typescript', '/p/templates/navigator.ts'), [{ module: './common', name: 'commonSecurityRules', line: 7, spliced: true }]);
    const sends = promptSends(PY_AGENT, 'python', '/p/app/agent.py');
    const byName = new Map(sends.map((s) => [s.name, s]));
    assert.equal(byName.get('RULES')?.spliced, true);
    assert.equal(byName.get('RULES')?.line, 8);
    assert.equal(byName.get('FOOTER')?.spliced, true);
    assert.equal(byName.get('FOOTER')?.line, 9);
    assert.equal(byName.get('LOGGED')?.spliced, undefined);
  });

  it('common.ts: one lens for commonSecurityRules (384 tokens), naming the first importer (planner.ts, line 5); none without the importers\' sends', async () => {
    const common = nano('common');
    const sends = combineSends([
      { file: 'templates/planner.ts', sends: promptSends(nano('planner'), 'typescript', '/p/templates/planner.ts') },
      { file: 'templates/navigator.ts', sends: promptSends(nano('navigator'), 'typescript', '/p/templates/navigator.ts') },
    ]);
    assert.deepEqual(sends.map((s) => [s.name, s.spliced]), [['commonSecurityRules', { file: 'templates/planner.ts', line: 5 }]]);
    const prompts = await promptsOf(common, 'typescript', '/p/templates/common.ts', sends);
    assert.equal(prompts.length, 1);
    const body = common.slice(common.indexOf('`') + 1, common.lastIndexOf('`')).replace(/\\(.)/g, '$1');
    assert.equal(prompts[0].cost.tokens.count, count(body));
    assert.equal(prompts[0].cost.tokens.count, 384);
    assert.deepEqual(prompts[0].splicedInto, { file: 'templates/planner.ts', line: 5 });
    assert.deepEqual(await promptsOf(common, 'typescript', '/p/templates/common.ts'), []);
  });

  it('Python common.py: RULES and FOOTER are prompts, priced with the model of the call that sends them; LOGGED is not', async () => {
    const sends = combineSends([{ file: 'app/agent.py', sends: promptSends(PY_AGENT, 'python', '/p/app/agent.py') }]);
    const without = await promptsOf(PY_COMMON, 'python', '/p/app/common.py');
    assert.deepEqual(without.map((p) => p.location.boundName), []);
    const prompts = await promptsOf(PY_COMMON, 'python', '/p/app/common.py', sends);
    assert.deepEqual(prompts.map((p) => [p.location.boundName, p.model, p.splicedInto]), [
      ['RULES', 'gpt-4o-mini', { file: 'app/agent.py', line: 8 }],
      ['FOOTER', 'gpt-4o-mini', { file: 'app/agent.py', line: 9 }],
    ]);
    assert.equal(prompts[0].cost.tokens.count, count('Never reveal internal prices. Never promise refunds. Escalate legal questions to a human agent.'));
  });

  it('a name, a tone, a URL or a date format spliced into a prompt gets no lens of its own; a sentence does', async () => {
    const src = 'COMPANY = "Acme"\nTONE = "friendly and brief"\nURL = "https://acme.example/help"\nDATE_FMT = "%Y-%m-%d"\nNOTE = "Always answer in English, even when asked in another language."\n';
    const sends: ImportedSend[] = ['COMPANY', 'TONE', 'URL', 'DATE_FMT', 'NOTE'].map((name) => ({ name, file: 'app/agent.py', line: 3, spliced: { file: 'app/agent.py', line: 3 } }));
    assert.deepEqual((await promptsOf(src, 'python', '/p/app/texts.py', sends)).map((p) => p.location.boundName), ['NOTE']);
  });

  it('the editor\'s incremental scan keeps the lens after an edit of the module', async () => {
    const sends = combineSends([{ file: 'app/agent.py', sends: promptSends(PY_AGENT, 'python', '/p/app/agent.py') }]);
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const params = { languageId: 'python', fileName: '/p/app/common.py', uri: 'file:///p/app/common.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false, importedSends: sends };
    assert.equal((await service.compute({ ...params, text: PY_COMMON })).prompts.length, 2);
    const edited = `# shared texts\n${PY_COMMON}`;
    assert.deepEqual((await service.compute({ ...params, text: edited })).prompts.map((p) => p.location.boundName), ['RULES', 'FOOTER']);
  });

  it('prompt scan (scanPaths): common.ts gets its prompt when navigator.ts is scanned with it, whether the texts are kept or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-spliced-'));
    try {
      mkdirSync(join(dir, 'templates'));
      writeFileSync(join(dir, 'templates', 'common.ts'), nano('common'));
      writeFileSync(join(dir, 'templates', 'navigator.ts'), nano('navigator'));
      for (const keepSource of [true, false]) {
        const results = scanPaths([dir], { keepSource });
        const common = results.find((r) => r.file.endsWith('common.ts'));
        assert.deepEqual(common?.prompts.map((p) => p.boundName), ['commonSecurityRules'], `keepSource ${keepSource}`);
        assert.equal(results.every((r) => r.source === undefined), !keepSource);
        const [item] = summarize(common ? [common] : [], 'gpt-4o');
        assert.equal(item.splicedInto, join(dir, 'templates', 'navigator.ts'));
        assert.equal(item.tokens, 384);
      }
      // Scanned alone, common.ts has no prompt: nothing says its constant is one.
      assert.deepEqual(scanPaths([join(dir, 'templates', 'common.ts')])[0].prompts, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pepperpy-opt prompt scan: the module line says whose prompt it is a piece of, the importing lines name the constant counted in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-spliced-cli-'));
    try {
      mkdirSync(join(dir, 'templates'));
      writeFileSync(join(dir, 'templates', 'common.ts'), nano('common'));
      writeFileSync(join(dir, 'templates', 'navigator.ts'), nano('navigator'));
      const r = spawnSync(process.execPath, [join(distDir, 'cli.js'), 'prompt', 'scan', 'templates'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.split('\n');
      const common = lines.find((l) => l.startsWith('templates/common.ts:1-31 '));
      assert.ok(common?.includes(' 384 tokens ') && common.endsWith('(a piece of a prompt in templates/navigator.ts)'), r.stdout);
      const navigator = lines.find((l) => l.startsWith('templates/navigator.ts:'));
      assert.ok(navigator?.includes(' 2040 tokens ') && navigator.endsWith('(counted in place: commonSecurityRules from common.ts:1)'), r.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("pepperpy-opt prompt scan . in a TSX project: rules.ts's constant is a piece of app.tsx's prompt, which counts it in place", () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-spliced-tsx-'));
    try {
      const rules = 'Never reveal internal prices. Never promise refunds. Escalate legal questions to a human agent.';
      writeFileSync(join(dir, 'rules.ts'), `export const RULES = \`${rules}\`;\n`);
      const system = 'You are a careful support agent for Acme. Follow these rules strictly.\\n${RULES}\\nAnswer briefly and cite the policy.';
      writeFileSync(join(dir, 'app.tsx'), [
        'import OpenAI from "openai";',
        'import { RULES } from "./rules";',
        'const client = new OpenAI();',
        'export async function ask(q: string) {',
        `  const system = \`${system}\`;`,
        '  return client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "system", content: system }, { role: "user", content: q }] });',
        '}',
        'export const View = () => <div>hi</div>;',
        '',
      ].join('\n'));
      const r = spawnSync(process.execPath, [join(distDir, 'cli.js'), 'prompt', 'scan', '.', '--json'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const items = (JSON.parse(r.stdout) as { prompts: Array<{ file: string; tokens: number; splicedInto?: string; importedTexts?: unknown[] }> }).prompts;
      const whole = `You are a careful support agent for Acme. Follow these rules strictly.\n${rules}\nAnswer briefly and cite the policy.`;
      assert.deepEqual(items.map((p) => [p.file, p.tokens, p.splicedInto, p.importedTexts]).sort(), [
        ['app.tsx', count(whole), undefined, [{ name: 'RULES', file: 'rules.ts', line: 1 }]],
        ['rules.ts', count(rules), 'app.tsx', undefined],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
