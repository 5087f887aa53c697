/**
 * The engine process: JSON-RPC over stdio (vscode-jsonrpc). Started by the extension with
 * `node dist/engine.js --stdio`. stdout carries protocol messages only, so everything
 * that would print is sent as a `log/didLog` notification instead. Requests go through the
 * one dispatcher (src/engine/rpc.ts), which validates, strips the progress token and maps errors.
 */
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { JobProgressType, LogNotification, type LogLevel } from '../protocol/engine';
import { FrameGuard } from './framing';
import { createDispatcher } from './handlers';
import { connectionEditorLmPeer } from './editorLmConnection';
import { setEditorLmPeer } from './providers/editorLm';

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
createDispatcher({ debug, delayMs: debugDelayMs }).attach(connection, (token) => ({
  token,
  log,
  notify: (notification, value) => {
    connection.sendNotification(notification, value).catch(() => undefined);
  },
  progress: (value, workDoneToken) => {
    if (workDoneToken !== undefined) connection.sendProgress(JobProgressType, workDoneToken, value).catch(() => undefined);
  },
}));

// `vscode:` models are served by the extension host on this same connection (reverse requests).
setEditorLmPeer(connectionEditorLmPeer(connection));

connection.onError(([error]) => log('error', `Protocol error: ${error.message}`));
connection.onClose(() => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.on('uncaughtException', (error) => log('error', `Uncaught exception: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => log('error', `Unhandled rejection: ${String(reason)}`));

connection.listen();
log('info', `PepperPy engine ${process.pid} started (${process.version}, ${process.platform}-${process.arch}${debug ? ', debug methods on' : ''}).`);
