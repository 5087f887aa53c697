/**
 * Prompt hints for an untrusted workspace, computed in a worker thread (hintsWorker.ts): the engine process does not
 * run there, and computing on the extension host's own thread held the editor for the length of each parse (about
 * 1.7 s per edit of 200 KB of invalid Python, break39). One computation runs at a time; a request that arrives while
 * one runs waits, in the order the documents asked, and a newer request for the same document replaces its waiting one
 * (the replaced one, and one cancelled before it starts, get no result). Another document's request never replaces it:
 * it did, and the document whose request was dropped kept no diagnostics until its next edit (CI, 2026-12-07).
 * A worker that fails is dropped, its requests failed, and the next request starts a new one.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../protocol/errors';
import type { PromptHintsResult } from '../../protocol/hints';
import type { HintInputs } from '../../shared/hints/hints';
import type { HintsWorkerReply, HintsWorkerRequest } from './hintsWorker';

interface Waiting {
  params: HintInputs;
  signal?: AbortSignal;
  resolve: (result: PromptHintsResult | undefined) => void;
  reject: (error: Error) => void;
}

export class HostHints {
  private worker: Worker | undefined;
  private nextId = 1;
  private running: (Waiting & { id: number }) | undefined;
  /** Per document (its URI, else its file name), the newest request waiting; first asked, first run. */
  private readonly waiting = new Map<string, Waiting>();

  /** `file`: the worker script (the compiled hintsWorker.js beside this module, or beside the bundle in dist/). */
  constructor(private readonly file = path.join(__dirname, 'hintsWorker.js')) {}

  compute(params: HintInputs, signal?: AbortSignal): Promise<PromptHintsResult | undefined> {
    return new Promise((resolve, reject) => {
      // (A newer request for the same document replaces the one waiting: that document moved on.)
      const key = params.uri ?? params.fileName ?? `untitled:${params.languageId}`;
      this.waiting.get(key)?.resolve(undefined);
      this.waiting.set(key, { params, resolve, reject, ...(signal ? { signal } : {}) });
      this.startNext();
    });
  }

  dispose(): void {
    for (const w of this.waiting.values()) w.resolve(undefined);
    this.waiting.clear();
    this.running?.resolve(undefined);
    this.running = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private startNext(): void {
    if (this.running) return;
    const first = this.waiting.entries().next();
    if (first.done) return;
    const [key, next] = first.value;
    this.waiting.delete(key);
    if (next.signal?.aborted) {
      next.resolve(undefined);
      this.startNext();
      return;
    }
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (error) {
      next.reject(new Error(`the hints worker stopped: ${errorMessage(error)}`));
      this.startNext();
      return;
    }
    this.running = { ...next, id: this.nextId++ };
    worker.postMessage({ id: this.running.id, params: next.params } satisfies HintsWorkerRequest);
  }

  private start(): Worker {
    const worker = new Worker(this.file);
    worker.unref();
    worker.on('message', (reply: HintsWorkerReply) => {
      const running = this.running;
      if (!running || running.id !== reply.id) return;
      this.running = undefined;
      if ('error' in reply) running.reject(new Error(reply.error));
      else running.resolve(reply.result as PromptHintsResult);
      this.startNext();
    });
    const fail = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const running = this.running;
      this.running = undefined;
      running?.reject(new Error(`the hints worker stopped: ${error.message}`));
      this.startNext();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
