import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
// Only what the bar chart uses is registered, so the bundle leaves the rest of Chart.js out.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { CostHistory, CostMonitorStatus, OptimizationPlan } from '../../src/protocol/cost';
import type { CostViewState } from '../../src/protocol/webview';
import { baseOptions, chartTheme, legendLabels, themedAxis } from './lib/charts';
import * as l10n from '@vscode/l10n';
import { custom, el, post, showText, startPanel } from './lib/host';
import { errorMessage } from '../../src/protocol/errors';
import { isFineTuneAtBaseRate } from '../../src/protocol/fineTune';
import { usd } from '../../src/protocol/format';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const app = document.getElementById('app')!;
let current: CostViewState | undefined;
let errorBanner: string | undefined;
let chart: Chart | undefined;
let chartKey = '';

function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
/** Requests whose cost the ledger does not know (cut by a time-out, stop or hang-up, or unpriced): not in the totals beside them. */
function unknownText(n: number | undefined): string {
  if (!n) return '';
  return n === 1 ? l10n.t('1 request of unknown cost (cut by a time-out, stop or hang-up, or unpriced) not included') : l10n.t('{0} requests of unknown cost (cut by a time-out, stop or hang-up, or unpriced) not included', int(n));
}
function pct(n: number): string {
  return `${n > 0 ? '+' : ''}${n.toFixed(1)}%`;
}

// ---- Layout: built once, so typing in the forms survives the updates that arrive as requests are recorded ----

const banner = el('div', { className: 'error', attrs: { role: 'alert', hidden: '' } });
const busy = el('div', { className: 'busy', attrs: { hidden: '' } }, [custom('vscode-progress-ring'), el('span')]);
const monitorSection = el('section', { className: 'card', attrs: { 'aria-label': l10n.t('Cost monitor') } });
const chartCanvas = el('canvas', { attrs: { role: 'img', 'aria-label': l10n.t('Spend per day by model') } });
const chartBox = el('div', { className: 'chart-box' }, [chartCanvas]);
const chartCaption = el('p', { className: 'muted' });
const chartEmpty = el('p', { className: 'empty' });
const todaySection = el('div');
const alertsSection = el('div');
const estimateResult = el('div');
const planResult = el('div');

function field(label: string, id: string, value: string, attrs: Record<string, string> = {}): { row: HTMLElement; input: HTMLElement & { value: string } } {
  const input = custom('vscode-textfield', { id, value, ...attrs }) as HTMLElement & { value: string };
  const row = el('div', { className: 'field' }, [el('label', { text: label, attrs: { for: id } }), input]);
  return { row, input };
}

function number(input: { value: string }, what: string, problems: string[]): number {
  const text = String(input.value ?? '').trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) problems.push(l10n.t('{0} must be a number.', what));
  return n;
}

const estimateFields = {
  model: field(l10n.t('Model'), 'est-model', 'gpt-5.4'),
  input: field(l10n.t('Avg input tokens'), 'est-in', '500', { type: 'number', min: '0' }),
  output: field(l10n.t('Avg output tokens'), 'est-out', '300', { type: 'number', min: '0' }),
  queries: field(l10n.t('Queries per day'), 'est-qpd', '1000', { type: 'number', min: '0' }),
  days: field(l10n.t('Days'), 'est-days', '30', { type: 'number', min: '0' }),
};
const estimateButton = custom('vscode-button', { id: 'estimate' }, [l10n.t('Estimate')]);
const estimateProblem = el('p', { className: 'error', attrs: { hidden: '' } });
estimateButton.addEventListener('click', () => {
  const problems: string[] = [];
  const message = {
    type: 'cost/estimate' as const,
    model: String(estimateFields.model.input.value ?? '').trim(),
    avgInputTokens: number(estimateFields.input.input, l10n.t('Average input tokens'), problems),
    avgOutputTokens: number(estimateFields.output.input, l10n.t('Average output tokens'), problems),
    queriesPerDay: number(estimateFields.queries.input, l10n.t('Queries per day'), problems),
    days: number(estimateFields.days.input, l10n.t('Days'), problems),
  };
  if (message.model === '') problems.push(l10n.t('Enter a model name.'));
  showProblem(estimateProblem, problems);
  if (problems.length === 0) post(message);
});

