import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { AnalysisViewState } from '../../src/protocol/webview';
import { custom, el, post, reportRendered, startPanel } from './lib/host';

const app = document.getElementById('app')!;
let errorBanner: string | undefined;

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function render(state: AnalysisViewState | undefined): void {
  app.replaceChildren();
  if (!state) {
    app.append(el('p', { className: 'muted', text: 'Run "PepperPy: Analyze Prompt" on a selection or a file.' }));
    reportRendered(app);
    return;
  }
  const header = el('header', { className: 'header' }, [el('h1', { text: 'Prompt analysis' }), el('span', { className: 'muted source', text: state.source })]);
  const select = custom('vscode-single-select', { id: 'model', 'aria-label': 'Model' });
  for (const model of state.models.length > 0 ? state.models : [state.model]) {
    const option = custom('vscode-option', model === state.model ? { value: model, selected: '' } : { value: model }, [model]);
    select.append(option);
  }
  select.addEventListener('change', () => {
    const value = (select as unknown as { value?: string }).value;
    if (typeof value === 'string' && value !== state.model) post({ type: 'analysis/reanalyze', model: value });
  });
  const toolbar = el('div', { className: 'toolbar' }, [el('label', { text: 'Model', attrs: { for: 'model' } }), select]);
  if (state.analysis) {
    const copy = custom('vscode-button', { secondary: '' }, ['Copy JSON']);
    copy.addEventListener('click', () => post({ type: 'analysis/copyJson' }));
    toolbar.append(copy);
  }
  app.append(header, toolbar);

  if (errorBanner) app.append(el('div', { className: 'error', attrs: { role: 'alert' }, text: errorBanner }));
  if (state.busy) {
    app.append(el('div', { className: 'busy' }, [custom('vscode-progress-ring'), el('span', { text: 'Analyzing…' })]));
  } else if (state.error) {
    app.append(el('div', { className: 'error', attrs: { role: 'alert' }, text: state.error }));
  }

  const a = state.analysis;
  if (a) {
    const exact = a.tokens.method === 'exact';
    const big = el('section', { className: 'hero' }, [
      el('div', { className: 'hero-number', attrs: { 'data-testid': 'token-count' }, text: `${exact ? '' : '~'}${fmt(a.tokenCount)}` }),
      el('div', { className: 'hero-label' }, [
        `tokens for ${a.tokens.model} `,
        custom('vscode-badge', { variant: exact ? 'counter' : 'default', title: a.tokens.note ?? `Counted with ${a.tokens.encoding}` }, [exact ? `exact · ${a.tokens.encoding}` : 'estimate']),
      ]),
    ]);
    app.append(big);
    if (a.tokens.note) app.append(el('p', { className: 'note', text: a.tokens.note }));

    const rows: Array<[string, string]> = [
      ['Characters', fmt(a.characterCount)],
      ['Words', fmt(a.wordCount)],
      ['Lines', fmt(a.lineCount)],
    ];
    if (a.language) rows.push(['Language', a.language]);
    if (a.complexityScore !== undefined) rows.push(['Complexity', `${a.complexityScore}/10`]);
    if (a.redundancyScore !== undefined) rows.push(['Redundancy', `${a.redundancyScore}/10`]);
    if (a.clarityScore !== undefined) rows.push(['Clarity', `${a.clarityScore}/10`]);
    rows.push(['Engine time', `${a.elapsedMs.toFixed(1)} ms`]);
    const table = el('table', { className: 'facts' }, rows.map(([k, v]) => el('tr', {}, [el('th', { text: k, attrs: { scope: 'row' } }), el('td', { text: v })])));
    app.append(table);

    app.append(custom('vscode-divider'));
    app.append(el('h2', { text: `Suggestions (${a.optimizationSuggestions.length})` }));
    if (a.optimizationSuggestions.length === 0) {
      app.append(el('p', { className: 'muted', text: 'No suggestions for this prompt.' }));
    } else {
      app.append(
        el(
          'ul',
          { className: 'suggestions' },
          a.optimizationSuggestions.map((s) =>
            el('li', {}, [el('span', { className: 'kind', text: s.kind }), ` ${s.message}`, s.tokensSaved > 0 ? el('span', { className: 'muted', text: ` (saves ~${fmt(s.tokensSaved)} tokens)` }) : '']),
          ),
        ),
      );
    }
  }
  reportRendered(app);
}

startPanel('analysis/didChange', (state, error) => {
  errorBanner = error;
  render(state);
});
