/**
 * The rewrite planners of compressRewrites.ts (session 41) driven directly with a recording plan, so that each guard is
 * seen without the compressor's layers around it (mutation testing of the module with compressRewrites41.test.ts alone
 * left 80 mutants alive: 70.7 %). Expected edits worked out by hand from the rules: the future of "ir a" + infinitive
 * (irregular stems from the pack, an enclitic moved before the verb), the sentence-opening connector, the task lead
 * before an infinitive, and the "my first <noun…> is" label.
 */
import * as assert from 'node:assert/strict';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { planGoingToFutures, planLabelSentences, planSentenceOpeners, planTaskLeads } from '../../../src/engine/prompt/compressRewrites';
import type { EditPlan } from '../../../src/engine/prompt/compressPlan';

type Edit = [start: number, end: number, replacement: string, soft: unknown];

class RecordingPlan {
  readonly edits: Edit[] = [];
  constructor(private readonly sentenceStart = true) {}
  tryEdit(_kind: string, start: number, end: number, replacement: string, soft?: unknown): boolean {
    this.edits.push([start, end, replacement, soft]);
    return true;
  }
  atSentenceStart(): boolean {
    return this.sentenceStart;
  }
}

type Planner = (plan: EditPlan, text: string, pack: ReturnType<typeof compiledPack>) => void;
function edits(planner: Planner, language: string, text: string, sentenceStart = true): Edit[] {
  const plan = new RecordingPlan(sentenceStart);
  planner(plan as unknown as EditPlan, text, compiledPack(language));
  return plan.edits;
}

describe('compressRewrites planners, one guard at a time (recording plan)', () => {
  it('"ir a" + infinitive → future: regular, irregular stem (obtener → obtendr), enclitics moved before (te, los, me)', () => {
    assert.deepEqual(edits(planGoingToFutures, 'es', 'Voy a enviarte el texto.'), [[0, 14, 'te enviaré', true]]);
    assert.deepEqual(edits(planGoingToFutures, 'es', 'El sistema va a obtener los datos.'), [[11, 23, 'obtendrá', true]]);
    assert.deepEqual(edits(planGoingToFutures, 'es', 'Van a ordenarlos por fecha.'), [[0, 16, 'los ordenarán', true]]);
    assert.deepEqual(edits(planGoingToFutures, 'es', 'Vas a decirme la verdad.'), [[0, 13, 'me dirás', true]]);
  });

  it('"ir a" before no infinitive, a blocker, an accented or capitalised word: no edit', () => {
    for (const text of ['Va a lugar seguro.', 'Va a la tienda.', 'Va a reír.', 'Va a Enviar.', 'Va a 3 sitios.']) assert.deepEqual(edits(planGoingToFutures, 'es', text), [], text);
  });

  it('"ir a" with a second infinitive in the sentence (after a comma or a coordinator, within three words) is left; past the sentence end it is not', () => {
    assert.deepEqual(edits(planGoingToFutures, 'es', 'Voy a leer el texto y luego resumirlo.'), []);
    assert.deepEqual(edits(planGoingToFutures, 'es', 'Va a buscar, filtrar y ordenar.'), []);
    assert.deepEqual(edits(planGoingToFutures, 'es', 'Va a hacer frío y a llover.'), []);
    assert.deepEqual(edits(planGoingToFutures, 'es', 'Voy a leer el texto y luego lo guardo.'), [[0, 10, 'leeré', true]]);
    assert.deepEqual(edits(planGoingToFutures, 'es', 'Voy a leer el texto. Luego resumirlo.'), [[0, 10, 'leeré', true]]);
    // "ley" ends in "y" but is no coordinator: the infinitive after it does not count.
    assert.deepEqual(edits(planGoingToFutures, 'es', 'Voy a leer la ley resumir.'), [[0, 10, 'leeré', true]]);
  });

  it('a sentence-opening connector only at a sentence start', () => {
    assert.deepEqual(edits(planSentenceOpeners, 'es', 'A continuación, lee el texto.'), [[0, 15, 'luego,', true]]);
    assert.deepEqual(edits(planSentenceOpeners, 'es', 'Lee lo que hay a continuación, y resume.', false), []);
  });

  it('a task lead before an infinitive (an enclitic too), not before a participle or a capitalised word', () => {
    assert.deepEqual(edits(planTaskLeads, 'es', 'Tu trabajo será idear estrategias.'), [[0, 15, 'debes', true]]);
    assert.deepEqual(edits(planTaskLeads, 'es', 'Tu trabajo será traducirlos.'), [[0, 15, 'debes', true]]);
    assert.deepEqual(edits(planTaskLeads, 'es', 'Tu trabajo será evaluado.'), []);
    assert.deepEqual(edits(planTaskLeads, 'es', 'Tu trabajo será Traducir.'), []);
    // The next word is the one right after the phrase, past one run of spaces or tabs: not one after punctuation.
    assert.deepEqual(edits(planTaskLeads, 'es', 'Tu trabajo será  idear estrategias.'), [[0, 15, 'debes', true]]);
    assert.deepEqual(edits(planTaskLeads, 'es', 'Tu trabajo será:\tidear estrategias.'), []);
    assert.deepEqual(edits(planTaskLeads, 'es', 'Tu trabajo será; idear estrategias.'), []);
  });

  it('"my first <noun…> is" → "first <noun…>:" before a quote, a number, a placeholder, a bracket or a word that opens no clause', () => {
    for (const text of ['My first word to check is "hi".', 'My first word to check is 42.', 'My first word to check is {input}.', 'My first word to check is Hello.', 'My first word to check is  "hi".', 'My first word to check is\t[1].']) {
      assert.deepEqual(edits(planLabelSentences, 'en', text), [[0, 25, 'first word to check:', true]], text);
    }
    assert.deepEqual(edits(planLabelSentences, 'en', 'My first word will be "x".'), [[0, 21, 'first word:', true]]);
    assert.deepEqual(edits(planLabelSentences, 'es', 'Mi primera palabra a revisar es "hola".'), [[0, 31, 'primera palabra a revisar:', true]]);
    assert.deepEqual(edits(planLabelSentences, 'en', 'So my first word to check is "hi" and my first line to read is "yo".'), [[3, 28, 'first word to check:', true], [38, 62, 'first line to read:', true]]);
  });

  it('no label edit before a clause ("that"), at the end, past four words, on a capitalised noun, or where the pack lists the label', () => {
    for (const text of ['My first word to check is that you go.', 'My first word to check is.', 'My first a b c d e is "x".', 'My first Word is "x".', 'My first sentence is "hi".', 'My first sentence is 42.']) {
      assert.deepEqual(edits(planLabelSentences, 'en', text), [], text);
    }
  });
});