// The result below the form always belongs to the figures in the form: the host's form
// (set by the panel or by "PepperPy: Estimate Cost…") is written into the fields whenever
// it changes, and a result whose figures the user has since edited is not shown.
type EstimateForm = CostViewState['estimateForm'];
function numberOrNull(text: string): number | null {
  const t = text.trim();
  const n = Number(t);
  return t === '' || !Number.isFinite(n) ? null : n;
}
function formKey(f: EstimateForm): string {
  return JSON.stringify([f.model.trim(), f.avgInputTokens, f.avgOutputTokens, f.queriesPerDay, f.days]);
}
function fieldsKey(): string {
  const text = (f: { input: { value: string } }) => String(f.input.value ?? '');
  return JSON.stringify([text(estimateFields.model).trim(), ...[estimateFields.input, estimateFields.output, estimateFields.queries, estimateFields.days].map((f) => numberOrNull(text(f)))]);
}
let appliedEstimateForm = '';
for (const f of Object.values(estimateFields)) {
  for (const event of ['input', 'change']) {
    f.input.addEventListener(event, () => {
      if (!current) return;
      renderEstimate(current);
      report();
    });
  }
}

const planHeading = el('h2', { text: l10n.t('Cost reduction plan') });
const SAMPLE_SOURCE = l10n.t("Current setup: models per task and usage per task (the example from the PepperPy Python module's cost optimizer; snake_case keys are accepted too).");
const setupSource = el('p', { className: 'muted', attrs: { 'data-testid': 'plan-source' }, text: SAMPLE_SOURCE });
const setupArea = custom('vscode-textarea', { id: 'plan-setup', rows: '14', resize: 'vertical', 'aria-label': l10n.t('Current setup (JSON)') }) as HTMLElement & { value: string };
const planFields = {
  quality: field(l10n.t('Max quality reduction (0-1)'), 'plan-mqr', '0.1', { type: 'number', min: '0', max: '1', step: '0.05' }),
  target: field(l10n.t('Target cost reduction (0-1)'), 'plan-tcr', '0.3', { type: 'number', min: '0', max: '1', step: '0.05' }),
};
const planButton = custom('vscode-button', { id: 'plan' }, [l10n.t('Plan')]);
const planProblem = el('p', { className: 'error', attrs: { hidden: '' } });
planButton.addEventListener('click', () => {
  const problems: string[] = [];
  const maxQualityReduction = number(planFields.quality.input, l10n.t('Max quality reduction'), problems);
  const targetCostReduction = number(planFields.target.input, l10n.t('Target cost reduction'), problems);
  for (const [what, n] of [[l10n.t('Max quality reduction'), maxQualityReduction], [l10n.t('Target cost reduction'), targetCostReduction]] as const) {
    if (Number.isFinite(n) && (n < 0 || n > 1)) problems.push(l10n.t('{0} must be between 0 and 1.', what));
  }
  showProblem(planProblem, problems);
  if (problems.length === 0) post({ type: 'cost/optimize', currentSetup: String(setupArea.value ?? ''), maxQualityReduction, targetCostReduction });
});

function showProblem(node: HTMLElement, problems: string[]): void {
  showText(node, problems.join(' '));
}

const refresh = custom('vscode-button', { secondary: '', id: 'refresh' }, [l10n.t('Refresh')]);
refresh.addEventListener('click', () => post({ type: 'cost/refresh' }));

app.replaceChildren(
  el('header', { className: 'header' }, [el('h1', { text: l10n.t('Cost Dashboard') }), el('span', { className: 'muted', text: l10n.t('LLM spend recorded by the PepperPy cost monitor') }), refresh]),
  banner,
  busy,
  monitorSection,
  el('h2', { text: l10n.t('Spend over time by model') }),
  chartEmpty,
  chartBox,
  chartCaption,
  el('div', { className: 'columns' }, [el('section', {}, [el('h2', { text: l10n.t('Today (UTC)') }), todaySection]), el('section', {}, [el('h2', { text: l10n.t('Alerts') }), alertsSection])]),
  custom('vscode-divider'),
  el('h2', { text: l10n.t('Estimate') }),
  el('div', { className: 'form-row' }, [...Object.values(estimateFields).map((f) => f.row), estimateButton]),
  estimateProblem,
  estimateResult,
  custom('vscode-divider'),
  planHeading,
  setupSource,
  setupArea,
  el('div', { className: 'form-row' }, [planFields.quality.row, planFields.target.row, planButton]),
  planProblem,
  planResult,
);

