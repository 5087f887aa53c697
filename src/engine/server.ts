/**
 * The engine process: JSON-RPC over stdio (vscode-jsonrpc). Started by the extension with
 * `node dist/engine.js --stdio`. stdout carries protocol messages only, so everything
 * that would print is sent as a `log/didLog` notification instead.
 */
import { createMessageConnection, ResponseError, type CancellationToken, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { JobProgressType, LogNotification, type LogLevel, type WorkDoneParams } from '../protocol/engine';
import { EngineError, JsonRpcErrorNumbers, type EngineErrorData } from '../protocol/errors';
import type { HandlerContext } from './context';
import { toEngineError } from './errors';
import { FrameGuard } from './framing';
import { createHandlers } from './handlers';

/** Largest JSON-RPC message the engine reads (a 20 MB prompt, JSON-escaped, fits). */
const MAX_MESSAGE_BYTES = 64 * 2 ** 20;

const writer = new StreamMessageWriter(process.stdout);
// Frames are checked before vscode-jsonrpc reads them: see framing.ts.
const guard = new FrameGuard({
  maxContentLength: MAX_MESSAGE_BYTES,
  onRejected: (error, id) => {
    writer.write({ jsonrpc: '2.0', id, error } as Parameters<typeof writer.write>[0]).catch(() => undefined);
  },
  onFatal: (message) => {
    process.stderr.write(`PepperPy engine: the protocol stream is broken (${message}) Exiting so that the client restarts the engine.\n`);
    process.exit(3);
  },
});
process.stdin.pipe(guard);
const reader = new StreamMessageReader(guard);
const connection = createMessageConnection(reader, writer);

function log(level: LogLevel, message: string): void {
  connection.sendNotification(LogNotification.type, { level, message }).catch(() => undefined);
}

// Third-party code that prints must not corrupt the protocol stream.
/* eslint-disable no-console */
console.log = (...args: unknown[]) => log('info', args.map(String).join(' '));
console.info = console.log;
console.debug = (...args: unknown[]) => log('debug', args.map(String).join(' '));
console.warn = (...args: unknown[]) => log('warn', args.map(String).join(' '));
console.error = (...args: unknown[]) => log('error', args.map(String).join(' '));
/* eslint-enable no-console */

const debug = process.env.PEPPERPY_ENGINE_DEBUG === '1';
// With debug on, every request can be held back for a while so that tests can kill or
// cancel the engine while a real request is in flight.
const debugDelayMs = debug ? Math.max(0, Number(process.env.PEPPERPY_ENGINE_DEBUG_DELAY_MS ?? 0) || 0) : 0;
const handlers = createHandlers({ debug });

for (const [method, handler] of handlers) {
  connection.onRequest(method, async (received: unknown, token: CancellationToken) => {
    let params = received;
    // The progress token is transport, not a parameter: handlers validate what is left strictly.
    let workDoneToken: WorkDoneParams['workDoneToken'];
    if (typeof params === 'object' && params !== null && !Array.isArray(params) && 'workDoneToken' in params) {
      const { workDoneToken: progressToken, ...rest } = params as WorkDoneParams & Record<string, unknown>;
      workDoneToken = progressToken;
      params = rest;
    }
    // A progress token is an integer or a string (LSP ProgressToken). Anything else was echoed in
    // every $/progress notification: a deeply nested one overflowed the stack while the writer
    // serialised it ("Protocol error: Maximum call stack size exceeded"), one notification at a time.
    const tokenProblem =
      workDoneToken === undefined || typeof workDoneToken === 'string' || (typeof workDoneToken === 'number' && Number.isSafeInteger(workDoneToken))
        ? undefined
        : `Invalid parameters for ${method}: workDoneToken must be a string or an integer, got ${workDoneToken === null ? 'null' : Array.isArray(workDoneToken) ? 'an array' : typeof workDoneToken === 'object' ? 'an object' : `a ${typeof workDoneToken}`}.`;
    const ctx: HandlerContext = {
      token,
      progress: (value) => {
        if (workDoneToken !== undefined) connection.sendProgress(JobProgressType, workDoneToken, value).catch(() => undefined);
      },
      log,
      notify: (notification, value) => {
        connection.sendNotification(notification, value).catch(() => undefined);
      },
    };
    const started = performance.now();
    try {
      if (tokenProblem) throw new EngineError('badRequest', tokenProblem, 'Pass a string or an integer as workDoneToken, or none.');
      if (debugDelayMs > 0 && method !== 'engine/info') await new Promise((resolve) => setTimeout(resolve, debugDelayMs));
      const result = await handler(params, ctx);
      log('debug', `${method} done in ${(performance.now() - started).toFixed(1)} ms`);
      return result;
    } catch (error) {
      const engineError = toEngineError(error);
      if (engineError.code === 'internal') log('error', `${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const data: EngineErrorData = { code: engineError.code, ...(engineError.hint ? { hint: engineError.hint } : {}) };
      return new ResponseError(JsonRpcErrorNumbers[engineError.code], engineError.message, data);
    }
  });
}

connection.onError(([error]) => log('error', `Protocol error: ${error.message}`));
connection.onClose(() => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.on('uncaughtException', (error) => log('error', `Uncaught exception: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => log('error', `Unhandled rejection: ${String(reason)}`));

connection.listen();
log('info', `PepperPy engine ${process.pid} started (${process.version}, ${process.platform}-${process.arch}${debug ? ', debug methods on' : ''}).`);
