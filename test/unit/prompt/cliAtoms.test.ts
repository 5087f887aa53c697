/**
 * The CLI's prompt rewrites go through the same atom-keeping path as the editor's
 * (src/engine/prompt/handlers.ts): interpolations, placeholders, template tags and code
 * spans come out byte for byte, in order. Before, `pepperpy-opt prompt compress` called the
 * compressor directly and could rewrite inside them.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { distDir } from '../../helpers/paths';

const cli = path.join(distDir, 'cli.js');

function run(args: string[], input: string): { status: number | null; json: { text: string } } {
  const r = spawnSync(process.execPath, [cli, ...args, '-', '--json'], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, json: JSON.parse(r.stdout) as { text: string } };
}

/** Every `${…}` (with nested braces and templates), `{{…}}`, `{%…%}` and `{name}` in order, found by a scan written for this test. */
function atomsOf(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('${', i) || text.startsWith('{{', i) || text.startsWith('{%', i) || (text[i] === '{' && /^\{[A-Za-z_]\w*\}/.test(text.slice(i)))) {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      out.push(text.slice(i, j + 1));
      i = j + 1;
    } else i++;
  }
  return out;
}

describe('CLI prompt rewrites keep interpolations and template tags', () => {
  // The system prompt of issue 12's app, as the literal's text (interpolation included), plus Jinja and a placeholder.
  const prompt = [
    'You are a very helpful assistant. Please answer the question using the context below.',
    'Context: ${isRagWorking ? `${retrievedContext}` : "No information available."}',
    'Please be concise and give responses that are really short.',
    '{% for doc in docs %}Document: {{ doc.title }}{% endfor %}',
    'Answer in {language}. It is really very important that you basically just answer the question.',
  ].join('\n');
  const expected = ['${isRagWorking ? `${retrievedContext}` : "No information available."}', '{% for doc in docs %}', '{{ doc.title }}', '{% endfor %}', '{language}'];

  it('the test oracle finds the five atoms of the prompt', () => {
    assert.deepEqual(atomsOf(prompt), expected);
  });

  for (const args of [['prompt', 'compress', '--level', 'aggressive'], ['prompt', 'compress', '--target-ratio', '0.5'], ['prompt', 'distill', '--max-tokens', '60'], ['prompt', 'optimize', '--target', 'efficiency']]) {
    it(`${args.join(' ')}: the atoms come out byte for byte, in order`, () => {
      const r = run(args, prompt);
      assert.equal(r.status, 0);
      const atoms = atomsOf(r.json.text);
      // Distilling may drop whole sentences, never part of an atom: what is left is a subsequence of the original atoms.
      if (args[1] === 'distill') {
        let k = 0;
        for (const a of atoms) {
          while (k < expected.length && expected[k] !== a) k++;
          assert.ok(k < expected.length, `atom ${JSON.stringify(a)} is not one of the original atoms, in order: ${JSON.stringify(r.json.text)}`);
          k++;
        }
      } else assert.deepEqual(atoms, expected, r.json.text);
    });
  }
});