// ---- Rendering of what the host sends ----

function table(head: string[], rows: Array<Array<string | Node>>, className = 'grid'): HTMLTableElement {
  return el('table', { className }, [
    el('thead', {}, [el('tr', {}, head.map((h) => el('th', { text: h, attrs: { scope: 'col' } })))]),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, [c]))))),
  ]);
}

function code(text: string): HTMLElement {
  return el('code', { text });
}

function renderMonitor(state: CostViewState): void {
  const m = state.monitor;
  const running = m.running;
  const status = m as CostMonitorStatus;
  const port = running ? status.port : state.configuredPort;
  const base = `http://127.0.0.1:${portText(port)}`;
  const button = custom('vscode-button', running ? { secondary: '', id: 'monitor-toggle' } : { id: 'monitor-toggle' }, [running ? l10n.t('Stop monitor') : l10n.t('Start monitor')]);
  button.addEventListener('click', () => post({ type: running ? 'cost/stopMonitor' : 'cost/startMonitor' }));
  monitorSection.replaceChildren(
    el('div', { className: 'monitor-head' }, [
      el('h2', { text: l10n.t('Monitor') }),
      el('span', { className: running ? 'state on' : 'state off', attrs: { 'data-testid': 'monitor-state' }, text: running ? l10n.t('Running') : l10n.t('Stopped') }),
      button,
    ]),
    el('p', { className: 'muted', text: running ? l10n.t('Point your clients at the proxy; it forwards each request with your key untouched and records its cost:') : l10n.t('When started, the proxy listens on 127.0.0.1. Point your clients at it:') }),
    el('div', { className: 'env' }, [code(`OPENAI_BASE_URL=${running ? status.openAiBaseUrl : `${base}/v1`}`), code(`ANTHROPIC_BASE_URL=${running ? status.anthropicBaseUrl : base}`)]),
    el('p', { className: 'muted small' }, [l10n.t('Ledger: {0}', `${running ? status.ledger : state.ledger}`), running && status.alertThreshold !== undefined ? ` · ${l10n.t('Daily alert threshold: {0}', usd(status.alertThreshold))}` : '']),
  );
}

/** Port 0 means "any free port": the real one is known once the monitor runs. */
function portText(port: number | undefined): string {
  return port === undefined || port === 0 ? 'PORT' : String(port);
}

