/** The `pepperpy-opt` command-line entry: thin over the same engine modules as the server. */
import { costCommands } from './cli/costCommands';
import { benchmarkCommands } from './cli/benchmarkCommands';
import { engineCommands } from './cli/engineCommands';
import { modelCommands } from './cli/modelCommands';
import { runCli, type CliCommand, type CliIo } from './cli/framework';
import { pipelineCommands } from './cli/pipelineCommands';
import { promptCommands } from './cli/promptCommands';
import { scanCommand } from './cli/scanCommand';

export const allCommands: CliCommand[] = [...promptCommands, scanCommand, ...costCommands, ...modelCommands, ...pipelineCommands, ...benchmarkCommands, ...engineCommands];

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
      process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      process.stdin.on('error', reject);
    }),
};

runCli(process.argv.slice(2), allCommands, io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pepperpy-opt: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
