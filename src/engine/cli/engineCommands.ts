import { ENGINE_VERSION } from '../version';
import type { CliCommand } from './framework';

export const engineCommands: CliCommand[] = [
  {
    area: 'engine',
    verb: 'info',
    summary: 'Show the engine version and runtime.',
    options: {},
    async run() {
      const info = { version: ENGINE_VERSION, node: process.version, platform: `${process.platform}-${process.arch}` };
      return { json: info, text: `pepperpy-opt ${info.version} (node ${info.node}, ${info.platform})` };
    },
  },
];
