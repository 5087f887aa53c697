/**
 * The engine process as the extension sees it, without any `vscode` import so that the
 * protocol tests can drive it from plain Node: starts `dist/engine.js` lazily, speaks
 * JSON-RPC over its stdio, puts a timeout on every request (reset while the job reports
 * progress), forwards cancellation, detects a crashed or hung process, fails the
 * requests that were in flight with a clear error, and restarts with back-off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  CancellationTokenSource,
  createMessageConnection,
  ErrorCodes,
  type CancellationToken,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  type NotificationType,
  type RequestType,
} from 'vscode-jsonrpc/node';
import { EngineInfoRequest, JobProgressType, LogNotification, type JobProgress, type LogLevel } from '../../protocol/engine';
import { EngineError, errorMessage, isEngineErrorData, JsonRpcErrorNumbers, type EngineErrorData } from '../../protocol/errors';

export interface EngineLogger {
  log(level: LogLevel, message: string): void;
}

export interface EngineClientOptions {
  /** The engine entry script (dist/engine.js) or a test fixture. */
  serverPath: string;
  /** The Node binary to run it with; in VS Code, process.execPath with ELECTRON_RUN_AS_NODE. */
  nodePath?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  logger: EngineLogger;
  /** A request with no answer and no progress for this long fails with `timeout`. */
  requestTimeoutMs?: number;
  /** How long the health check after a time-out waits before declaring the process hung. */
  healthCheckTimeoutMs?: number;
  /** Crashes tolerated within `restartWindowMs` before the client stops restarting. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** First back-off delay; doubled after each crash in the window, capped at 30 s. */
  backoffBaseMs?: number;
  onStateChange?: (state: EngineState) => void;
}

export type EngineState = 'stopped' | 'starting' | 'running' | 'restarting' | 'failed';

export interface RequestOptions {
  /** Cancels the request: the engine gets `$/cancelRequest` and the promise rejects with `cancelled`. */
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  timeoutMs?: number;
  /**
   * Called once the engine has answered the request, the connection has gone, or the request
   * was never sent — also when the request was already settled by a cancel or a time-out:
   * from then on the engine no longer works on it.
   */
  onEngineDone?: () => void;
}

interface InFlight {
  id: number;
  method: string;
  reject(error: EngineError): void;
}

let nextProgressToken = 1;

export interface Subscription {
  dispose(): void;
}

interface NotificationSubscription {
  type: NotificationType<unknown>;
  handler: (params: unknown) => void;
}

export class EngineClient {
  private child: ChildProcess | undefined;
  private connection: MessageConnection | undefined;
  private starting: Promise<MessageConnection> | undefined;
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private crashTimes: number[] = [];
  private state: EngineState = 'stopped';
  private disposed = false;
  private lastExit: string | undefined;
  private readonly notificationSubscriptions = new Set<NotificationSubscription>();
  private readonly connectionSubscriptions = new Map<NotificationSubscription, { dispose(): void }>();
  private readonly stateListeners = new Set<(state: EngineState) => void>();
  /** Engine → extension requests (the editor's models), by method; looked up per call, so they survive restarts. */
  private readonly requestHandlers = new Map<string, (params: unknown, token: CancellationToken) => Promise<unknown>>();
  /** Engine → extension requests being answered now. */
  private servingEngine = 0;

  constructor(private readonly options: EngineClientOptions) {}

  /**
   * Subscribes to an engine → extension notification. The subscription survives restarts:
   * it is attached to every new connection until disposed. Handler errors are logged.
   */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Subscription {
    const subscription: NotificationSubscription = { type, handler: handler as (params: unknown) => void };
    this.notificationSubscriptions.add(subscription);
    if (this.connection) this.attachNotification(this.connection, subscription);
    return {
      dispose: () => {
        this.notificationSubscriptions.delete(subscription);
        this.connectionSubscriptions.get(subscription)?.dispose();
        this.connectionSubscriptions.delete(subscription);
      },
    };
  }

