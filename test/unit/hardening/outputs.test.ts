/**
 * Issue 11 (hostile review h-break11, findings 1 and 2): every file the engine writes goes
 * through a check that refuses to replace anything but a regular file, a model `--out` only
 * replaces an existing ONNX model, and a pipeline's `name` never picks the folder optimize-all
 * writes to. Special files are our own FIFOs and folders in a temporary folder: no test here
 * touches a device.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../../src/shared/files';
import { assertOutputTarget, assertReplaceableModel, looksLikeModelProto } from '../../../src/shared/files';
import { fileSegment, MAX_NAME_IN_FILE } from '../../../src/engine/pipeline/optimizeAll';
import { EngineError } from '../../../src/protocol/errors';
import { errorOf, models, run, samples, scratch } from './helpers';

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

const isFifo = (file: string) => fs.lstatSync(file).isFIFO();
const tinyMlp = path.join(models, 'tiny_mlp.onnx');
const tinyLm = path.join(models, 'tiny_lm.onnx');

describe('hardening: outputs never replace what is not theirs (issue 11, findings 1-2)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = scratch();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('the shared checks (src/shared/files.ts)', () => {
    it('assertOutputTarget refuses a FIFO, a folder and a link to a FIFO; passes a missing path and a regular file', () => {
      const fifo = path.join(dir, 'pipe');
      mkfifo(fifo);
      fs.mkdirSync(path.join(dir, 'folder'));
      fs.symlinkSync(fifo, path.join(dir, 'link'));
      fs.writeFileSync(path.join(dir, 'plain.json'), '{}');
      assert.throws(() => assertOutputTarget(fifo), (e: EngineError) => e.code === 'badRequest' && /is not a regular file: it is a named pipe \(FIFO\)/.test(e.message));
      assert.throws(() => assertOutputTarget(path.join(dir, 'folder')), /it is a folder/);
      assert.throws(() => assertOutputTarget(path.join(dir, 'link')), /named pipe/);
      assert.doesNotThrow(() => assertOutputTarget(path.join(dir, 'missing.json')));
      assert.doesNotThrow(() => assertOutputTarget(path.join(dir, 'plain.json')));
    });

    it('writeFileAtomicSync (results, reports, caches) refuses a FIFO target and leaves it a FIFO', () => {
      const fifo = path.join(dir, 'optimization-report.json');
      mkfifo(fifo);
      assert.throws(() => writeFileAtomicSync(fifo, '{}\n'), /not a regular file/);
      assert.ok(isFifo(fifo));
      assert.deepEqual(fs.readdirSync(dir), ['optimization-report.json'], 'no temporary file is left');
    });

    it('looksLikeModelProto: true for real ONNX files, false for text, JSON and a truncated header', () => {
      for (const model of [tinyMlp, tinyLm, path.join(samples, 'rag', 'models', 'cross_encoder.onnx')]) {
        const bytes = fs.readFileSync(model);
        assert.ok(looksLikeModelProto(bytes.subarray(0, 65_536), bytes.length), model);
      }
      const readme = fs.readFileSync(path.join(samples, 'rag', 'README.md'));
      assert.equal(looksLikeModelProto(readme, readme.length), false);
      const jsonl = fs.readFileSync(path.join(samples, 'rag', 'corpus.jsonl'));
      assert.equal(looksLikeModelProto(jsonl.subarray(0, 65_536), jsonl.length), false);
      // 0x08 0x07 is ir_version 7 (field 1, varint); then field 7 (graph) declares 200 bytes the 4-byte file does not have.
      assert.equal(looksLikeModelProto(Uint8Array.from([0x08, 0x07, 0x3a, 0xc8, 0x01]), 5), false);
      assert.equal(looksLikeModelProto(Uint8Array.from([0x08, 0x07]), 2), true);
      // Field 15 does not exist in ModelProto.
      assert.equal(looksLikeModelProto(Uint8Array.from([0x78, 0x01]), 2), false);
    });

    it('assertReplaceableModel: only an existing ONNX model (or an empty .onnx file) may be replaced', () => {
      const copy = path.join(dir, 'old.onnx');
      fs.copyFileSync(tinyMlp, copy);
      assert.doesNotThrow(() => assertReplaceableModel(copy));
      fs.writeFileSync(path.join(dir, 'empty.onnx'), '');
      assert.doesNotThrow(() => assertReplaceableModel(path.join(dir, 'empty.onnx')));
      fs.copyFileSync(path.join(samples, 'rag', 'README.md'), path.join(dir, 'readme.onnx'));
      assert.throws(() => assertReplaceableModel(path.join(dir, 'readme.onnx')), /is not an ONNX model/);
      fs.copyFileSync(tinyMlp, path.join(dir, 'model.bin'));
      assert.throws(() => assertReplaceableModel(path.join(dir, 'model.bin')), /does not end in \.onnx/);
    });
  });

  describe('model verbs: --out', () => {
    it('refuses a FIFO as --out before any work, and the FIFO stays a FIFO', () => {
      const fifo = path.join(dir, 'out.onnx');
      mkfifo(fifo);
      const r = run(['model', 'quantize', tinyMlp, '--out', fifo, '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(errorOf(r).message, /--out\) .*out\.onnx exists and is not a regular file: it is a named pipe \(FIFO\)/);
      assert.ok(isFifo(fifo));
    });

    it('refuses an existing file that is not an ONNX model (README.md, corpus.jsonl, a text file named .onnx), leaving it byte for byte', () => {
      const cases = [
        ['README.md', path.join(samples, 'rag', 'README.md'), /does not end in \.onnx/],
        ['corpus.jsonl', path.join(samples, 'rag', 'corpus.jsonl'), /does not end in \.onnx/],
        ['notes.onnx', path.join(samples, 'rag', 'README.md'), /is not an ONNX model/],
      ] as const;
      for (const [name, from, expected] of cases) {
        const target = path.join(dir, name);
        fs.copyFileSync(from, target);
        const before = fs.readFileSync(target);
        const r = run(['model', 'prune', tinyMlp, '--out', target, '--json']);
        assert.equal(r.code, 2, `${name}: ${r.stderr}`);
        assert.match(errorOf(r).message, expected, name);
        assert.deepEqual(fs.readFileSync(target), before, name);
      }
    });

    it('refuses a FIFO where the model external-data file would go (<out>.data)', () => {
      mkfifo(path.join(dir, 'm.onnx.data'));
      const r = run(['model', 'quantize', tinyMlp, '--out', path.join(dir, 'm.onnx'), '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(errorOf(r).message, /external-data file beside the output .*m\.onnx\.data exists and is not a regular file/);
    });

    it('still replaces an existing ONNX model', () => {
      const target = path.join(dir, 'previous.onnx');
      fs.copyFileSync(tinyLm, target);
      const r = run(['model', 'quantize', tinyMlp, '--out', target, '--json']);
      assert.ok(r.code === 0 || r.code === 3, r.stderr);
      assert.notDeepEqual(fs.readFileSync(target), fs.readFileSync(tinyLm));
      assert.ok(looksLikeModelProto(fs.readFileSync(target), fs.statSync(target).size));
    });
  });

  describe('pipeline optimize-all: the config name and the output folder', () => {
    it('fileSegment keeps one path segment: no separators, "..", NUL or control characters, at most MAX_NAME_IN_FILE characters', () => {
      assert.equal(fileSegment('rag_pipeline'), 'rag_pipeline');
      assert.equal(fileSegment('x/../../../../escaped_by_name'), 'x_________escaped_by_name');
      assert.equal(fileSegment('..\\..\\win'), '____win');
      assert.equal(fileSegment('a\u0000b\nc\u007fd'), 'a_b_c_d');
      assert.equal(fileSegment('.vscode/settings'), '.vscode_settings');
      assert.equal(fileSegment(''), 'pipeline');
      assert.equal([...fileSegment('é'.repeat(500))].length, MAX_NAME_IN_FILE);
    });

    it('a name with ../ writes inside --out only (the reviewer escaped to a file four folders up)', () => {
      const rag = path.join(dir, 'a', 'b', 'c', 'rag');
      fs.mkdirSync(path.dirname(rag), { recursive: true });
      fs.cpSync(path.join(samples, 'rag'), rag, { recursive: true });
      const configPath = path.join(rag, 'rag_pipeline.json');
      const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { name: string };
      config.name = 'x/../../../../escaped_by_name';
      fs.writeFileSync(configPath, JSON.stringify(config));
      const out = path.join(rag, 'outA', 'deep');
      const r = run(['pipeline', 'optimize-all', configPath, '--out', out, '--iterations', '1', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(fs.readdirSync(out).sort(), ['optimization-report.json', 'optimization-report.md', 'optimized_x_________escaped_by_name.json']);
      // Where the unsanitised name led: join(out, 'optimized_x/../../../../escaped_by_name.json').
      assert.equal(fs.existsSync(path.join(rag, 'escaped_by_name.json')), false);
      const written = JSON.parse(fs.readFileSync(path.join(out, 'optimized_x_________escaped_by_name.json'), 'utf8')) as { name: string };
      assert.equal(written.name, config.name, 'the name itself is kept inside the config');
    });

    it('refuses a FIFO where a report goes, before any work', () => {
      const out = path.join(dir, 'out');
      fs.mkdirSync(out);
      mkfifo(path.join(out, 'optimization-report.json'));
      const r = run(['pipeline', 'optimize-all', path.join(samples, 'rag', 'rag_pipeline.json'), '--out', out, '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(errorOf(r).message, /optimization-report\.json exists and is not a regular file: it is a named pipe/);
      assert.doesNotMatch(r.stderr, /Benchmarking/);
      assert.ok(isFifo(path.join(out, 'optimization-report.json')));
    });
  });
});
