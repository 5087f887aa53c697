/**
 * Issue 11, item 7: unbounded and binary inputs. Every text input (prompts, setups, RAG
 * datasets and corpora, test queries, pipeline configs, model --data) refuses a binary file
 * by name before any work, and a prompt over the editor's limit is refused with its size,
 * the limit and what to do. Before the fix a random-byte prompt or dataset ran (exit 0), and
 * a 100 KB binary corpus ran for minutes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BINARY_SUSPECT_RATIO, judgeText } from '../../../src/shared/textFile';
import { MAX_PROMPT_CHARS } from '../../../src/protocol/prompt';
import { repoRoot } from '../../helpers/paths';
import { errorOf, jsonOf, models, randomBytesWithoutNul, ragConfig, ragQueries, run, scratch } from './helpers';

const seedPrompt = path.join(repoRoot, 'samples', 'prompts', 'seed-example-pt.txt');
const realCsv = path.join(repoRoot, 'test', 'fixtures', 'prompts', 'awesome-chatgpt-prompts.csv');

describe('hardening: binary and oversized text inputs (issue 11, item 7)', function () {
  // Each case starts the CLI (about a second, more on a loaded machine); no case measures time.
  this.timeout(180_000);
  describe('judgeText', () => {
    it('real UTF-8 text (the seed prompt, the awesome-chatgpt-prompts excerpt) has no suspect characters', () => {
      for (const file of [seedPrompt, realCsv]) {
        const bytes = fs.readFileSync(file);
        const verdict = judgeText(bytes);
        assert.equal(verdict.binary, undefined, file);
        assert.equal(verdict.suspect, 0, file);
        // Oracle: the number of code points of the decoded text.
        assert.equal(verdict.characters, [...bytes.toString('utf8')].length, file);
      }
    });

    it('the seed prompt saved as Latin-1 is text in the wrong encoding: one suspect per accented letter, under the binary ratio', () => {
      const text = fs.readFileSync(seedPrompt, 'utf8');
      const latin1 = Buffer.from(text, 'latin1');
      // Oracle: each letter above U+007F becomes one byte of 0xC0-0xFF followed by ASCII, which UTF-8 cannot decode.
      const accented = [...text].filter((c) => c.codePointAt(0)! >= 0x80).length;
      assert.ok(accented > 0);
      const verdict = judgeText(latin1);
      assert.equal(verdict.suspect, accented);
      assert.equal(verdict.characters, latin1.length);
      assert.equal(verdict.binary, undefined);
      assert.ok(accented / latin1.length < BINARY_SUSPECT_RATIO);
    });

    it('random bytes without NUL are binary; NUL bytes and UTF-16 byte-order marks are binary at once', () => {
      const random = judgeText(randomBytesWithoutNul(100_000));
      assert.match(random.binary ?? '', /% of it is not UTF-8 text/);
      assert.ok(random.suspect / random.characters > 0.3, `${random.suspect}/${random.characters}`);
      assert.equal(judgeText(Buffer.from('ab\0cd')).binary, 'it contains NUL bytes (the first at byte 2)');
      assert.match(judgeText(Buffer.from('\ufeffhello', 'utf16le')).binary ?? '', /UTF-16/);
      assert.equal(judgeText(Buffer.alloc(0)).binary, undefined);
    });
  });

  describe('the CLI refuses binary files by name, before any work', () => {
    let dir: string;
    let blob: string;
    before(() => {
      dir = scratch();
      blob = path.join(dir, 'blob.txt');
      fs.writeFileSync(blob, randomBytesWithoutNul(100_000));
    });

    for (const verb of ['analyze', 'count', 'compress', 'distill', 'optimize']) {
      it(`prompt ${verb}: a random-byte file is not a prompt`, () => {
        const r = run(['prompt', verb, blob, '--json']);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(errorOf(r).message, `The prompt ${blob} looks like a binary file: ${judgeText(fs.readFileSync(blob)).binary}. Expected a prompt as UTF-8 text.`);
      });
    }

    it('prompt analyze: random bytes on standard input', () => {
      const r = run(['prompt', 'analyze', '-'], { input: randomBytesWithoutNul(20_000) });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^pepperpy-opt: The prompt on standard input is not (text|a text file): \d+ % of it is not UTF-8/);
    });

    it('prompt count: a UTF-16 file is named as such, with what to do', () => {
      const file = path.join(dir, 'utf16.txt');
      fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fs.readFileSync(seedPrompt, 'utf8'), 'utf16le')]));
      const r = run(['prompt', 'count', file, '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.deepEqual(errorOf(r), { code: 'badRequest', message: `The prompt ${file} is not UTF-8: it is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8. Expected a prompt as UTF-8 text.`, hint: 'Save the prompt as UTF-8 and pass it again.' });
    });

    it('cost optimize: a binary setup file', () => {
      const r = run(['cost', 'optimize', path.join(models, 'tiny_mlp.onnx')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /The setup file .*tiny_mlp\.onnx looks like a binary file: it contains NUL bytes/);
    });

    it('benchmark rag: a binary --dataset is named as the RAG dataset', () => {
      const r = run(['benchmark', 'rag', ragConfig, '--dataset', blob]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`The RAG dataset ${blob.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} looks like a binary file`));
      assert.match(r.stderr, /Expected JSONL/);
    });

    it('pipeline benchmark and profile: binary --queries are named as the test query dataset', () => {
      for (const verb of ['benchmark', 'profile']) {
        const r = run(['pipeline', verb, ragConfig, '--queries', blob]);
        assert.equal(r.code, 2, `${verb}: ${r.stderr}`);
        assert.match(r.stderr, /The test query dataset .*blob\.txt looks like a binary file/, verb);
      }
    });

    it('pipeline benchmark: a 100 KB binary corpus is refused as the corpus (before: minutes of indexing)', () => {
      const config = JSON.parse(fs.readFileSync(ragConfig, 'utf8')) as { corpus: string; components: { reranker?: unknown } };
      config.corpus = 'blob.txt';
      delete config.components.reranker;
      fs.writeFileSync(path.join(dir, 'rag.json'), JSON.stringify(config));
      fs.copyFileSync(ragQueries, path.join(dir, 'queries.jsonl'));
      const r = run(['pipeline', 'benchmark', path.join(dir, 'rag.json')], { timeout: 30_000 });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /The corpus .*blob\.txt looks like a binary file: \d+ % of it is not UTF-8 text/);
    });

    it('a binary pipeline config is named as the pipeline config', () => {
      const r = run(['pipeline', 'profile', path.join(models, 'tiny_mlp.onnx')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /The pipeline config .*tiny_mlp\.onnx looks like a binary file/);
    });

    it('prompt scan: a binary file named on the command line is listed as skipped, with the reason', () => {
      const file = path.join(dir, 'blob.py');
      fs.copyFileSync(blob, file);
      const r = run(['prompt', 'scan', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^skipped ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: binary$`, 'm'));
      const json = JSON.parse(run(['prompt', 'scan', file, '--json']).stdout) as { filesSkipped: { file: string; reason: string }[] };
      assert.deepEqual(json.filesSkipped.map((f) => f.reason), ['binary']);
    });

    it('model quantize: a binary --data file is named as the dataset (--data)', () => {
      const r = run(['model', 'quantize', path.join(models, 'tiny_lm.onnx'), '--data', blob, '--out', path.join(dir, 'q.onnx')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /The dataset \(--data\) .*blob\.txt looks like a binary file/);
      assert.equal(fs.existsSync(path.join(dir, 'q.onnx')), false);
    });
  });

  describe('prompt size cap', () => {
    let dir: string;
    before(() => {
      dir = scratch();
    });

    /** Real text (the awesome-chatgpt-prompts excerpt) repeated to exactly `chars` UTF-16 code units. */
    function realTextOf(chars: number): string {
      const unit = fs.readFileSync(realCsv, 'utf8');
      const text = unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
      assert.equal(text.length, chars);
      return text;
    }

    it(`a prompt of ${MAX_PROMPT_CHARS + 1} characters is refused with its size, the limit and what to do`, () => {
      const file = path.join(dir, 'over.txt');
      fs.writeFileSync(file, realTextOf(MAX_PROMPT_CHARS + 1));
      for (const verb of ['analyze', 'count', 'compress', 'distill', 'optimize']) {
        const r = run(['prompt', verb, file, '--json']);
        assert.equal(r.code, 2, `${verb}: ${r.stderr}`);
        const error = errorOf(r);
        assert.equal(error.message, `${file} is 2,000,001 characters (${(fs.statSync(file).size / 1e6).toFixed(1)} MB); a prompt is limited to 2,000,000 characters (about 2.0 MB of plain text), the same limit as in the editor.`, verb);
        assert.equal(error.hint, 'Pass only the prompt itself, or split the file and run each part.');
      }
    });

    it('a file far over the limit is refused from its size alone', () => {
      const file = path.join(dir, 'huge.txt');
      fs.writeFileSync(file, realTextOf(3 * MAX_PROMPT_CHARS + 10));
      const r = run(['prompt', 'analyze', file]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`huge\\.txt is ${(fs.statSync(file).size / 1e6).toFixed(1).replace('.', '\\.')} MB; a prompt is limited to 2,000,000 characters`));
    });

    it('a prompt of exactly the limit is counted', () => {
      const file = path.join(dir, 'limit.txt');
      fs.writeFileSync(file, realTextOf(MAX_PROMPT_CHARS));
      const r = run(['prompt', 'count', file, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(jsonOf<{ count: number }>(r).count > 0);
    });

    it('standard input over the limit is refused too', () => {
      const r = run(['prompt', 'count', '-'], { input: realTextOf(MAX_PROMPT_CHARS + 5) });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^pepperpy-opt: stdin is 2,000,005 characters/);
    });
  });
});