  /**
   * Serves an engine → extension request (a reverse request, e.g. `editorLm/chat`) on every
   * connection until disposed. The token is cancelled when the engine sends `$/cancelRequest`.
   * An EngineError goes back with its code and hint; anything else as `internal`.
   */
  onRequest<P, R>(type: RequestType<P, R, void>, handler: (params: P, token: CancellationToken) => Promise<R>): Subscription {
    if (this.requestHandlers.has(type.method)) throw new Error(`${type.method} is served twice.`);
    this.requestHandlers.set(type.method, handler as (params: unknown, token: CancellationToken) => Promise<unknown>);
    return { dispose: () => this.requestHandlers.delete(type.method) };
  }

  private async serveRequest(method: string, params: unknown, token: CancellationToken): Promise<unknown> {
    const handler = this.requestHandlers.get(method);
    if (!handler) return new ResponseError(ErrorCodes.MethodNotFound, `The extension does not serve ${method}.`);
    this.servingEngine++;
    try {
      return await handler(params, token);
    } catch (error) {
      const engineError = error instanceof EngineError ? error : token.isCancellationRequested ? new EngineError('cancelled', `${method} was cancelled.`) : new EngineError('internal', errorMessage(error));
      if (engineError.code === 'internal') this.options.logger.log('error', `${method} failed: ${engineError.message}`);
      const data: EngineErrorData = { code: engineError.code, ...(engineError.hint ? { hint: engineError.hint } : {}) };
      return new ResponseError(JsonRpcErrorNumbers[engineError.code], engineError.message, data);
    } finally {
      this.servingEngine--;
    }
  }

