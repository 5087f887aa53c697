import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { HEURISTIC_SUGGESTION_KINDS } from '../../src/protocol/prompt';
import { analysisHeadline, type AnalysisViewState } from '../../src/protocol/webview';
import * as l10n from '@vscode/l10n';
import { custom, el, post, reportRendered, startPanel } from './lib/host';

const app = document.getElementById('app')!;
let errorBanner: string | undefined;

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function render(state: AnalysisViewState | undefined): void {
  app.replaceChildren();
  if (!state) {
    app.append(el('p', { className: 'muted', text: l10n.t('Run "PepperPy: Analyze Prompt" on a selection or a file.') }));
    reportRendered(app);
    return;
  }
  const header = el('header', { className: 'header' }, [el('h1', { text: l10n.t('Prompt analysis') }), el('span', { className: 'muted source', text: state.source })]);
  const select = custom('vscode-single-select', { id: 'model', 'aria-label': l10n.t('Model') });
  for (const model of state.models.length > 0 ? state.models : [state.model]) {
    const option = custom('vscode-option', model === state.model ? { value: model, selected: '' } : { value: model }, [model]);
    select.append(option);
  }
  select.addEventListener('change', () => {
    const value = (select as unknown as { value?: string }).value;
    if (typeof value === 'string' && value !== state.model) post({ type: 'analysis/reanalyze', model: value });
  });
  const toolbar = el('div', { className: 'toolbar' }, [el('label', { text: l10n.t('Model'), attrs: { for: 'model' } }), select]);
  if (state.analysis) {
    const copy = custom('vscode-button', { secondary: '' }, [l10n.t('Copy JSON')]);
    copy.addEventListener('click', () => post({ type: 'analysis/copyJson' }));
    toolbar.append(copy);
  }
  app.append(header, toolbar);

  if (errorBanner) app.append(el('div', { className: 'error', attrs: { role: 'alert' }, text: errorBanner }));
  if (state.stale) app.append(el('div', { className: 'note stale', attrs: { role: 'status', 'data-testid': 'stale' }, text: state.stale }));
  if (state.busy) {
    app.append(el('div', { className: 'busy' }, [custom('vscode-progress-ring'), el('span', { text: state.analysis ? l10n.t('Analyzing the edited text…') : l10n.t('Analyzing…') })]));
  } else if (state.error) {
    app.append(el('div', { className: 'error', attrs: { role: 'alert' }, text: state.error }));
  }

  const a = state.analysis;
  if (a) {
    // A prompt with runtime values leads with its fixed text's count, "≥ N", as the lens does.
    const head = analysisHeadline(state) ?? { tokens: a.tokens, atLeast: false, runtimeValues: [] };
    const t = head.tokens;
    const exact = t.method === 'exact';
    const big = el('section', { className: 'hero' }, [
      el('div', { className: 'hero-number', attrs: { 'data-testid': 'token-count' }, text: `${head.atLeast ? '≥' : exact ? '' : '~'}${fmt(t.count)}` }),
      el('div', { className: 'hero-label' }, [
        `${l10n.t('tokens for {0}', t.model)} `,
        // A count of the fixed text only is no exact count of the prompt (issue 12: "≥263 … exact · o200k_base" on
        // anything-llm's OBSERVER_SYSTEM_PROMPT, whose ${MAX_CANDIDATES_PER_RUN} is not counted; newuser44).
        custom('vscode-badge', { variant: exact ? 'counter' : 'default', title: t.note ?? l10n.t('Counted with {0}', t.encoding) }, [exact ? (head.atLeast ? l10n.t('lower bound · {0}', t.encoding) : l10n.t('exact · {0}', t.encoding)) : l10n.t('estimate')]),
      ]),
    ]);
    app.append(big);
    if (head.runtimeValues.length > 0) app.append(el('p', { className: 'note', attrs: { 'data-testid': 'runtime-values' }, text: l10n.t('Runtime values, not counted: {0}. The counts are for the fixed text only.', head.runtimeValues.join(', ')) }));
    if (t.note) app.append(el('p', { className: 'note', text: t.note }));

    const rows: Array<[string, string]> = [
      [l10n.t('Characters'), fmt(a.characterCount)],
      [l10n.t('Words'), fmt(a.wordCount)],
      [l10n.t('Lines'), fmt(a.lineCount)],
    ];
    if (a.language) rows.push([l10n.t('Language'), a.language]);
    if (a.complexityScore !== undefined) rows.push([l10n.t('Complexity'), `${a.complexityScore}/10`]);
    if (a.redundancyScore !== undefined) rows.push([l10n.t('Redundancy'), `${a.redundancyScore}/10`]);
    if (a.clarityScore !== undefined) rows.push([l10n.t('Clarity'), `${a.clarityScore}/10`]);
    rows.push([l10n.t('Engine time'), `${a.elapsedMs.toFixed(1)} ms`]);
    const table = el('table', { className: 'facts' }, rows.map(([k, v]) => el('tr', {}, [el('th', { text: k, attrs: { scope: 'row' } }), el('td', { text: v })])));
    app.append(table);

    app.append(custom('vscode-divider'));
    // Findings in the text (with their line and saving), then the heuristics about the whole prompt apart: they are wrong
    // on most real prompts (HEURISTIC_SUGGESTION_KINDS), so they are shown as questions to ask, not as defects.
    const listed = a.optimizationSuggestions.map((s, i) => ({ s, line: state.suggestionLines?.[i] }));
    const findings = listed.filter(({ s }) => !HEURISTIC_SUGGESTION_KINDS.has(s.kind));
    const checks = listed.filter(({ s }) => HEURISTIC_SUGGESTION_KINDS.has(s.kind));
    const item = ({ s, line }: (typeof listed)[number]) =>
      el('li', {}, [
        el('span', { className: 'kind', text: s.kind }),
        // Where it is in the file, so two findings of one word are told apart.
        typeof line === 'number' ? el('span', { className: 'muted line', text: ` ${l10n.t('line {0}', line)}` }) : '',
        ` ${s.message}`,
        s.tokensSaved > 0 ? el('span', { className: 'muted', text: ` ${s.tokensSaved === 1 ? l10n.t('(saves ~1 token)') : l10n.t('(saves ~{0} tokens)', fmt(s.tokensSaved))}` }) : '',
      ]);
    app.append(el('h2', { text: l10n.t('Suggestions ({0})', findings.length) }));
    if (findings.length === 0) app.append(el('p', { className: 'muted', text: l10n.t('No suggestions for this prompt.') }));
    else app.append(el('ul', { className: 'suggestions', attrs: { 'data-testid': 'suggestions' } }, findings.map(item)));
    if (checks.length > 0) {
      app.append(el('h2', { text: l10n.t('Worth checking ({0})', checks.length) }));
      app.append(el('p', { className: 'muted', text: l10n.t('Heuristics about the whole prompt, wrong on most real prompts we checked: a persona, a chat prompt, a user message or a prompt sent with a JSON schema needs no stated task or output format. The editor does not show them.') }));
      app.append(el('ul', { className: 'suggestions checks', attrs: { 'data-testid': 'checks' } }, checks.map(item)));
    }
  }
  reportRendered(app);
}

startPanel('analysis/didChange', (state, error) => {
  errorBanner = error;
  render(state);
});
