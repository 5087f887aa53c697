// Prompts in a Latin-script language no pack is written for (break34). detectLanguage counted only the en, es and pt
// function words, so ChatGPT-Shortcut's French and Italian cards read as es and aggressive compression dropped their
// articles by the Spanish rules ("La première commande est" → "première commande est", "un motore" → "motore"); the
// German and Indonesian cards read as en or pt. Oracle: the language of each card, as its file name says
// (test/fixtures/prompts/chatgpt-shortcut-other.json, rockbenben/ChatGPT-Shortcut at 007ebb4, MIT; SOURCES.md).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';
import { PromptOptimizer } from '../../../src/engine/prompt/optimizer';
import { detectLanguage } from '../../../src/shared/prompt/languages';
import { isOtherLatinLanguage } from '../../../src/shared/prompt/otherLanguages';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { loadCorpus } from '../../fixtures/prompts/corpus';
import { corpusPrompts } from '../../../bench/diagnostics';
import { rewriteThroughEditorPath } from './rewritePath';

const root = path.resolve(__dirname, '../../../..');
interface Card {
  id: string;
  language: string;
  text: string;
}
const cards = JSON.parse(readFileSync(path.join(root, 'test/fixtures/prompts/chatgpt-shortcut-other.json'), 'utf8')) as Card[];
const card = (id: string): Card => {
  const found = cards.find((c) => c.id === id);
  assert.ok(found, id);
  return found;
};
const NAMES: Record<string, string> = { fr: 'French', it: 'Italian', de: 'German', id: 'Indonesian' };
const warning = (language: string) => `The rewrite rules are written for en, pt, es, and this prompt is in ${NAMES[language]}: its wording is left as written (only exact repeats and extra whitespace go).`;

describe('prompts in French, Italian, German and Indonesian (no language pack)', () => {
  it('each ChatGPT-Shortcut card is detected in its own language', () => {
    assert.deepEqual(
      cards.map((c) => [c.id, detectLanguage(c.text).language]),
      cards.map((c) => [c.id, c.language]),
    );
  });

  it('compression at every level leaves their wording as written and says why', () => {
    const compressor = new PromptCompressor();
    for (const c of cards) {
      for (const level of ['light', 'medium', 'aggressive'] as const) {
        const result = compressor.compress(c.text, { level });
        assert.equal(result.text, c.text, `${c.id} ${level}`);
        assert.deepEqual(result.removed, [], `${c.id} ${level}`);
        assert.equal(result.language, c.language);
        assert.deepEqual(result.warnings, [warning(c.language)], `${c.id} ${level}`);
      }
    }
  });

  it('before: the French and Italian cards lost their articles to the Spanish rules; the Spanish rules still apply when asked for', () => {
    const result = new PromptCompressor().compress(card('chatgpt-shortcut:101_fr').text, { level: 'aggressive', language: 'es' });
    assert.deepEqual(
      result.removed.filter((r) => r.rule === 'article').map((r) => r.text),
      ['un ', 'La ', 'un ', 'La ', 'La ', 'la '],
    );
  });

  it('optimize and distill keep every sentence they keep as written', () => {
    const optimizer = new PromptOptimizer();
    const distiller = new PromptDistiller();
    for (const c of cards) {
      for (const target of ['efficiency', 'balanced', 'quality'] as const) {
        assert.equal(optimizer.optimize(c.text, { target }).text, c.text, `${c.id} ${target}`);
      }
      const distilled = distiller.distill(c.text, { maxTokens: 80 });
      for (const sentence of distilled.text.split(/(?<=[.!?])\s+/)) assert.ok(c.text.includes(sentence), `${c.id}: ${JSON.stringify(sentence)}`);
    }
  });

  it('through the editor path, a French prompt in a Python file is left unchanged', async () => {
    const source = `SYSTEM_PROMPT = """${card('chatgpt-shortcut:101_fr').text}"""\n`;
    const [prompt] = findPrompts(source, undefined, { fileName: 'agent.py' });
    assert.ok(prompt);
    const outcome = await rewriteThroughEditorPath(source, { fileName: 'agent.py' }, prompt, { kind: 'compress', level: 'aggressive' });
    assert.deepEqual(outcome, { status: 'unchanged' });
  });

  it('no prompt of the en, es and pt corpora, nor a prompt found in their code, is taken for another language', () => {
    const texts = [...loadCorpus().map((p) => [p.id, p.text]), ...corpusPrompts().map((p) => [p.source, p.text])];
    assert.ok(texts.length > 700, String(texts.length));
    assert.deepEqual(texts.filter(([, t]) => isOtherLatinLanguage(detectLanguage(t).language)).map(([id]) => id), []);
  });

  it('an English prompt that quotes French, and a Spanish one with a French title, keep their language', () => {
    assert.equal(detectLanguage('Translate the user message into French. For example, "Je suis très content de vous voir" becomes the answer. Return only the translation.').language, 'en');
    assert.equal(detectLanguage('Eres un crítico de cine. Resume la película "Le fabuleux destin d\'Amélie Poulain" en tres frases y explica por qué es famosa.').language, 'es');
  });

  // break35: a quoted example with more French function words than the prompt has English ones made the whole prompt
  // French, and Compress left it as written with "this prompt is in French". The quote is still kept word for word.
  it('an English prompt whose quoted example is a long French (or German) sentence is English, and Compress keeps the quote', () => {
    const french = 'You are a very helpful assistant. Example input: "Je ne sais pas si vous avez reçu ma lettre, mais elle est très importante pour nous." Example output: "I don\'t know if you received my letter, but it is very important to us."';
    const german = 'You are a very helpful tutor for students who learn German. In order to help, explain why we say „Ich bin müde, weil ich nicht geschlafen habe“ and not „Ich bin müde, weil ich habe nicht geschlafen“.';
    assert.equal(detectLanguage(french).language, 'en');
    assert.equal(detectLanguage(german).language, 'en');
    const compressed = new PromptCompressor().compress(french, { level: 'aggressive' });
    assert.equal(compressed.text, 'Helpful assistant. Example input: "Je ne sais pas si vous avez reçu ma lettre, mais elle est très importante pour nous." Example output: "I don\'t know if you received my letter, but it is very important to us."');
    assert.deepEqual(compressed.warnings, []);
    // Near misses: the same French sentence unquoted, and a French prompt that quotes English, stay French.
    assert.equal(detectLanguage('Je ne sais pas si vous avez reçu ma lettre, mais elle est très importante pour nous. Répondez en anglais.').language, 'fr');
    assert.equal(detectLanguage('Vous êtes un assistant très utile. Traduisez "You are a very helpful assistant and you answer the user" pour nous, sans notes.').language, 'fr');
  });
});
