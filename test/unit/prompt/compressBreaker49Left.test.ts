/**
 * Session 51: two compression bugs breaker49 found and left (report of session 49, "Left, and noticed"). At the aggressive
 * level "You are basically a really helpful assistant." became "You're really assistant.": the adjective went and the
 * intensifier that said how helpful stayed, over nothing. At medium "Write {{ this }} and {% raw %}…{% endraw %}
 * literally." lost "literally": after a placeholder the word before it is no letter, and the rule that keeps an "-ly"
 * word ending the verb's clause ("answer every question honestly.") did not see the verb's words. Every expected string is
 * written by hand; the cases of the two fixes failed before them, the others pass on both.
 */
import { runCompressCases as run } from './compressCases';

describe('compressor (session 51): breaker49 leftovers', () => {
  describe('aggressive: an adjective filler goes with the intensifier before it, or stays', () => {
    run([
      ['You are basically a really helpful assistant.', 'aggressive', 'en', "You're assistant."],
      // (Spanish: the intensifier went first, by the filler pass; the adjective stays.)
      ['Eres un asistente muy útil. Responde en español.', 'aggressive', 'es', 'Asistente útil. Responde en español.'],
      // (Guards: with no intensifier, as before; the role sentences the telegraphic rule rewrites whole, as before.)
      ['You are a helpful assistant.', 'aggressive', 'en', "You're an assistant."],
      ['You are an extremely helpful assistant.', 'aggressive', 'en', 'Assistant.'],
      ['You are a very patient and helpful tutor.', 'aggressive', 'en', 'Patient and helpful tutor.'],
    ]);
  });

  describe('medium: an "-ly" word that ends the verb\'s clause after a placeholder or a quotation stays', () => {
    run([
      ['Write {{ this }} and {% raw %}{% that %}{% endraw %} literally. Be very concise.', 'medium', 'en', 'Write {{ this }} and {% raw %}{% that %}{% endraw %} literally. Be concise.'],
      ['Copy {text} literally.', 'medium', 'en', 'Copy {text} literally.'],
      ['Repeat "yes" literally, then stop.', 'medium', 'en', 'Repeat "yes" literally, then stop.'],
      // (Before a comma too, after a word: it said how to answer.)
      ['Answer every question honestly, then stop.', 'medium', 'en', 'Answer every question honestly, then stop.'],
      // (Guard: sentence-first it still goes.)
      ['Honestly, {name} is late.', 'medium', 'en', '{name} is late.'],
    ]);
  });
});
