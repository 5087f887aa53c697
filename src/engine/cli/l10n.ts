/**
 * The CLI's language, from the environment as POSIX tools read it: LC_ALL, then
 * LC_MESSAGES, then LANG (the first one set and not empty wins). `pt_BR.UTF-8`, `pt_BR`,
 * `pt-BR` and `pt_BR@…` select Brazilian Portuguese; anything else, C and POSIX included,
 * keeps English, and so does a codeset other than UTF-8 (`pt_BR.ISO-8859-1`). Messages go
 * through @vscode/l10n, whose bundle ships in l10n/cli/ next to dist/ (the same format as
 * the extension's, made with `npx @vscode/l10n-dev export`).
 * `--json` keys never change with the language; only the text people read does.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

/** Languages the CLI has a bundle for, as VS Code names them. */
export const CLI_LANGUAGES = ['pt-br'] as const;
export type CliLanguage = (typeof CLI_LANGUAGES)[number];

/** The language the environment asks for, if the CLI has it; undefined means English. */
export function cliLanguage(env: NodeJS.ProcessEnv): CliLanguage | undefined {
  const raw = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  if (!raw) return undefined;
  // The CLI writes UTF-8 only, so a locale naming another codeset (pt_BR.ISO-8859-1) keeps
  // English, which reads the same in any of them, rather than printing "nÃ£o" for "não".
  const codeset = /\.([^@]*)/.exec(raw)?.[1];
  if (codeset !== undefined && !/^utf-?8$/i.test(codeset)) return undefined;
  // "pt_BR.UTF-8@euro" → "pt-br": drop the codeset and modifier, unify the separator.
  const name = raw.split(/[.@]/)[0].replace('_', '-').toLowerCase();
  return (CLI_LANGUAGES as readonly string[]).includes(name) ? (name as CliLanguage) : undefined;
}

/**
 * Loads the bundle for the environment's language from `dir` (l10n/cli). A missing bundle
 * (a copy of dist/ without l10n/) leaves English rather than failing the command.
 */
export function configureCliL10n(env: NodeJS.ProcessEnv, dir: string): CliLanguage | undefined {
  const language = cliLanguage(env);
  if (!language) return undefined;
  const fsPath = path.join(dir, `bundle.l10n.${language}.json`);
  if (!existsSync(fsPath)) return undefined;
  l10n.config({ fsPath });
  return language;
}
