// newuser45 ran the extension on All-Hands-AI/OpenHands (MIT outside enterprise/, commit 156d0686c46aafb0fa9d291da6421fb6f64dddc0):
// its openhands/ backend, frontend/src and skills/ (test/fixtures/hints-real/SOURCES.md).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findPrompts, isPromptFile, scanLanguageOf } from '../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('OpenHands (newuser45)', () => {
  it('a Jinja template of a Dockerfile is no prompt file', () => {
    // openhands/runtime/utils/runtime_templates/Dockerfile.j2 renders the sandbox image (`FROM {{ base_image }}`, apt-get,
    // micromamba…). Before: one 4,369-token "template prompt" with a lens, Compress and Optimize.
    const src = fixture('openhands_Dockerfile.j2');
    const fileName = 'openhands/runtime/utils/runtime_templates/Dockerfile.j2';
    assert.equal(isPromptFile(fileName), false);
    assert.equal(scanLanguageOf('jinja', fileName), undefined);
    assert.deepEqual(findPrompts(src, 'jinja', { fileName }).map((p) => p.text.slice(0, 20)), []);
  });

  it('Jinja templates of configuration files are no prompts; prompt templates still are', () => {
    const notPrompts = ['deploy/nginx.conf.j2', 'roles/app/templates/config.yaml.j2', 'setup.sh.j2', 'templates/index.html.j2', 'Makefile.jinja', 'docker/Dockerfile.dev.j2'];
    assert.deepEqual(notPrompts.filter((f) => isPromptFile(f) || scanLanguageOf(undefined, f) !== undefined), []);
    const prompts = ['prompts/system_prompt.j2', 'agent/user_prompt.jinja2', 'templates/summary.md.j2', 'prompts/resolve/basic.jinja', 'prompts/dockerfile_review.j2'];
    assert.deepEqual(prompts.filter((f) => !isPromptFile(f) || scanLanguageOf(undefined, f) !== 'promptFile'), []);
  });

  it('an i18n catalog of UI strings is no prompt catalog, whatever its keys say', () => {
    // frontend/src/i18n/translation.json: `"LANDING$CHANGE_PROMPT": {"en": "What would you like to change in {{repo}}?",
    // "ja": …}`, `"SETTINGS$SEARCH_API_KEY_INSTRUCTIONS": {"en": "Get your API key from Tavily", …}`: 35 system, user and
    // template prompts in the whole file (955 entries), found for PROMPT and INSTRUCTIONS in the keys.
    const src = fixture('openhands_translation_excerpt.json');
    const found = findPrompts(src, 'json', { fileName: 'frontend/src/i18n/translation.json' });
    assert.deepEqual(found.map((p) => `${p.boundName}: ${p.text}`), []);
  });

  it('prompts given in several languages are still prompts', () => {
    const catalog = {
      system_prompt: { en: 'You are a helpful assistant. Answer in one short paragraph.', zh: '你是一个有用的助手。请用一小段话回答。', es: 'Eres un asistente útil. Responde en un párrafo corto.' },
      summary_prompt: { en: 'Summarize the conversation below in three bullet points.', zh: '请用三个要点总结下面的对话。', es: 'Resume la conversación de abajo en tres viñetas.' },
    };
    const found = findPrompts(JSON.stringify(catalog, null, 2), 'json', { fileName: 'prompts.json' });
    // (As before this change: the Chinese and Spanish summary prompts are not found; that is a scanner miss of its own.)
    assert.deepEqual(found.map((p) => p.boundName), ['system_prompt.en', 'system_prompt.zh', 'system_prompt.es', 'summary_prompt.en']);
  });

  it("a dependency injector's Field descriptions are no tool prompts", () => {
    // openhands/app_server: `class ProcessSandboxServiceInjector(SandboxServiceInjector)` with `base_port: int = Field(default=8000,
    // description='Base port number for agent servers')`, and `class HttpxClientInjector(BaseModel, Injector[httpx.AsyncClient])`
    // with `timeout: int = Field(default=15, description='Default timeout on all http requests')`: 16 "tool" prompts in 7 files.
    for (const name of ['openhands_process_sandbox_service.py', 'openhands_httpx_client_injector.py']) {
      const found = findPrompts(fixture(name), 'python', { fileName: name });
      assert.deepEqual(found.map((p) => `${name}: ${p.text}`), []);
    }
  });

  it('a directory tree drawn in a Markdown fence is no system prompt', () => {
    // skills/README.md, under "### 2. Repository Instructions (Private)": a fence holding `your-repository/ └── .openhands/
    // ├── skills/ …` was a 115-token system prompt (the heading says "Instructions").
    const found = findPrompts(fixture('openhands_skills_readme.md'), 'markdown', { fileName: 'skills/README.md' });
    assert.deepEqual(found.filter((p) => /└──|├──/.test(p.text)).map((p) => p.text.slice(0, 40)), []);
  });

  it('a fenced prompt under an Instructions heading is still found', () => {
    const md = ['## System instructions', '', '```', 'You are a release assistant. Summarize the changes below:', '- each change in one line', '- group them by area', '```', ''].join('\n');
    assert.equal(findPrompts(md, 'markdown', { fileName: 'README.md' }).length, 1);
  });

  it("a module constant formatted as a message's content is a prompt", () => {
    // openhands/runtime/utils/edit.py: `USER_MSG = """Code changes will be provided in the form of a draft…"""` sent as
    // `{'role': 'user', 'content': USER_MSG.format(old_contents=…, draft_changes=…)}` to `llm.completion(messages=…)`, and
    // CORRECT_USER_MSG the same way beside CORRECT_SYS_MSG. Before: only CORRECT_SYS_MSG (`'content': CORRECT_SYS_MSG`) was found.
    const found = findPrompts(fixture('openhands_edit.py'), 'python', { fileName: 'openhands/runtime/utils/edit.py' });
    assert.deepEqual(found.map((p) => `${p.boundName} ${p.kind}`), ['USER_MSG user', 'CORRECT_SYS_MSG system', 'CORRECT_USER_MSG user']);
  });

  it('a formatted name in a message of no role, or a format call on another object, says no role', () => {
    const src = ['TITLE_FMT = "Report for {name}, generated on {day}"', 'def f(name, day):', "    return {'content': TITLE_FMT.format(name=name, day=day), 'kind': 'header'}", ''].join('\n');
    assert.deepEqual(findPrompts(src, 'python', { fileName: 'report.py' }).map((p) => p.boundName), []);
  });
});
