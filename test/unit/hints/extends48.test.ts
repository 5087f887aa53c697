// Session 48: Jinja `{% extends %}` is counted as Jinja renders it (include47 left it a runtime value), `{% include %}` is
// read in any prompt file (not only .j2/.jinja: gpt-pilot's core/prompts/*.prompt), an included template's comments send
// nothing, and `{% if %}…{% elif %}…{% endif %}` without `{% else %}` may send nothing (the lower bound).
// Oracle: jinja2 3.1.6's renders of holoviz/lumen's templates (BSD-3-Clause, test/fixtures/hints-real/lumen-prompts,
// render.py writes them into rendered/), compared character for character; counts by js-tiktoken o200k_base.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { composePrompt } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { ImportedConstantReader } from '../../../src/shared/prompt/scanner/importedModules';
import { importedTextMap } from '../../../src/shared/prompt/scanner/jinjaIncludes';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const lumen = path.join(root, 'test/fixtures/hints-real/lumen-prompts');
const service = new PromptHintService(() => PriceCatalog.bundled());

/** The composed text of a template file's one prompt, with the templates the engine reads for it (as the editor gets them). */
function composedOf(file: string, languageId = 'jinja'): { counted: string; runtimeValues: string[] } {
  const text = readFileSync(file, 'utf8');
  const constants = new ImportedConstantReader().read(text, languageId, file);
  const prompts = findPrompts(text, languageId, { fileName: file });
  assert.equal(prompts.length, 1, file);
  return composePrompt(prompts[0], text, importedTextMap(constants));
}

async function hintOf(file: string, languageId = 'jinja') {
  const text = readFileSync(file, 'utf8');
  const importedConstants = new ImportedConstantReader().read(text, languageId, file);
  const { prompts } = await service.compute({ text, languageId, fileName: file, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...(importedConstants.length > 0 ? { importedConstants } : {}) });
  assert.equal(prompts.length, 1, file);
  return prompts[0];
}

const rendered = (name: string): string => readFileSync(path.join(lumen, 'rendered', `${name.replace('/', '__')}.txt`), 'utf8');

describe('Jinja `{% extends %}` is counted as jinja2 renders it (holoviz/lumen)', () => {
  for (const [name, what] of [
    ['Agent/main', 'extends Actor/main.jinja2, its tools block calls {{ super() }}'],
    ['ValidationAgent/main', 'three deep (Agent, Actor), blocks with whitespace control on both sides'],
    ['SQLAgent/revise_output', "three templates deep, {{ super() }} is BaseLumenAgent's instructions, not Actor's empty block"],
    ['Planner/main', 'extends Actor; an {% if %}…{% elif %}…{% elif %} with no {% else %} sends nothing when none holds'],
    ['VegaLiteAgent/revise_output', 'extends BaseLumenAgent/revise_output and includes doc_pages.jinja2, whose {# comment #} sends nothing'],
  ] as const) {
    it(`${name}: ${what}`, async () => {
      const file = path.join(lumen, `${name}.jinja2`);
      const expected = rendered(name);
      // Before: "no text of its own" or the template's own blocks alone, the `extends` tag a runtime value.
      assert.equal(composedOf(file).counted, expected);
      const hint = await hintOf(file);
      assert.equal(hint.cost.tokens.count, count(expected));
      assert.ok(!hint.runtimeValues.some((v) => v.startsWith('extends')), hint.runtimeValues.join(', '));
      const parent = /\{% extends '([^']+)' %\}/.exec(readFileSync(file, 'utf8'))?.[1];
      assert.ok(hint.importedTexts?.some((c) => c.name === `include "${parent}"` && c.include), JSON.stringify(hint.importedTexts?.map((c) => c.name)));
    });
  }

  it('ValidationAgent/main names both templates it extends, the one above with what it sends alone (the editor watches both files)', async () => {
    const hint = await hintOf(path.join(lumen, 'ValidationAgent/main.jinja2'));
    assert.deepEqual(
      hint.importedTexts?.map((c) => [c.name, c.file, c.tokens]),
      [
        ['include "Agent/main.jinja2"', '../Agent/main.jinja2', count(rendered('ValidationAgent/main'))],
        ['include "Actor/main.jinja2"', '../Actor/main.jinja2', count(rendered('Actor/main'))],
      ],
    );
  });

  it('a template that extends one no folder holds keeps the tag as a named runtime value, and says why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'extends48-'));
    try {
      const file = path.join(dir, 'child.j2');
      writeFileSync(file, "{% extends 'nowhere/base.j2' %}\n{% block body %}Answer in French.{% endblock %}\n");
      const hint = await hintOf(file);
      assert.deepEqual(hint.runtimeValues, ['extends \'nowhere/base.j2\'']);
      assert.deepEqual(hint.includesNotCounted, [{ name: 'nowhere/base.j2', why: 'missing' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a .prompt file (gpt-pilot\'s convention) counts the templates its {% include %} tags name, from the folder above', async () => {
    // Before: `include "partials/rules.prompt"` was a runtime value: only .j2/.jinja/.jinja2 and YAML files were read for includes.
    const dir = mkdtempSync(path.join(tmpdir(), 'extends48-'));
    try {
      mkdirSync(path.join(dir, 'developer'));
      mkdirSync(path.join(dir, 'partials'));
      writeFileSync(path.join(dir, 'partials', 'rules.prompt'), 'Never delete files outside the project.\n');
      const file = path.join(dir, 'developer', 'parse_task.prompt');
      writeFileSync(file, 'Convert the plan into a list of steps.\n{% include "partials/rules.prompt" %}\nAnswer in JSON.\n');
      const hint = await hintOf(file, 'plaintext');
      // jinja2: Environment(loader=FileSystemLoader(dir)).get_template('developer/parse_task.prompt').render()
      assert.equal(hint.cost.tokens.count, count('Convert the plan into a list of steps.\nNever delete files outside the project.\nAnswer in JSON.'));
      assert.deepEqual(hint.runtimeValues, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
