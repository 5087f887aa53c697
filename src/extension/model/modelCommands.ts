/**
 * Model optimization commands: open the panel, open it on an .onnx file (palette or the
 * explorer's context menu), and the optional CUDA provider install, which shows the
 * engine CLI's explanation and runs nothing until the user says so.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../common/log';
import type { ModelPanel } from './modelPanel';

/** "PepperPy: Open Model Optimization". */
export function openModelOptimization(panel: ModelPanel): () => Promise<void> {
  return async () => {
    await panel.open();
  };
}

/** "PepperPy: Optimize ONNX Model…": with a file from the explorer, or one chosen now. */
export function optimizeOnnxModel(panel: ModelPanel): (uri?: vscode.Uri | string) => Promise<void> {
  return async (uri) => {
    let file = typeof uri === 'string' ? uri : uri instanceof vscode.Uri ? uri.fsPath : undefined;
    if (!file) {
      const active = vscode.window.activeTextEditor?.document.uri;
      if (active?.scheme === 'file' && /\.onnx$/i.test(active.fsPath)) file = active.fsPath;
    }
    if (!file) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('ONNX model')]: ['onnx'] }, title: vscode.l10n.t('PepperPy: choose an ONNX model to optimize') });
      file = picked?.[0]?.fsPath;
      if (!file) return;
    }
    await panel.open(file);
  };
}

/** Runs the engine CLI (`dist/cli.js`) with VS Code's own Node and returns its output. */
function runCli(cli: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 60_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && !stdout ? error.message : '') });
    });
  });
}

/**
 * "PepperPy: Set Up CUDA for onnxruntime-node…": shows `pepperpy-opt model cuda-setup`'s
 * explanation (providers available now, the command it would run) in a modal, and only
 * on "Install" runs the install in a terminal, where its download progress is visible.
 */
export function setUpCuda(context: vscode.ExtensionContext, log: Log): () => Promise<void> {
  return async () => {
    const cli = path.join(context.extensionPath, 'dist', 'cli.js');
    const explained = await runCli(cli, ['model', 'cuda-setup']);
    if (explained.code !== 0) {
      log.error(`cuda-setup failed (exit ${explained.code}): ${explained.stderr}`);
      await log.showErrorWithLogs(vscode.l10n.t('PepperPy: could not check the CUDA provider: {0}', explained.stderr.trim().split('\n')[0] || `exit ${explained.code}`));
      return;
    }
    const text = explained.stdout.trim();
    log.info(`cuda-setup:\n${text}`);
    const install = vscode.l10n.t('Install CUDA Provider');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Set up the CUDA execution provider for onnxruntime-node?'),
      { modal: true, detail: `${text.replace(/\nRun again with --run to do it\.$/, '')}\n\n${vscode.l10n.t('Installing downloads several hundred MB and needs an NVIDIA GPU with CUDA 12 and cuDNN 9. Nothing has been changed yet.')}` },
      install,
    );
    if (choice !== install) return;
    const terminal = vscode.window.createTerminal({ name: 'PepperPy: CUDA setup', shellPath: process.execPath, shellArgs: [cli, 'model', 'cuda-setup', '--run'], env: { ELECTRON_RUN_AS_NODE: '1' } });
    terminal.show();
    log.info('cuda-setup: the install runs in the "PepperPy: CUDA setup" terminal.');
  };
}
