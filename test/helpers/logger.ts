import type { LogLevel } from '../../src/protocol/engine';
import type { EngineLogger } from '../../src/extension/client/engineClient';

/** Collects log lines so tests can assert on what was logged. */
export class MemoryLogger implements EngineLogger {
  readonly lines: Array<{ level: LogLevel; message: string }> = [];
  log(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
  }
  has(level: LogLevel, pattern: RegExp): boolean {
    return this.lines.some((l) => l.level === level && pattern.test(l.message));
  }
}
