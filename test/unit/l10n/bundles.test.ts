// The runtime strings of the extension (vscode.l10n.t) in Brazilian Portuguese: the
// pt-BR bundle has exactly the keys that `npx @vscode/l10n-dev export` wrote from the
// code, keeps every placeholder, and loaded through @vscode/l10n (the same lookup and {0}
// substitution vscode.l10n does) gives the Portuguese of the strings users see most.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { repoRoot } from '../../helpers/paths';
import { translationProblems } from './invariants';
import { SCRIPT_NAMES } from '../../../src/shared/prompt/scripts';

const bundle = (name: string): Record<string, string> => JSON.parse(readFileSync(join(repoRoot, 'l10n', name), 'utf8')) as Record<string, string>;

/** Strings that read the same in Portuguese ("tokens" and "benchmarks" are the words Brazilian developers use). */
const SAME = new Set([
  '{0} tokens', '{0} token', '{0} ({1} tokens)', 'tokens', 'Tokens', 'PepperPy: Benchmarks', 'Benchmark', 'Benchmarks', 'Monitor', 'Total', 'Status', 'Dataset (JSONL)',
  // ONNX terms read the same in Portuguese.
  'Opset', 'Bits',
  // Model names only.
  'local, openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest',
]);

describe('l10n: the extension bundle in pt-BR', () => {
  const en = bundle('bundle.l10n.json');
  const pt = bundle('bundle.l10n.pt-br.json');

  afterEach(() => l10n.config({ contents: {} }));

  it('the English bundle maps each message to itself, and the pt-BR one translates every message, keeping placeholders', () => {
    for (const [k, v] of Object.entries(en)) assert.equal(v, k);
    assert.equal(Object.keys(en).length, 902);
    assert.deepEqual(translationProblems(en, pt, SAME), []);
  });

  // break30b: the "nothing to change" message of a Chinese prompt named the script in English inside the Portuguese
  // sentence ("este prompt está principalmente em Chinese characters (Han)"). Oracle: the Portuguese names of the scripts.
  it('names the script of a non-Latin prompt in Portuguese', () => {
    for (const name of SCRIPT_NAMES) assert.ok(pt[name] !== undefined && pt[name] !== name, name);
    l10n.config({ contents: pt });
    const message = 'PepperPy: nothing to change: the rewrite rules are written for {0}, and this prompt is mostly in {1}. It is left as it is.';
    assert.equal(l10n.t(message, 'en, pt, es', l10n.t('Chinese characters (Han)')), 'PepperPy: nada a mudar: as regras de reescrita são escritas para en, pt, es, e este prompt está principalmente em caracteres chineses (Han). Ele fica como está.');
  });

  it('gives the Portuguese of the status bar, the lens and a command message through @vscode/l10n', () => {
    l10n.config({ contents: pt });
    assert.equal(l10n.t('{0} tokens + runtime values', '≥1,234'), '≥1,234 tokens + valores em tempo de execução');
    assert.equal(l10n.t('{0} per call', '$0.0031'), '$0.0031 por chamada');
    assert.equal(l10n.t('{0} pieces', 3), '3 partes');
    assert.equal(l10n.t('PepperPy: engine restarted (pid {0}).', 4242), 'PepperPy: engine reiniciado (pid 4242).');
    assert.equal(l10n.t('Context window: {0} of {1} tokens ({2}).', '0.4%', '128,000', 'LiteLLM'), 'Janela de contexto: 0.4% de 128,000 tokens (LiteLLM).');
    // A message missing from the bundle falls back to the English, with its arguments.
    assert.equal(l10n.t('Not in any bundle: {0}', 'x'), 'Not in any bundle: x');
  });

  it('with no bundle (English) the messages are the English text', () => {
    l10n.config({ contents: {} });
    assert.equal(l10n.t('{0} tokens + runtime values', '≥1,234'), '≥1,234 tokens + runtime values');
  });
});