  /** Listens to state changes (besides the `onStateChange` option), e.g. to restore services after a crash. */
  onDidChangeState(listener: (state: EngineState) => void): Subscription {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  private attachNotification(connection: MessageConnection, subscription: NotificationSubscription): void {
    const disposable = connection.onNotification(subscription.type, (params: unknown) => {
      try {
        subscription.handler(params);
      } catch (error) {
        this.options.logger.log('error', `A handler of ${subscription.type.method} failed: ${errorMessage(error)}`);
      }
    });
    this.connectionSubscriptions.set(subscription, disposable);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get currentState(): EngineState {
    return this.state;
  }

  /** The methods of the requests sent to the engine and not yet settled, oldest first. */
  get inFlightMethods(): string[] {
    return [...this.inFlight.values()].map((entry) => entry.method);
  }

  /** Sends a request, starting the engine if needed. Rejects with an EngineError. */
  async request<P, R>(type: RequestType<P, R, void>, params: P, options: RequestOptions = {}): Promise<R> {
    let connection: MessageConnection;
    try {
      if (this.disposed) throw new EngineError('engineUnavailable', 'The PepperPy engine has been shut down.', 'Reload the window to start it again.');
      if (options.signal?.aborted) throw new EngineError('cancelled', `${type.method} was cancelled.`);
      connection = await this.ensureStarted();
      // Cancelled while the engine was starting: an abort listener added now would never fire (untitled46).
      if (options.signal?.aborted) throw new EngineError('cancelled', `${type.method} was cancelled.`);
    } catch (error) {
      // Never sent: the engine has nothing to finish.
      this.engineDone(options, type.method);
      throw error;
    }
    const id = this.nextId++;
    const tokenSource = new CancellationTokenSource();
    const progressToken = `pepperpy-${process.pid}-${nextProgressToken++}`;
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000;

    return new Promise<R>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const cleanups: Array<() => void> = [];
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        this.inFlight.delete(id);
        for (const cleanup of cleanups) cleanup();
        tokenSource.dispose();
        fn();
      };
      const armTimer = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          // While the extension answers a request of the engine's (an editor model's reply can
          // take minutes), the engine is waiting on us, not hung: the time-out waits too.
          if (this.servingEngine > 0) {
            armTimer();
            return;
          }
          tokenSource.cancel();
          finish(() =>
            reject(
              new EngineError(
                'timeout',
                `The engine did not answer ${type.method} within ${Math.round(timeoutMs / 1000)} s.`,
                'The request was cancelled; if the engine is hung it will be restarted. Try again, or raise pepperpy.engine.requestTimeoutMs.',
              ),
            ),
          );
          void this.checkHealth();
        }, timeoutMs);
      };

      this.inFlight.set(id, { id, method: type.method, reject: (error) => finish(() => reject(error)) });
      if (options.signal) {
        const onAbort = () => {
          tokenSource.cancel();
          finish(() => reject(new EngineError('cancelled', `${type.method} was cancelled.`)));
        };
        options.signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => options.signal?.removeEventListener('abort', onAbort));
      }
      const progressDisposable = connection.onProgress(JobProgressType, progressToken, (value) => {
        armTimer();
        options.onProgress?.(value);
      });
      cleanups.push(() => progressDisposable.dispose());
      armTimer();

      const withToken = typeof params === 'object' && params !== null ? { ...params, workDoneToken: progressToken } : params;
      connection
        .sendRequest(type, withToken, tokenSource.token)
        .then(
          (result) => finish(() => resolve(result)),
          (error: unknown) => finish(() => reject(this.toEngineError(error, type.method))),
        )
        .finally(() => this.engineDone(options, type.method));
    });
  }

  private engineDone(options: RequestOptions, method: string): void {
    try {
      options.onEngineDone?.();
    } catch (error) {
      this.options.logger.log('error', `An onEngineDone callback of ${method} failed: ${errorMessage(error)}`);
    }
  }

  /** Stops the process (if any) and starts afresh on the next request; clears the crash history. */
  async restart(): Promise<void> {
    this.crashTimes = [];
    this.stopProcess('restart requested');
    this.setState('stopped');
    await this.ensureStarted();
  }

  dispose(): void {
    this.disposed = true;
    this.stopProcess('shutting down');
    this.setState('stopped');
  }

  private setState(state: EngineState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state);
    for (const listener of [...this.stateListeners]) {
      try {
        listener(state);
      } catch (error) {
        this.options.logger.log('error', `An engine state listener failed: ${errorMessage(error)}`);
      }
    }
  }

  private toEngineError(error: unknown, method: string): EngineError {
    if (error instanceof EngineError) return error;
    if (error instanceof ResponseError) {
      if (isEngineErrorData(error.data)) return new EngineError(error.data.code, error.message, error.data.hint);
      if (error.code === -32601) return new EngineError('unsupported', `The engine does not know ${method}.`, 'The extension and its engine are out of step: reinstall the extension.');
      if (error.code === -32800) return new EngineError('cancelled', `${method} was cancelled.`);
      return new EngineError('internal', error.message, 'See PepperPy: Show Logs for details.');
    }
    const message = errorMessage(error);
    if (/connection (got )?disposed|closed|is disposed/i.test(message)) return this.crashError(method);
    return new EngineError('internal', `${method} failed: ${message}`, 'See PepperPy: Show Logs for details.');
  }

  private crashError(method: string): EngineError {
    return new EngineError(
      'engineCrashed',
      `The PepperPy engine stopped (${this.lastExit ?? 'connection lost'}) while running ${method}.`,
      'It is restarted automatically: run the command again. PepperPy: Show Logs has the details.',
    );
  }

  private async ensureStarted(): Promise<MessageConnection> {
    if (this.connection) return this.connection;
    if (this.starting) return this.starting;
    this.starting = this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async start(): Promise<MessageConnection> {
    const windowMs = this.options.restartWindowMs ?? 5 * 60_000;
    const now = Date.now();
    this.crashTimes = this.crashTimes.filter((t) => now - t < windowMs);
    const maxRestarts = this.options.maxRestarts ?? 5;
    if (this.crashTimes.length > maxRestarts) {
      this.setState('failed');
      throw new EngineError(
        'engineUnavailable',
        `The PepperPy engine crashed ${this.crashTimes.length} times in ${Math.round(windowMs / 60_000)} minutes, so it is not restarted automatically.`,
        'See PepperPy: Show Logs for the cause, then run PepperPy: Restart Engine.',
      );
    }
    if (this.crashTimes.length > 0) {
      const base = this.options.backoffBaseMs ?? 500;
      const delay = Math.min(30_000, base * 2 ** (this.crashTimes.length - 1));
      const wait = Math.max(0, this.crashTimes[this.crashTimes.length - 1] + delay - now);
      this.setState('restarting');
      if (wait > 0) {
        this.options.logger.log('info', `Restarting the engine in ${wait} ms (crash ${this.crashTimes.length} of ${maxRestarts} allowed).`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    } else {
      this.setState('starting');
    }

    const nodePath = this.options.nodePath ?? process.execPath;
    const child = spawn(nodePath, [this.options.serverPath, '--stdio', ...(this.options.args ?? [])], {
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (error) => resolve(error));
    });
    if (spawned) {
      this.crashTimes.push(Date.now());
      this.setState('stopped');
      throw new EngineError('engineUnavailable', `Could not start the PepperPy engine: ${spawned.message}.`, 'Check that the extension is installed completely, then run PepperPy: Restart Engine.');
    }
    this.child = child;
    this.lastExit = undefined;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) this.options.logger.log('warn', `[engine stderr] ${line}`);
    });

    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.onNotification(LogNotification.type, ({ level, message }) => {
      const safeLevel: LogLevel = ['trace', 'debug', 'info', 'warn', 'error'].includes(level) ? level : 'info';
      this.options.logger.log(safeLevel, `[engine] ${String(message)}`);
    });
    for (const subscription of this.notificationSubscriptions) this.attachNotification(connection, subscription);
    connection.onRequest((method: string, params: unknown, token: CancellationToken) => this.serveRequest(method, params, token));
    connection.onError(([error]) => this.options.logger.log('warn', `Malformed message from the engine: ${error.message}`));
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    child.stdin?.on('error', (error) => this.options.logger.log('debug', `engine stdin: ${error.message}`));
    connection.listen();
    this.connection = connection;
    // The running state comes after the connection is set, so listeners can send requests at once.
    this.setState('running');
    this.options.logger.log('info', `Engine started (pid ${child.pid}).`);
    return connection;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.lastExit = signal ? `signal ${signal}` : `exit code ${code}`;
    const expected = this.state === 'stopped' || this.disposed;
    this.child = undefined;
    const connection = this.connection;
    this.connection = undefined;
    connection?.dispose();
    if (!expected) {
      this.crashTimes.push(Date.now());
      this.options.logger.log('error', `The engine process ${child.pid} stopped unexpectedly (${this.lastExit}); ${this.inFlight.size} request(s) in flight failed.`);
      this.setState('restarting');
    }
    for (const entry of [...this.inFlight.values()]) entry.reject(this.crashError(entry.method));
  }

  /** After a time-out: ask the engine for its info; no answer means it is hung, so kill it. */
  private async checkHealth(): Promise<void> {
    const connection = this.connection;
    const child = this.child;
    if (!connection || !child) return;
    const timeoutMs = this.options.healthCheckTimeoutMs ?? 5_000;
    const alive = await Promise.race([
      connection.sendRequest(EngineInfoRequest.type, {}).then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs)),
    ]);
    if (!alive && this.child === child) {
      this.options.logger.log('error', `The engine process ${child.pid} did not answer a health check within ${timeoutMs} ms: killing it as hung.`);
      this.lastExit = 'hung, killed';
      child.kill('SIGKILL');
    }
  }

  private stopProcess(reason: string): void {
    const child = this.child;
    if (!child) return;
    this.options.logger.log('info', `Stopping engine ${child.pid}: ${reason}.`);
    this.setState('stopped');
    this.child = undefined;
    this.connection?.dispose();
    this.connection = undefined;
    child.kill();
    for (const entry of [...this.inFlight.values()]) {
      entry.reject(new EngineError('engineUnavailable', `The engine was stopped (${reason}) while running ${entry.method}.`, 'Run the command again.'));
    }
  }
}
