// The Model Optimization panel's words made by the shared helpers in
// src/protocol/modelPanel.ts (the webview configures @vscode/l10n with the extension's
// bundle before it draws): with the pt-BR bundle the headline, warnings, search verdicts
// and refusal hint are Portuguese, exactly; with no bundle they are the English that
// test/unit/model/panelData.test.ts pins. Units, format names and figures do not change.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { automaticRefusalHint, defaultRequest, ModelRunRequestSchema, resultHeadline, resultWarnings, searchView, sizeChange, taskFidelityLine, type ModelRunFigures } from '../../../src/protocol/modelPanel';
import { repoRoot } from '../../helpers/paths';

const pt = JSON.parse(readFileSync(join(repoRoot, 'l10n', 'bundle.l10n.pt-br.json'), 'utf8')) as Record<string, string>;

// A result larger and slower than its source, with a task measure out of tolerance.
const figures: ModelRunFigures = {
  originalSize: 1000,
  newSize: 1065,
  sizeReductionPercent: -6.5,
  measuredSpeedup: 0.5,
  referenceMs: 1,
  optimizedMs: 2,
  cosineSimilarity: 0.99,
  fidelityInputs: 'generated',
  executionProvider: 'cpu',
  detail: '',
  notes: [],
  task: { metric: 'top1Agreement', value: 0.75, withinTolerance: false, description: '' },
  fidelitySamples: 8,
};
const search = { originalSize: 1000, sparsitySearch: [{ sparsity: 0.3, metric: 'top1Agreement', value: 1, withinTolerance: true, sizeBytes: 700 }, { sparsity: 0.5, metric: 'top1Agreement', value: 0.5, withinTolerance: false, sizeBytes: 500 }] } as unknown as Pick<ModelRunFigures, 'sparsitySearch' | 'rankSearch' | 'originalSize'>;

describe('l10n: Model Optimization panel helpers in pt-BR', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('the headline, warnings and task line of a larger, slower, unfaithful run', () => {
    l10n.config({ contents: pt });
    assert.deepEqual(
      resultHeadline(figures, 'CPUExecutionProvider').map((p) => p.text),
      ['Tamanho +6.5 % maior', 'aceleração 0.50×', 'concordância top-1 75 %', 'executado no CPUExecutionProvider'],
    );
    assert.deepEqual(resultWarnings(figures), [
      'Maior que o original: +6.5 % maior (1000 B → 1.0 KB).',
      'Mais lento que o original: 0.50× (mediana 1.000 ms → 2.000 ms).',
      'Fidelidade fora da tolerância: concordância top-1 75 %.',
    ]);
    assert.equal(taskFidelityLine(figures), 'concordância top-1 75 % em 8 amostras — fora da tolerância');
    assert.equal(resultHeadline({ ...figures, newSize: 250 }, 'x')[0]?.text, 'Tamanho reduzido em 75.0 %');
    assert.equal(sizeChange(1000, 1000).text, 'mesmo tamanho');
  });

  it('the automatic sparsity search and its refusal hint', () => {
    l10n.config({ contents: pt });
    const view = searchView(search);
    assert.equal(view?.title, 'Esparsidade automática');
    assert.equal(view?.summary, 'Mantido 30 %: a maior esparsidade cuja fidelidade na tarefa ficou dentro da tolerância (2 valores testados).');
    assert.deepEqual(view?.rows.map((r) => r.verdict), ['mantido: a maior esparsidade dentro da tolerância', 'fora da tolerância']);
    assert.equal(
      automaticRefusalHint(defaultRequest('prune', 'm.onnx'), 'unsupported: no sparsity kept the task within tolerance'),
      'Para podar mesmo assim, desmarque "Automática" ao lado de Esparsidade e informe uma esparsidade: o modelo é então gravado e sua fidelidade informada, dentro da tolerância ou não.',
    );
  });

  it('the form validation messages, raised after the bundle is configured', () => {
    const message = (input: Record<string, unknown>) => ModelRunRequestSchema.safeParse(input).error?.issues[0]?.message;
    const badBlock = { ...defaultRequest('quantize', 'm.onnx'), blockSize: 48 };
    const badError = { ...defaultRequest('compress', 'm.onnx'), targetSizeRatio: 0.5, targetError: 2 };
    l10n.config({ contents: pt });
    assert.equal(message(badBlock), 'O tamanho do bloco precisa ser uma potência de dois (16, 32, 64, 128 ou 256)');
    assert.equal(message(badError), 'Erro-alvo precisa ser no máximo 1');
    assert.equal(message({ ...defaultRequest('prune', ''), modelPath: ' ' }), 'Escolha o modelo (um arquivo .onnx)');
    l10n.config({ contents: {} });
    assert.equal(message(badBlock), 'Block size must be a power of two (16, 32, 64, 128 or 256)');
    assert.equal(message(badError), 'Target error must be at most 1');
  });

  it('with no bundle the same helpers answer in English', () => {
    assert.deepEqual(
      resultHeadline(figures, 'CPUExecutionProvider').map((p) => p.text),
      ['Size +6.5 % larger', 'speedup 0.50×', 'top-1 agreement 75 %', 'ran on CPUExecutionProvider'],
    );
    assert.equal(searchView(search)?.summary, 'Kept 30 %: the largest sparsity whose task fidelity stayed within tolerance (2 values tried).');
  });
});
