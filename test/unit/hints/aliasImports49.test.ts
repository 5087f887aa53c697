// newuser49 (session 49): bolt.new's system prompt (app/lib/.server/llm/prompts.ts, stackblitz/bolt.new
// eda10b121221b30825a4c16eec5da1fd3eb1eb99, MIT) splices `${MODIFICATIONS_TAG_NAME}` three times, a literal of
// app/utils/constants.ts that it imports through the project's path alias: `from '~/utils/constants'` (tsconfig.json maps
// `~/*` to `./app/*`). Only `./` and `../` imports were read, so the lens left it out as a runtime value. The files are the
// real ones (test/fixtures/model-attribution/bolt_prompts and test/fixtures/real-extra/bolt_utils_constants.ts.txt); the
// oracle is js-tiktoken on the template literal's text put together by hand.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportedConstantReader } from '../../../src/shared/prompt/scanner/importedModules';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { repoRoot } from '../../helpers/paths';
import { count } from '../../helpers/tiktokenOracle';

const fixtures = join(repoRoot, 'test', 'fixtures');
const PROMPTS = readFileSync(join(fixtures, 'model-attribution', 'bolt_prompts', 'app', 'lib', '.server', 'llm', 'prompts.ts.txt'), 'utf8');
const CONSTANTS = readFileSync(join(fixtures, 'real-extra', 'bolt_utils_constants.ts.txt'), 'utf8');

describe('newuser49: a constant imported through a path alias (`~/utils/constants`) is counted in place', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-alias-'));
    mkdirSync(join(dir, 'app', 'lib', '.server', 'llm'), { recursive: true });
    mkdirSync(join(dir, 'app', 'utils'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const systemPrompt = async (file: string) => {
    const text = readFileSync(file, 'utf8');
    const importedConstants = new ImportedConstantReader().read(text, 'typescript', file);
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const prompts = (await service.compute({ text, languageId: 'typescript', fileName: file, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...(importedConstants.length > 0 ? { importedConstants } : {}) })).prompts;
    const prompt = prompts.find((p) => p.location.text.includes('You are Bolt'));
    assert.ok(prompt, 'the system prompt is found');
    return prompt;
  };
  /** getSystemPrompt's template literal as sent, with MODIFICATIONS_TAG_NAME as `tag` and the runtime values left out. */
  const sent = (tag: string): string => {
    const start = PROMPTS.indexOf('=> `') + 4;
    const body = PROMPTS.slice(start, PROMPTS.indexOf('`;\n\nexport const CONTINUE_PROMPT'));
    return body
      .replace("${allowedHTMLElements.map((tagName) => `<${tagName}>`).join(', ')}", '')
      .split('${MODIFICATIONS_TAG_NAME}')
      .join(tag)
      .replace('${cwd}', '')
      .replace(/\\`/g, '`');
  };

  it('app/lib/.server/llm/prompts.ts counts "bolt_file_modifications" three times; cwd and the element list stay runtime values', async () => {
    writeFileSync(join(dir, 'app', 'utils', 'constants.ts'), CONSTANTS);
    const file = join(dir, 'app', 'lib', '.server', 'llm', 'prompts.ts');
    writeFileSync(file, PROMPTS);
    const prompt = await systemPrompt(file);
    const whole = sent('bolt_file_modifications');
    assert.equal(whole.split('bolt_file_modifications').length - 1, 3);
    assert.equal(prompt.cost.tokens.count, count(whole));
    assert.deepEqual(prompt.importedTexts, [{ name: 'MODIFICATIONS_TAG_NAME', file: '../../../utils/constants.ts', line: 2, tokens: count('bolt_file_modifications'), text: 'bolt_file_modifications' }]);
    assert.ok(!prompt.runtimeValues.includes('MODIFICATIONS_TAG_NAME'));
    assert.ok(prompt.runtimeValues.includes('cwd'));
  });

  it('without app/utils/constants.ts on disk it is a runtime value, as before', async () => {
    const file = join(dir, 'app', 'lib', '.server', 'llm', 'prompts.ts');
    writeFileSync(file, PROMPTS);
    const prompt = await systemPrompt(file);
    assert.ok(prompt.runtimeValues.includes('MODIFICATIONS_TAG_NAME'));
    assert.equal(prompt.cost.tokens.count, count(sent('')));
    assert.equal(prompt.importedTexts, undefined);
  });
});
