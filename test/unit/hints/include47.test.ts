// Session 47 (include47): a Jinja `{% include "x.j2" %}` is counted in place (issue 12, leftovers46's item 5).
// Oracle: jinja2 3.1.6's own render of each template (`python3 -c "import jinja2; …"`, the renders written out below),
// counted by js-tiktoken's o200k_base encoder (test/helpers/tiktokenOracle.ts).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { ImportedConstantReader } from '../../../src/shared/prompt/scanner/importedModules';
import { loaderFolders } from '../../../src/shared/prompt/scanner/jinjaIncludeReader';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { summarize } from '../../../src/shared/prompt/scanner/scanFiles';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const service = new PromptHintService(() => PriceCatalog.bundled());

/** The hints of a template file as the engine computes them (`editor/promptHints`: the reader, then the service). */
async function hintsOfFile(file: string, languageId = 'jinja') {
  const text = readFileSync(file, 'utf8');
  const importedConstants = new ImportedConstantReader().read(text, languageId, file);
  return service.compute({ text, languageId, fileName: file, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...(importedConstants.length > 0 ? { importedConstants } : {}) });
}

/** A folder of files (path → text) under a fresh temporary folder; its absolute path. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'include47-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('Jinja `{% include %}` is counted in place (include47)', () => {
  const made: string[] = [];
  const folder = (files: Record<string, string>): string => {
    const dir = tree(files);
    made.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('OpenHands system_prompt_interactive.j2 counts system_prompt.j2 and, inside it, security_risk_assessment.j2', async () => {
    // All-Hands-AI/OpenHands 156d0686 (MIT; test/fixtures/hints-real/SOURCES.md), the three files of
    // openhands/agenthub/codeact_agent/prompts/ under their own names.
    const file = path.join(root, 'test/fixtures/hints-real/openhands-prompts/system_prompt_interactive.j2');
    const { prompts } = await hintsOfFile(file);
    assert.equal(prompts.length, 1);
    const hint = prompts[0];
    // Before: 237 tokens + runtime values `include "system_prompt.j2"` (newuser45's lower bound).
    assert.deepEqual(hint.runtimeValues, []);
    // jinja2 3.1.6, `Environment(loader=FileSystemLoader(folder)).get_template('system_prompt_interactive.j2')`
    // (OpenHands' PromptManager's environment): `.render(cli_mode=False)` is 2,181 tokens, `.render(cli_mode=True)` 2,193.
    assert.equal(hint.cost.tokens.count, 2181);
    assert.equal(hint.tokensWithLongerBranches, 2193);
    assert.deepEqual(
      hint.importedTexts?.map((c) => [c.name, c.file, c.include]),
      [
        ['include "system_prompt.j2"', 'system_prompt.j2', true],
        ['include \'security_risk_assessment.j2\''.replace(/'/g, '"'), 'security_risk_assessment.j2', true],
      ],
    );
    // security_risk_assessment.j2 alone, its shorter branch: 135 tokens (leftovers46's oracle, the same render).
    assert.equal(hint.importedTexts?.[1].tokens, 135);
    assert.equal(hint.includesNotCounted, undefined);
  });

  it('the included template\'s own fields are runtime values of the includer, and its `{% if %}` a choice of it', async () => {
    const dir = folder({
      'app/prompts/agent.j2': 'You are a careful research agent.\n{% include "partials/tools.j2" %}\nAnswer in English.\n',
      'app/prompts/partials/tools.j2': 'You may call these tools: {{ tool_names }}.\n{% if web %}Search the web before answering.{% endif %}\n',
    });
    const { prompts } = await hintsOfFile(path.join(dir, 'app/prompts/agent.j2'));
    assert.equal(prompts.length, 1);
    assert.deepEqual(prompts[0].runtimeValues, ['tool_names']);
    // jinja2: FileSystemLoader('app/prompts').get_template('agent.j2').render(tool_names='', web=False) / (…, web=True).
    assert.equal(prompts[0].cost.tokens.count, count('You are a careful research agent.\nYou may call these tools: .\n\nAnswer in English.'));
    assert.equal(prompts[0].tokensWithLongerBranches, count('You are a careful research agent.\nYou may call these tools: .\nSearch the web before answering.\nAnswer in English.'));
  });

  it('a name is resolved from the folders above the template (a loader rooted there)', async () => {
    const dir = folder({
      'app/templates/agents/coder.j2': '{% include "shared/rules.j2" %}\nWrite the code.\n',
      'app/templates/shared/rules.j2': 'Never push to main.\n',
    });
    const { prompts } = await hintsOfFile(path.join(dir, 'app/templates/agents/coder.j2'));
    assert.deepEqual(prompts[0].runtimeValues, []);
    // jinja2: FileSystemLoader('app/templates').get_template('agents/coder.j2').render() == 'Never push to main.\nWrite the code.'
    assert.equal(prompts[0].cost.tokens.count, count('Never push to main.\nWrite the code.'));
    assert.equal(prompts[0].importedTexts?.[0].file, '../shared/rules.j2');
  });

  it('a Python `FileSystemLoader` beside the templates names the folder Jinja looks in first', async () => {
    const dir = folder({
      // The loader's root is `templates`: Jinja takes templates/rules.j2, not the rules.j2 next to the including template.
      'app/main.py': 'import os\nfrom jinja2 import Environment, FileSystemLoader\nenv = Environment(loader=FileSystemLoader([os.path.join(os.path.dirname(__file__), "templates")]))\nenv2 = Environment(loader=FileSystemLoader(os.path.join(os.path.dirname(__file__), "templates")))\n',
      'app/templates/agents/coder.j2': '{% include "rules.j2" %}\nWrite the code.\n',
      'app/templates/rules.j2': 'Never push to main.\n',
      'app/templates/agents/rules.j2': 'An old copy of the rules, which Jinja never reads from here.\n',
      // A second root no template folder is under: `Path(__file__).parent / "common"`.
      'app/more.py': 'from pathlib import Path\nimport jinja2\nloader = jinja2.FileSystemLoader(Path(__file__).parent / "common")\n',
      'app/templates/reviewer.j2': 'Review the diff.\n{% include "footer.j2" %}\n',
      'app/common/footer.j2': 'Reply in Markdown.\n',
    });
    const coder = (await hintsOfFile(path.join(dir, 'app/templates/agents/coder.j2'))).prompts[0];
    assert.equal(coder.cost.tokens.count, count('Never push to main.\nWrite the code.'));
    const reviewer = (await hintsOfFile(path.join(dir, 'app/templates/reviewer.j2'))).prompts[0];
    // jinja2: FileSystemLoader(['app/templates', 'app/common']).get_template('reviewer.j2').render() == 'Review the diff.\nReply in Markdown.'
    assert.deepEqual(reviewer.runtimeValues, []);
    assert.equal(reviewer.cost.tokens.count, count('Review the diff.\nReply in Markdown.'));
    assert.deepEqual(loaderFolders('env = Environment(loader=FileSystemLoader(template_dir))\n', dir), []);
  });

  it('a missing template stays a runtime value, and the hint says it was not found', async () => {
    const dir = folder({ 'p/system.j2': 'You are a helpful agent.\n{% include "missing_rules.j2" %}\n' });
    const { prompts } = await hintsOfFile(path.join(dir, 'p/system.j2'));
    assert.deepEqual(prompts[0].runtimeValues, ['include "missing_rules.j2"']);
    assert.deepEqual(prompts[0].includesNotCounted, [{ name: 'missing_rules.j2', why: 'missing' }]);
    assert.equal(prompts[0].cost.tokens.count, count('You are a helpful agent.\n'));
  });

  it('cycles are refused: a template that includes itself, two that include each other; `..` names are not read', async () => {
    const dir = folder({
      'p/self.j2': 'Start.\n{% include "self.j2" %}\n',
      'p/a.j2': 'Alpha.\n{% include "b.j2" %}\n',
      'p/b.j2': 'Beta.\n{% include "a.j2" %}\n',
      'p/up.j2': 'Up.\n{% include "../secret.j2" %}\n',
      'secret.j2': 'Not a template of the loader.\n',
    });
    const self = (await hintsOfFile(path.join(dir, 'p/self.j2'))).prompts[0];
    assert.deepEqual(self.runtimeValues, ['include "self.j2"']);
    assert.deepEqual(self.includesNotCounted, [{ name: 'self.j2', why: 'cycle' }]);
    const a = (await hintsOfFile(path.join(dir, 'p/a.j2'))).prompts[0];
    // a.j2 → b.j2 → a.j2: b's text is counted once, and the include of a.j2 inside it is refused.
    assert.deepEqual(a.runtimeValues, ['include "a.j2"']);
    assert.deepEqual(a.includesNotCounted, [{ name: 'a.j2', why: 'cycle' }]);
    assert.equal(a.cost.tokens.count, count('Alpha.\nBeta.\n'));
    const up = (await hintsOfFile(path.join(dir, 'p/up.j2'))).prompts[0];
    assert.deepEqual(up.runtimeValues, ['include "../secret.j2"']);
    assert.deepEqual(up.includesNotCounted, [{ name: '../secret.j2', why: 'missing' }]);
  });

  it('`prompt scan` counts it in place too, and names the included templates', () => {
    const file = path.join(root, 'test/fixtures/hints-real/openhands-prompts/system_prompt_interactive.j2');
    const source = readFileSync(file, 'utf8');
    const prompts = findPrompts(source, 'jinja', { fileName: file });
    const [item] = summarize([{ file: 'system_prompt_interactive.j2', path: file, languageId: 'jinja', prompts, elapsedMs: 0, source }], 'gpt-4o');
    assert.equal(item.tokens, 2181);
    assert.equal(item.tokensWithLongerBranches, 2193);
    assert.equal(item.runtimeValues, undefined);
    assert.deepEqual(item.importedTexts?.map((c) => c.file), ['system_prompt.j2', 'security_risk_assessment.j2']);
  });
});

describe('Jinja `{% include %}` in a YAML prompt (include47)', () => {
  it('a prompt in a YAML config that includes a template next to it counts the template', async () => {
    const dir = tree({
      'agent/config.yaml': 'system_prompt: |\n  You are a support agent for the store.\n  {% include "rules.j2" %}\n  Sign as {{ agent_name }}.\n',
      'agent/rules.j2': 'Never promise refunds.\n',
    });
    try {
      const { prompts } = await hintsOfFile(path.join(dir, 'agent/config.yaml'), 'yaml');
      const hint = prompts.find((p) => p.location.text.startsWith('You are a support agent'));
      assert.ok(hint, prompts.map((p) => p.location.text).join(' | '));
      assert.deepEqual(hint.runtimeValues, ['agent_name']);
      // jinja2: Environment(loader=FileSystemLoader('agent')).from_string(yaml.safe_load(…)['system_prompt']).render(agent_name='')
      // == 'You are a support agent for the store.\nNever promise refunds.\nSign as .' (jinja2 drops the last newline of the
      // block and of the included template).
      assert.equal(hint.cost.tokens.count, count('You are a support agent for the store.\nNever promise refunds.\nSign as .'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
