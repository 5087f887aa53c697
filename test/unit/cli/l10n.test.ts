// The CLI in Brazilian Portuguese (issue 14, item 6): LC_ALL, LC_MESSAGES and LANG pick the
// language as POSIX tools do; with LANG=pt_BR.UTF-8 the top-level help and the common
// usage errors are in Portuguese, exactly, and `--json` keeps its keys and error codes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliLanguage } from '../../../src/engine/cli/l10n';
import { distDir, repoRoot } from '../../helpers/paths';
import { translationProblems } from '../l10n/invariants';

const cli = path.join(distDir, 'cli.js');

function run(args: string[], locale: Record<string, string>) {
  const env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: '', ...locale };
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pepperpy-opt CLI: language from LANG', () => {
  it('reads LC_ALL, then LC_MESSAGES, then LANG, and knows pt-BR in its spellings', () => {
    for (const value of ['pt_BR.UTF-8', 'pt_BR', 'pt-BR', 'pt_BR.utf8', 'pt_BR@latin', 'PT_br']) assert.equal(cliLanguage({ LANG: value }), 'pt-br', value);
    for (const value of ['', 'C', 'POSIX', 'C.UTF-8', 'en_US.UTF-8', 'pt_PT.UTF-8', 'pt']) assert.equal(cliLanguage({ LANG: value }), undefined, value);
    assert.equal(cliLanguage({ LC_ALL: 'C', LANG: 'pt_BR.UTF-8' }), undefined, 'LC_ALL wins');
    assert.equal(cliLanguage({ LC_MESSAGES: 'en_US.UTF-8', LANG: 'pt_BR.UTF-8' }), undefined, 'LC_MESSAGES wins over LANG');
    assert.equal(cliLanguage({ LC_ALL: '', LC_MESSAGES: 'pt_BR.UTF-8', LANG: 'en_US.UTF-8' }), 'pt-br', 'an empty LC_ALL is unset');
  });

  // The CLI writes UTF-8 only: Portuguese under a Latin-1 terminal would print "nÃ£o" for "não".
  it('keeps English when the locale names a codeset other than UTF-8 (pt_BR.ISO-8859-1)', () => {
    for (const value of ['pt_BR.ISO-8859-1', 'pt_BR.iso88591', 'pt_BR.ISO8859-15', 'pt_BR.CP1252']) assert.equal(cliLanguage({ LANG: value }), undefined, value);
    for (const value of ['pt_BR.UTF8', 'pt_BR.utf-8@x']) assert.equal(cliLanguage({ LANG: value }), 'pt-br', value);
    const r = run(['prompt', 'optimize', 'no-such-file.txt'], { LANG: 'pt_BR.ISO-8859-1' });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split('\n')[0], 'pepperpy-opt: No such file: no-such-file.txt.');
  });

  it('prints the top-level help in Portuguese with LANG=pt_BR.UTF-8', () => {
    const r = run(['--help'], { LANG: 'pt_BR.UTF-8' });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'Uso: pepperpy-opt <area> <verb> [options]');
    assert.equal(lines[2], 'Deixe aplicações de LLM mais baratas, rápidas e melhores: o engine do PepperPy Optimization, sem interface gráfica.');
    assert.equal(lines[4], 'Áreas:');
    assert.equal(lines[5], '  prompt     Conta tokens, analisa e otimiza o texto de prompts.');
    assert.match(r.stdout, /^Execute `pepperpy-opt <area> --help` para ver os verbos de uma área\. Códigos de saída: 0 sucesso, 1 falha, 2 uso incorreto, 3 /m);
    // The same help in English without a Portuguese locale.
    assert.equal(run(['--help'], { LANG: 'en_US.UTF-8' }).stdout.split('\n')[0], 'Usage: pepperpy-opt <area> <verb> [options]');
  });

  it('gives the common errors in Portuguese, and --json keeps its keys and codes', () => {
    const area = run(['nope', '--json'], { LANG: 'pt_BR.UTF-8' });
    assert.equal(area.code, 2);
    assert.deepEqual(JSON.parse(area.stdout), { error: { code: 'usage', message: 'Área desconhecida "nope". Áreas: prompt, cost, model, pipeline, benchmark, engine.', hint: 'Execute pepperpy-opt --help.' } });
    const english = run(['nope', '--json'], { LANG: 'C' });
    const keys = (stdout: string) => Object.keys((JSON.parse(stdout) as { error: object }).error);
    assert.deepEqual(keys(english.stdout), keys(area.stdout));
    assert.equal(run(['prompt', 'nope'], { LC_ALL: 'pt_BR.UTF-8' }).stderr, 'pepperpy-opt: Verbo desconhecido "nope" para prompt. Verbos: analyze, count, compress, distill, optimize, scan.\nExecute pepperpy-opt prompt --help.\n');
    const missing = run(['prompt', 'count', path.join(repoRoot, 'no-such-file.txt'), '--json'], { LANG: 'pt_BR' });
    assert.equal(missing.code, 1);
    assert.deepEqual(JSON.parse(missing.stdout), { error: { code: 'notFound', message: `Arquivo não encontrado: ${path.join(repoRoot, 'no-such-file.txt')}.`, hint: 'Confira o caminho, ou use - para ler a entrada padrão.' } });
    const noInput = run(['prompt', 'count', '--json'], { LANG: 'pt_BR.UTF-8' });
    assert.equal(noInput.code, 2);
    assert.deepEqual(JSON.parse(noInput.stdout), { error: { code: 'usage', message: 'Falta a entrada: informe o caminho de um arquivo, ou - para ler a entrada padrão.', hint: 'Execute pepperpy-opt prompt count --help.' } });
    // --llm vscode names the editor's models, which only exist inside VS Code.
    const prompt = path.join(repoRoot, 'samples', 'prompts', 'seed-example-pt.txt');
    const editor = run(['prompt', 'optimize', prompt, '--llm', 'vscode', '--json'], { LANG: 'pt_BR.UTF-8' });
    assert.equal(editor.code, 2);
    assert.equal((JSON.parse(editor.stdout) as { error: { message: string } }).error.message, 'modelos vscode: só estão disponíveis dentro do VS Code; use ollama:… ou uma chave de API.');
    assert.equal((JSON.parse(run(['prompt', 'optimize', prompt, '--llm', 'vscode', '--json'], { LANG: 'C' }).stdout) as { error: { message: string } }).error.message, 'vscode: models are only available inside VS Code; use ollama:… or an API key.');
  });

  it('the CLI bundle translates every message it has, keeping placeholders', () => {
    const read = (name: string) => JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'cli', name), 'utf8')) as Record<string, string>;
    const en = read('bundle.l10n.json');
    assert.equal(Object.keys(en).length, 30);
    assert.deepEqual(translationProblems(en, read('bundle.l10n.pt-br.json'), new Set()), []);
  });
});
