/** The `pepperpy-opt` command-line entry: thin over the same engine modules as the server. */
import { costCommands } from './cli/costCommands';
import { benchmarkCommands } from './cli/benchmarkCommands';
import { engineCommands } from './cli/engineCommands';
import { localModelsCommand } from './cli/localModelsCommand';
import { modelCommands } from './cli/modelCommands';
import { runCli, type CliCommand, type CliIo } from './cli/framework';
import { pipelineCommands } from './cli/pipelineCommands';
import { promptCommands } from './cli/promptCommands';
import { scanCommand } from './cli/scanCommand';
import { readStreamCapped } from '../shared/files';
import * as path from 'node:path';
import { configureCliL10n } from './cli/l10n';

// Help and error messages follow LC_ALL / LC_MESSAGES / LANG; the bundles ship in l10n/cli/ beside dist/.
configureCliL10n(process.env, path.join(__dirname, '..', 'l10n', 'cli'));

export const allCommands: CliCommand[] = [...promptCommands, scanCommand, ...costCommands, ...modelCommands, ...pipelineCommands, ...benchmarkCommands, ...engineCommands, localModelsCommand];

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: (maxBytes) =>
    readStreamCapped(process.stdin, maxBytes ?? Number.POSITIVE_INFINITY).then(
      (bytes) => bytes.toString('utf8'),
      (error: unknown) => {
        // Over the cap: stop reading (the writer gets EPIPE) instead of draining it.
        process.stdin.destroy();
        throw error;
      },
    ),
};

// Output piped to a reader that stopped (`prompt scan … | head -3`): the rest is not wanted. The failed write was Node's
// unhandled 'error' event, a stack trace and status 1 after head's lines (breaker51); now the CLI ends quietly, as
// `git log | head` does. (A closed stderr loses only progress and messages: the command goes on.)
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
process.stderr.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

runCli(process.argv.slice(2), allCommands, io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pepperpy-opt: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
