/**
 * The engine's one request dispatcher (compare rust-analyzer's handlers/dispatch.rs). Every
 * area registers its methods with `on(RequestType, schema, handler)`; `dispatch` then does,
 * in one place and in this order, what each request needs before and after its handler:
 * takes the progress token out of the parameters (and refuses one that is not a string or
 * an integer), validates what is left against the schema (a `badRequest` that names the
 * fields), runs the handler, and turns whatever it throws into an EngineError. `attach`
 * serves the registered methods on a JSON-RPC connection (src/engine/server.ts); tests
 * call `dispatch` directly. The CLI does not come through here: it calls the same engine
 * modules itself (src/engine/cli/*).
 */
import { ErrorCodes, ResponseError, type CancellationToken, type MessageConnection, type RequestType } from 'vscode-jsonrpc';
import { z } from 'zod';
import type { JobProgress, LogLevel, WorkDoneParams } from '../protocol/engine';
import { EngineError, JsonRpcErrorNumbers, type EngineErrorData } from '../protocol/errors';
import type { CancellationLike, HandlerContext } from './context';
import { toEngineError } from './errors';
import { validate } from './validate';

type ProgressToken = NonNullable<WorkDoneParams['workDoneToken']>;

/** What the caller (the JSON-RPC connection, a test) gives one request besides its parameters. */
export interface RequestScope {
  token: CancellationLike;
  log(level: LogLevel, message: string): void;
  /** Engine → extension notifications; absent where no one listens. */
  notify?(method: string, params: unknown): void;
  /** One progress report, with the request's own progress token (undefined when it sent none). */
  progress(value: JobProgress, workDoneToken: ProgressToken | undefined): void;
}

/** A handler: the validated parameters in, the typed result out. */
export type RequestHandler<P, R> = (params: P, ctx: HandlerContext) => Promise<R> | R;

interface Route {
  schema: z.ZodType;
  hint: string | undefined;
  handler: RequestHandler<unknown, unknown>;
}

/**
 * The schema of a method whose handler hands its parameters to a library entry point that
 * validates them itself with the same `validate` (the cost classes, the model jobs, the
 * ledger reads the CLI also calls): the dispatcher passes them on untouched — the cost
 * optimizer needs the raw object to keep a task named `__proto__` — and they keep their
 * own wording of the error.
 */
export function checkedByHandler<P>(): z.ZodType<P> {
  return z.custom<P>();
}

/** The schema of a method without parameters: whatever is sent is ignored, as it always was. */
export const noParams = z.unknown();

export interface DispatcherOptions {
  /** Holds every request but `engine/info` back this long (debug runs: tests cancel or kill a request in flight). */
  delayMs?: number;
}

export class Dispatcher {
  private readonly routes = new Map<string, Route>();

  constructor(private readonly options: DispatcherOptions = {}) {}

  /**
   * Registers `type`'s method. Parameters failing `schema` are refused as `Invalid parameters
   * for <method>: ...` with `hint` (default: the protocol folder) as what to do about it.
   */
  on<P, R, S extends z.ZodType>(type: RequestType<P, R, void>, schema: S, handler: RequestHandler<z.output<S>, R>, hint?: string): this {
    if (this.routes.has(type.method)) throw new Error(`${type.method} is registered twice.`);
    this.routes.set(type.method, { schema, hint, handler: handler as RequestHandler<unknown, unknown> });
    return this;
  }

  methods(): string[] {
    return [...this.routes.keys()];
  }

  has(method: string): boolean {
    return this.routes.has(method);
  }

  /** Runs one request; rejects with an EngineError only (an `internal` one is logged with its stack). */
  async dispatch(method: string, received: unknown, scope: RequestScope): Promise<unknown> {
    const started = performance.now();
    try {
      const route = this.routes.get(method);
      if (!route) throw new EngineError('badRequest', `Unknown method ${method}.`, 'Check the method name against src/protocol/engine.ts.');
      const { params, workDoneToken } = splitWorkDone(received, method);
      if ((this.options.delayMs ?? 0) > 0 && method !== 'engine/info') await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
      // Cancelled before it started (the client asked again while the engine was busy: each edit's hints replace the last
      // one's): not run. vscode-jsonrpc still dispatches a queued request whose `$/cancelRequest` came, with its token cancelled.
      if (scope.token.isCancellationRequested) throw new EngineError('cancelled', `${method} was cancelled before it started.`);
      const ctx: HandlerContext = {
        token: scope.token,
        progress: (value) => scope.progress(value, workDoneToken),
        log: (level, message) => scope.log(level, message),
        ...(scope.notify ? { notify: (notification: string, value: unknown) => scope.notify?.(notification, value) } : {}),
      };
      const result = await route.handler(validate(route.schema, params, method, route.hint), ctx);
      scope.log('debug', `${method} done in ${(performance.now() - started).toFixed(1)} ms`);
      return result;
    } catch (error) {
      const engineError = toEngineError(error);
      if (engineError.code === 'internal') scope.log('error', `${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      throw engineError;
    }
  }

  /**
   * Serves every registered method on `connection`; errors go back as JSON-RPC errors with the
   * EngineError's code. One catch-all handler, so that each method gets the parameters exactly
   * as sent: vscode-jsonrpc's per-method handlers are called with the cancellation token in the
   * parameters' place when a request has none, and with an array's items spread, which the
   * schemas then misread. Omitted parameters count as `{}` (JSON-RPC 2.0 §4.2 allows omitting
   * them); parameters by position (an array) are refused by the schema, which expects an object.
   */
  attach(connection: MessageConnection, scopeFor: (token: CancellationToken) => RequestScope): void {
    connection.onRequest(async (method: string, received: unknown, token: CancellationToken) => {
      if (!this.routes.has(method)) return new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`);
      try {
        return await this.dispatch(method, received === undefined ? {} : received, scopeFor(token));
      } catch (error) {
        const engineError = toEngineError(error);
        const data: EngineErrorData = { code: engineError.code, ...(engineError.hint ? { hint: engineError.hint } : {}) };
        return new ResponseError(JsonRpcErrorNumbers[engineError.code], engineError.message, data);
      }
    });
  }
}

/**
 * The progress token is transport, not a parameter: it is taken out here, once, so that the
 * schemas check what is left strictly. It must be an integer or a string (LSP ProgressToken):
 * anything else was echoed in every $/progress notification, and a deeply nested one
 * overflowed the stack while the writer serialised it, one notification at a time.
 */
function splitWorkDone(received: unknown, method: string): { params: unknown; workDoneToken: ProgressToken | undefined } {
  if (typeof received !== 'object' || received === null || Array.isArray(received) || !('workDoneToken' in received)) return { params: received, workDoneToken: undefined };
  const { workDoneToken, ...params } = received as { workDoneToken?: unknown } & Record<string, unknown>;
  if (workDoneToken === undefined || typeof workDoneToken === 'string' || (typeof workDoneToken === 'number' && Number.isSafeInteger(workDoneToken))) return { params, workDoneToken };
  const got = workDoneToken === null ? 'null' : Array.isArray(workDoneToken) ? 'an array' : typeof workDoneToken === 'object' ? 'an object' : `a ${typeof workDoneToken}`;
  throw new EngineError('badRequest', `Invalid parameters for ${method}: workDoneToken must be a string or an integer, got ${got}.`, 'Pass a string or an integer as workDoneToken, or none.');
}