function renderChart(history: CostHistory | undefined, state: CostViewState): void {
  const empty = !history || history.requests === 0;
  const port = state.monitor.running ? (state.monitor).port : state.configuredPort;
  showText(chartEmpty, empty ? l10n.t('No requests recorded yet — start the monitor and point your client at {0} (or {1}).', `OPENAI_BASE_URL=http://127.0.0.1:${portText(port)}/v1`, `ANTHROPIC_BASE_URL=http://127.0.0.1:${portText(port)}`) : undefined);
  chartBox.toggleAttribute('hidden', empty);
  if (empty || !history) {
    chart?.destroy();
    chart = undefined;
    chartKey = '';
    chartCaption.textContent = '';
    return;
  }
  const busiest = history.days.reduce((a, b) => (b.totalCost > a.totalCost ? b : a));
  const unknown = unknownText(history.unknownCostRequests);
  chartCaption.textContent = `${history.models.length === 1 ? l10n.t('Last {0} days: {1} over {2} requests across 1 model; highest on {3} ({4}).', history.days.length, usd(history.totalCost), int(history.requests), busiest.day, usd(busiest.totalCost)) : l10n.t('Last {0} days: {1} over {2} requests across {3} models; highest on {4} ({5}).', history.days.length, usd(history.totalCost), int(history.requests), history.models.length, busiest.day, usd(busiest.totalCost))}${unknown ? ` ${unknown}.` : ''}`;
  const key = JSON.stringify(history.days);
  if (key === chartKey && chart) return;
  chartKey = key;
  const theme = chartTheme();
  const { palette } = theme;
  const axis = themedAxis(theme);
  chart?.destroy();
  chart = new Chart(chartCanvas, {
    type: 'bar',
    data: {
      labels: history.days.map((d) => d.day.slice(5)),
      datasets: history.models.map((model, i) => ({
        label: model,
        // Own keys only: a model named toString or constructor must not read Object.prototype.
        data: history.days.map((d) => (Object.hasOwn(d.byModel, model) ? d.byModel[model] : 0)),
        backgroundColor: palette[i % palette.length],
        borderWidth: 0,
      })),
    },
    // No animation: it would redraw on every recorded request. The CSP also rules out inline styles, which Chart.js does not need.
    options: {
      ...baseOptions(theme),
      scales: {
        x: { ...axis, stacked: true, grid: { display: false } },
        y: { ...axis, stacked: true, beginAtZero: true, ticks: { ...axis.ticks, callback: (v) => usd(Number(v)) } },
      },
      plugins: {
        legend: { position: 'bottom', labels: legendLabels(theme, 12) },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${usd(Number(item.raw))}` } },
      },
    },
  });
}

function renderToday(state: CostViewState): void {
  const today = state.today ?? (state.monitor.running ? (state.monitor).today : undefined);
  if (!today || today.requests === 0) {
    todaySection.replaceChildren(el('p', { className: 'muted', text: l10n.t('Nothing recorded today.') }));
    return;
  }
  const rows = Object.entries(today.byModel)
    .sort((a, b) => b[1].cost - a[1].cost)
    .map(([model, s]) => [model, int(s.requests), int(s.inputTokens), int(s.outputTokens), s.unpriced > 0 ? `${usd(s.cost)} ${l10n.t('(+{0} unknown)', int(s.unpriced))}` : usd(s.cost)]);
  const unknown = today.unknownCostRequests ?? 0;
  rows.push([l10n.t('Total'), int(today.requests), '', '', unknown > 0 ? `${usd(today.totalCost)} ${l10n.t('(+{0} unknown)', int(unknown))}` : usd(today.totalCost)]);
  const nodes: Node[] = [table([l10n.t('Model'), l10n.t('Requests'), l10n.t('Input tokens'), l10n.t('Output tokens'), l10n.t('Cost')], rows, 'grid today')];
  if (unknown > 0) nodes.push(el('p', { className: 'muted small', attrs: { 'data-testid': 'today-unknown' }, text: l10n.t('{0}: the total is a lower bound.', unknownText(unknown)) }));
  const notes = Object.entries(today.byModel).flatMap(([model, s]) => (s.pricedAs ? [pricedAsText(s.pricedAs, model)] : []));
  if (notes.length > 0) nodes.push(el('p', { className: 'muted small', attrs: { 'data-testid': 'today-priced-as' }, text: notes.join(' ') }));
  todaySection.replaceChildren(...nodes);
}

function renderAlerts(state: CostViewState): void {
  const threshold = state.monitor.running ? (state.monitor).alertThreshold : undefined;
  if (state.alerts.length === 0) {
    alertsSection.replaceChildren(el('p', { className: 'muted', text: threshold !== undefined ? l10n.t('No alerts fired. Threshold: {0} a day.', usd(threshold)) : l10n.t("No alerts fired. Set {0} to be told when a day's spend crosses it.", 'pepperpy.cost.alertThreshold') }));
    return;
  }
  alertsSection.replaceChildren(
    el(
      'ul',
      { className: 'alerts' },
      state.alerts.map((a) =>
        el('li', {}, [
          el('strong', { text: a.unknownCostRequests ? l10n.t('At least {0} on {1}', usd(a.totalCost), a.day) : l10n.t('{0} on {1}', usd(a.totalCost), a.day) }),
          ` ${l10n.t('crossed the daily threshold of {0} at {1} UTC', usd(a.threshold), a.at.slice(11, 19))}${a.channels.length > 0 ? ` ${l10n.t('(also sent by {0})', a.channels.join(` ${l10n.t('and')} `))}` : ''}.${a.unknownCostRequests ? ` ${unknownText(a.unknownCostRequests)}.` : ''}`,
        ]),
      ),
    ),
  );
}

function renderEstimate(state: CostViewState): void {
  if ((state.estimate || state.estimateError) && fieldsKey() !== formKey(state.estimateForm)) {
    estimateResult.replaceChildren(el('p', { className: 'muted', attrs: { 'data-testid': 'estimate-stale' }, text: l10n.t('The figures above changed since the last estimate: press Estimate for a new one.') }));
    return;
  }
  if (state.estimateError) {
    estimateResult.replaceChildren(el('div', { className: 'error', attrs: { role: 'alert' }, text: state.estimateError }));
    return;
  }
  const e = state.estimate;
  if (!e) {
    estimateResult.replaceChildren();
    return;
  }
  const p = e.price;
  estimateResult.replaceChildren(
    el('div', { className: 'hero' }, [el('div', { className: 'hero-number', attrs: { 'data-testid': 'estimate-total' }, text: usd(e.totalCost) }), el('div', { text: l10n.t('for {0} queries to {1} over {2} days, {3} input + {4} output tokens each', int(e.queries), e.model, e.days, int(state.estimateForm.avgInputTokens), int(state.estimateForm.avgOutputTokens)) })]),
    table(
      [l10n.t('Input'), l10n.t('Output'), l10n.t('Per day'), l10n.t('Per query'), l10n.t('Tokens')],
      [[usd(e.inputCost), usd(e.outputCost), usd(e.dailyCost), usd(e.costPerQuery), int(e.totalTokens)]],
    ),
    el('p', { className: 'muted small', text: `${l10n.t('Price of {0} ({1}): {2} input, {3} output per 1M tokens', p.matchedModel, p.provider, `$${p.inputPerMTok}`, `$${p.outputPerMTok}`)}${p.tiered ? ` ${l10n.t('(base tier)')}` : ''} — ${p.source.name}, ${p.source.date}.${p.pricedAs ? ` ${pricedAsText(p.pricedAs, e.model)}` : ''}` }),
  );
}

/** "Priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super." (or a fine-tune's base-model rate), as the editor's hovers say it. */
function pricedAsText(catalogModel: string, name: string): string {
  return isFineTuneAtBaseRate(name, catalogModel)
    ? l10n.t('Priced as {0}, the base model of the fine-tune {1}: the catalog has no fine-tune price, and fine-tuned models are billed at other rates.', catalogModel, name)
    : l10n.t("Priced as {0}, the catalog's closest match for {1}.", catalogModel, name);
}

function renderPlan(plan: OptimizationPlan | undefined, planError: string | undefined): void {
  if (planError) {
    planResult.replaceChildren(el('div', { className: 'error', attrs: { role: 'alert' }, text: planError }));
    return;
  }
  if (!plan) {
    planResult.replaceChildren();
    return;
  }
  const rows = Object.entries(plan.recommendations).map(([task, r]) => [
    task,
    r.currentModel,
    r.recommendedModel === r.currentModel ? el('span', { className: 'muted', text: l10n.t('keep') }) : r.recommendedModel,
    usd(r.monthlySavings),
    pct(r.qualityImpact),
    r.benchmark,
  ]);
  const nodes: Node[] = [
    // A setup that costs $0 a month meets any target without a change: its summary ("Nothing to save: …") is the whole
    // verdict, with no "Target met." before it.
    el(
      'div',
      { className: plan.targetMet ? 'verdict ok' : 'verdict miss', attrs: { 'data-testid': 'plan-summary' } },
      plan.currentMonthlyCost <= 0 ? [plan.summary] : [el('strong', { text: `${plan.targetMet ? l10n.t('Target met.') : l10n.t('Target cannot be met.')} ` }), plan.summary],
    ),
    el('div', { className: 'hero' }, [
      el('div', { className: 'hero-number', text: `${plan.estimatedSavingsPercent.toFixed(1)}%` }),
      el('div', { text: l10n.t('saves {0} a month ({1} → {2})', usd(plan.estimatedMonthlySavings), usd(plan.currentMonthlyCost), usd(plan.optimizedMonthlyCost)) }),
    ]),
    table([l10n.t('Task'), l10n.t('Current'), l10n.t('Recommended'), l10n.t('Monthly savings'), l10n.t('Quality impact'), l10n.t('Benchmark')], rows),
  ];
  // A model in the setup (or a recommendation) priced as another catalog model says so, once per model.
  const priced = new Map<string, string>();
  for (const r of Object.values(plan.recommendations)) {
    if (r.currentPricedAs) priced.set(r.currentModel, r.currentPricedAs);
    if (r.recommendedPricedAs) priced.set(r.recommendedModel, r.recommendedPricedAs);
  }
  if (priced.size > 0) nodes.push(el('p', { className: 'muted small', attrs: { 'data-testid': 'plan-priced-as' }, text: [...priced].map(([model, entry]) => pricedAsText(entry, model)).join(' ') }));
  if (!plan.targetMet && plan.qualityReductionNeededForTarget !== undefined) {
    nodes.push(el('p', { className: 'muted', text: plan.qualityReductionNeededForTarget === null ? l10n.t('No choice of models reaches the target.') : l10n.t('Allowing a quality reduction of {0} per task would reach it.', `${(plan.qualityReductionNeededForTarget * 100).toFixed(1)}%`) }));
  }
  nodes.push(el('p', { className: 'muted small', text: l10n.t('Exact search ({0}, {1} nodes). Quality figures are public benchmark proxies; prices: {2}.', plan.method.name, plan.method.nodesVisited, plan.priceSources.map((s) => `${s.name}, ${s.date}`).join('; ')) }));
  planResult.replaceChildren(...nodes);
}

// A new estimate or plan appears where the user looks: both sit below the fold of the dashboard (the monitor,
// the chart and today's table come first), so the one that just arrived is scrolled into view, once.
let shownEstimate: string | undefined;
let shownPlan: string | undefined;
function revealNewResults(state: CostViewState): void {
  const estimate = state.estimate || state.estimateError ? JSON.stringify([state.estimate ?? null, state.estimateError ?? null]) : undefined;
  const plan = state.plan || state.planError ? JSON.stringify([state.plan ?? null, state.planError ?? null]) : undefined;
  const newEstimate = estimate !== undefined && estimate !== shownEstimate;
  const newPlan = plan !== undefined && plan !== shownPlan;
  shownEstimate = estimate;
  shownPlan = plan;
  // A plan from its heading down: where its setup came from, the setup, the verdict (its table can be taller than
  // the view); an estimate's whole result, moving the view no more than needed.
  if (newPlan && planResult.firstElementChild) requestAnimationFrame(() => planHeading.scrollIntoView({ block: 'start', inline: 'nearest' }));
  else if (newEstimate && estimateResult.firstElementChild) requestAnimationFrame(() => estimateResult.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
}

let formsFilled = false;
let appliedSetup: string | undefined;
function render(state: CostViewState | undefined): void {
  showText(banner, errorBanner ?? state?.error);
  if (!state) {
    report();
    return;
  }
  if (formKey(state.estimateForm) !== appliedEstimateForm) {
    appliedEstimateForm = formKey(state.estimateForm);
    estimateFields.model.input.value = state.estimateForm.model;
    estimateFields.input.input.value = String(state.estimateForm.avgInputTokens);
    estimateFields.output.input.value = String(state.estimateForm.avgOutputTokens);
    estimateFields.queries.input.value = String(state.estimateForm.queriesPerDay);
    estimateFields.days.input.value = String(state.estimateForm.days);
  }
  // The setup is written into the text area when the host's changes ("Plan Cost Reduction" built it from the
  // workspace's prompts); the user's typing survives the other updates.
  if (state.planForm.currentSetup !== appliedSetup) {
    appliedSetup = state.planForm.currentSetup;
    setupArea.value = state.planForm.currentSetup;
  }
  setupSource.textContent = state.planForm.source ? `${l10n.t('Current setup:')} ${state.planForm.source}` : SAMPLE_SOURCE;
  if (!formsFilled) {
    formsFilled = true;
    planFields.quality.input.value = String(state.planForm.maxQualityReduction);
    planFields.target.input.value = String(state.planForm.targetCostReduction);
  }
  busy.toggleAttribute('hidden', !state.busy);
  busy.lastElementChild!.textContent = state.busy ?? '';
  renderMonitor(state);
  renderToday(state);
  renderAlerts(state);
  renderEstimate(state);
  renderPlan(state.plan, state.planError);
  revealNewResults(state);
  try {
    renderChart(state.history, state);
  } catch (error) {
    // A chart that cannot draw must not hide the rest of the dashboard.
    chart = undefined;
    chartKey = '';
    chartCaption.textContent = l10n.t('The chart could not be drawn: {0}', errorMessage(error));
  }
  report();
}

/** Tells the host what is on screen, so tests (and logs) can check what the user sees. */
function report(): void {
  // Text fields keep their values out of innerText; the estimate form's are added so the
  // summary says which figures sit beside the result.
  const form = Object.values(estimateFields).map((f) => `${f.input.id}=${String(f.input.value ?? '')}`).join('; ');
  post({ type: 'didRender', summary: `${app.innerText.slice(0, 9_500)}\nEstimate form: ${form}` });
}

startPanel('cost/didChange', (state, error) => {
  current = state;
  errorBanner = error;
  render(current);
});
