import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import * as l10n from '@vscode/l10n';
import type { Chart } from 'chart.js';
import { BENCHMARK_KINDS, BenchmarkRequestSchema, kindLabel, type BenchmarkKind, type BenchmarkRequest, type BenchmarkViewState, type RunComparison, type RunRecord, type RunSummary } from '../../src/protocol/benchmark';
import { drawChart } from './lib/charts';
import { custom, el, post, reportRendered, showText, startPanel } from './lib/host';

const app = document.getElementById('app')!;
let current: BenchmarkViewState | undefined;
let errorBanner: string | undefined;
let formError: string | undefined;

// ---- Formatting ----------------------------------------------------------------------

function fmt(value: number, unit?: string): string {
  const abs = Math.abs(value);
  const digits = unit === 'USD' ? 6 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === 'USD' ? `$${text}` : unit ? `${text} ${unit}` : text;
}
function signed(value: number, digits = 1): string {
  return `${value > 0 ? '+' : ''}${value.toFixed(digits)}`;
}
function when(iso: string): string {
  const d = new Date(iso);
  // Dates in the editor's language (the host sets <html lang>); numbers stay en-US, as in the other panels.
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(document.documentElement.lang || 'en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}


/** A run's status word (the badge and the history table). */
function statusLabel(status: RunSummary['status']): string {
  switch (status) {
    case 'completed': return l10n.t('completed');
    case 'failed': return l10n.t('failed');
    case 'cancelled': return l10n.t('cancelled');
  }
}

// ---- Layout: built once, so typing in the form survives progress updates ----------------

const header = el('header', { className: 'header' }, [el('h1', { text: l10n.t('Benchmarks') }), el('span', { className: 'muted', text: l10n.t('pipelines, RAG, latency, models and quality — measured on this machine') })]);
const banner = el('div', { className: 'error', attrs: { role: 'alert', hidden: '' } });
const notice = el('div', { className: 'notice', attrs: { role: 'status', hidden: '' } });
const formCard = el('section', { className: 'card', attrs: { 'aria-label': l10n.t('New run') } });
const progressCard = el('section', { className: 'card running', attrs: { 'aria-label': l10n.t('Running'), hidden: '' } });
const resultSection = el('section', { attrs: { 'aria-label': l10n.t('Selected run') } });
const historySection = el('section', { attrs: { 'aria-label': l10n.t('History') } });
const comparisonSection = el('section', { attrs: { 'aria-label': l10n.t('Comparison') } });
const emptyState = el('div', { className: 'empty', attrs: { hidden: '' } });
app.replaceChildren(header, banner, notice, formCard, progressCard, emptyState, resultSection, comparisonSection, historySection);

// ---- The form ---------------------------------------------------------------------------

type FieldType = 'path' | 'optionalPath' | 'int' | 'ints' | 'models' | 'datasets' | 'text';
interface FieldSpec {
  key: string;
  label: string;
  type: FieldType;
  hint?: string;
  browse?: 'configPath' | 'queriesPath' | 'dataset';
  /** A button that opens the host's model picker: `models` adds to the list, `evaluatorModel` replaces. */
  pick?: 'models' | 'evaluatorModel';
}

const FIELDS: Record<BenchmarkKind, FieldSpec[]> = {
  pipeline: [
    { key: 'configPath', label: l10n.t('Pipeline config'), type: 'path', browse: 'configPath', hint: l10n.t('a pipeline config (JSON) in the workspace: Browse…, or "Optimize RAG Pipeline" creates a starter') },
    { key: 'queriesPath', label: l10n.t('Test queries (JSONL, optional)'), type: 'optionalPath', browse: 'queriesPath', hint: l10n.t('default: queries.jsonl beside the config') },
    { key: 'iterations', label: l10n.t('Iterations'), type: 'int' },
    { key: 'concurrency', label: l10n.t('Concurrency levels'), type: 'ints', hint: l10n.t('comma-separated; several draw throughput against concurrency') },
  ],
  profile: [
    { key: 'configPath', label: l10n.t('Pipeline config'), type: 'path', browse: 'configPath', hint: l10n.t('a pipeline config (JSON) in the workspace: Browse…, or "Optimize RAG Pipeline" creates a starter') },
    { key: 'queriesPath', label: l10n.t('Test queries (JSONL, optional)'), type: 'optionalPath', browse: 'queriesPath' },
    { key: 'runsPerQuery', label: l10n.t('Runs per query'), type: 'int' },
  ],
  rag: [
    { key: 'configPath', label: l10n.t('Pipeline config'), type: 'path', browse: 'configPath', hint: l10n.t('a pipeline config (JSON) in the workspace: Browse…, or "Optimize RAG Pipeline" creates a starter') },
    { key: 'dataset', label: l10n.t('Dataset (JSONL)'), type: 'path', browse: 'dataset' },
  ],
  latency: [
    { key: 'models', label: l10n.t('Models'), type: 'models', pick: 'models', hint: l10n.t('local, ollama:llama3.2, vscode:<id>, openai:gpt-5.4-mini — or Add model…') },
    { key: 'inputLengths', label: l10n.t('Input lengths (words)'), type: 'ints' },
    { key: 'outputLengths', label: l10n.t('Output lengths (tokens)'), type: 'ints' },
    { key: 'batchSizes', label: l10n.t('Batch sizes'), type: 'ints', hint: l10n.t('several draw throughput against batch size') },
    { key: 'iterations', label: l10n.t('Iterations'), type: 'int' },
    { key: 'warmupIterations', label: l10n.t('Warm-up'), type: 'int' },
  ],
  model: [
    { key: 'models', label: l10n.t('Models'), type: 'models', pick: 'models' },
    { key: 'datasets', label: l10n.t('Datasets (task=path, …)'), type: 'datasets', hint: l10n.t('JSONL lines {"input", "reference"}') },
  ],
  quality: [
    { key: 'models', label: l10n.t('Models'), type: 'models', pick: 'models' },
    { key: 'datasets', label: l10n.t('Datasets (name=path, …)'), type: 'datasets', hint: l10n.t('JSONL lines {"input", "reference"?}') },
    { key: 'evaluatorModel', label: l10n.t('Judge model'), type: 'text', pick: 'evaluatorModel' },
    { key: 'repeats', label: l10n.t('Judgments per answer'), type: 'int' },
  ],
  optimizeAll: [{ key: 'configPath', label: l10n.t('Pipeline config'), type: 'path', browse: 'configPath', hint: l10n.t('writes <name>.optimized.json and the report beside it; the config is not changed') }],
};

let kind: BenchmarkKind = 'pipeline';
let syncedForm = '';
const inputs = new Map<string, HTMLElement & { value: string }>();

function toText(value: unknown, type: FieldType): string {
  if (value === undefined) return '';
  if (type === 'ints' || type === 'models') return Array.isArray(value) ? value.map((v) => (typeof v === 'object' ? '' : String(v))).join(', ') : '';
  if (type === 'datasets') return typeof value === 'object' && value !== null ? Object.entries(value).map(([k, v]) => `${k}=${typeof v === 'string' ? v : ''}`).join(', ') : '';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function fromText(text: string, type: FieldType): unknown {
  const t = text.trim();
  switch (type) {
    case 'int':
      return t === '' ? Number.NaN : Number(t);
    case 'ints':
      return t === '' ? [] : t.split(/[\s,]+/).filter(Boolean).map(Number);
    case 'models':
      return t.split(',').map((s) => s.trim()).filter(Boolean);
    case 'datasets':
      return Object.fromEntries(t.split(',').map((s) => s.trim()).filter(Boolean).map((pair) => {
        const eq = pair.indexOf('=');
        return eq < 0 ? [pair, ''] : [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      }));
    case 'optionalPath':
      return t === '' ? undefined : t;
    default:
      return t;
  }
}

/** Reads the form into a request and validates it with the same schema the host uses. */
function readForm(): { ok: true; request: BenchmarkRequest } | { ok: false; reason: string } {
  const raw: Record<string, unknown> = { kind };
  for (const f of FIELDS[kind]) {
    const value = fromText(inputs.get(f.key)?.value ?? '', f.type);
    if (value !== undefined) raw[f.key] = value;
  }
  const parsed = BenchmarkRequestSchema.safeParse(raw);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  const field = FIELDS[kind].find((f) => f.key === issue?.path[0]);
  return { ok: false, reason: `${field ? `${field.label}: ` : ''}${issue?.message ?? l10n.t('invalid input')}` };
}

function buildForm(state: BenchmarkViewState, values: BenchmarkRequest): void {
  kind = values.kind;
  inputs.clear();
  const select = custom('vscode-single-select', { id: 'kind', 'aria-label': l10n.t('Benchmark') });
  for (const k of BENCHMARK_KINDS) select.append(custom('vscode-option', k === kind ? { value: k, selected: '' } : { value: k }, [kindLabel(k)]));
  select.addEventListener('change', () => {
    const value = (select as unknown as { value?: string }).value as BenchmarkKind | undefined;
    if (!value || value === kind || !(BENCHMARK_KINDS as readonly string[]).includes(value)) return;
    formError = undefined;
    buildForm(state, state.defaults[value]);
    reportRendered(app);
  });
  const rows: HTMLElement[] = [];
  for (const f of FIELDS[kind]) {
    const id = `f-${f.key}`;
    const input = custom('vscode-textfield', { id, value: toText((values as Record<string, unknown>)[f.key], f.type), ...(f.hint ? { placeholder: f.hint } : {}) }) as HTMLElement & { value: string };
    // Model names (`vscode:copilot/gpt-4.1`, `anthropic:claude-…`) need the room of a path; numbers do not.
    input.className = f.type === 'path' || f.type === 'optionalPath' || f.type === 'datasets' || f.type === 'models' || f.key === 'evaluatorModel' ? 'wide' : 'narrow';
    inputs.set(f.key, input);
    const controls: Array<Node> = [input];
    if (f.browse) {
      const browse = custom('vscode-button', { secondary: '', title: l10n.t('Choose a file') }, [l10n.t('Browse…')]);
      const which = f.browse;
      browse.addEventListener('click', () => post({ type: 'benchmark/browse', field: which }));
      controls.push(browse);
    }
    if (f.pick) {
      const which = f.pick;
      const pick = custom('vscode-button', { secondary: '', title: l10n.t('Editor models, local servers and key-based models, with what each costs'), 'data-testid': `pick-${which}` }, [which === 'models' ? l10n.t('Add model…') : l10n.t('Choose…')]);
      pick.addEventListener('click', () => post({ type: 'benchmark/pickModel', field: which }));
      controls.push(pick);
    }
    rows.push(el('div', { className: 'field' }, [el('label', { text: f.label, attrs: { for: id } }), el('div', { className: 'inline' }, controls)]));
  }
  const run = custom('vscode-button', { id: 'run' }, [kind === 'optimizeAll' ? l10n.t('Optimize') : l10n.t('Run')]);
  run.addEventListener('click', () => {
    const read = readForm();
    if (!read.ok) {
      formError = read.reason;
      render();
      return;
    }
    formError = undefined;
    post({ type: 'benchmark/run', request: read.request });
  });
  const paidNote = paidCallsNote(state, values);
  const editorNote = editorModelsNote(state, values);
  formCard.replaceChildren(
    el('div', { className: 'form-head' }, [el('h2', { text: l10n.t('New run') }), el('label', { text: l10n.t('Benchmark'), attrs: { for: 'kind' } }), select]),
    el('div', { className: 'form-grid' }, rows),
    ...(paidNote ? [paidNote] : []),
    ...(editorNote ? [editorNote] : []),
    el('div', { className: 'toolbar' }, [run, keyButton(state, 'openai'), keyButton(state, 'anthropic')]),
  );
}

function keyButton(state: BenchmarkViewState, provider: 'openai' | 'anthropic'): HTMLElement {
  const name = provider === 'openai' ? 'OpenAI' : 'Anthropic';
  const button = custom('vscode-button', { secondary: '', title: l10n.t('Keys live in VS Code SecretStorage, never in settings') }, [state.apiKeys[provider] ? l10n.t('{0} key ✓', name) : l10n.t('Set {0} key…', name)]);
  button.addEventListener('click', () => post({ type: 'benchmark/setApiKey', provider }));
  return button;
}

function paidCallsNote(state: BenchmarkViewState, values: BenchmarkRequest): HTMLElement | undefined {
  const models = 'models' in values ? [...values.models, ...('evaluatorModel' in values ? [values.evaluatorModel] : [])] : [];
  // The editor's models (vscode:…) are not billed per token: the user's plan covers them; local servers' cost $0.
  const paid = models.filter((m) => m.trim() !== 'local' && !m.startsWith('local:') && !m.trim().startsWith('vscode:') && !isLocalServerModel(m));
  if (paid.length === 0 && (values.kind !== 'quality' || models.length > 0)) return undefined;
  const missing = paid.some((m) => (m.startsWith('anthropic:') || /^claude/.test(m) ? !state.apiKeys.anthropic : !state.apiKeys.openai));
  const who = paid.length === 0
    ? l10n.t('The judge is a paid API: the cost forecast is shown and must be confirmed before any call.')
    : paid.length === 1
      ? l10n.t('{0} is a paid API: the cost forecast is shown and must be confirmed before any call.', paid[0])
      : l10n.t('{0} are paid APIs: the cost forecast is shown and must be confirmed before any call.', paid.join(', '));
  // With no key but with editor models, say the way that needs no key (a new user's default judge is paid).
  const noKey = (state.editorModels ?? []).length > 0
    ? l10n.t("Set the API key first, or write one of the editor's models listed below (vscode:…) in its place: no key needed.")
    : l10n.t('Set the API key first.');
  return el('p', { className: 'note', text: `${who}${missing ? ` ${noKey}` : ''}` });
}

/** `ollama:…`, `lmstudio:…`, `llamacpp:…`, `vllm:…` or `openai-compatible@…`: a model on a local server ($0). */
function isLocalServerModel(name: string): boolean {
  return /^(ollama|lmstudio|llamacpp|vllm):|^openai-compatible@/i.test(name.trim());
}

/** Lists the editor's chat models a model or judge field accepts, e.g. "Fake Echo (VS Code): vscode:fake-echo". */
function editorModelsNote(state: BenchmarkViewState, values: BenchmarkRequest): HTMLElement | undefined {
  const models = state.editorModels ?? [];
  if (models.length === 0 || !('models' in values)) return undefined;
  return el('p', { className: 'note', attrs: { 'data-testid': 'editor-models' }, text: l10n.t("The editor's models (no key; included in your plan): {0}.", models.map((m) => `${m.label}: ${m.name}`).join(', ')) });
}

// ---- Progress ---------------------------------------------------------------------------

function renderProgress(state: BenchmarkViewState): void {
  const r = state.running;
  progressCard.toggleAttribute('hidden', !r);
  if (!r) {
    progressCard.replaceChildren();
    return;
  }
  const bar = custom('vscode-progress-bar', r.percent !== undefined ? { value: String(r.percent / 100), max: '1' } : { indeterminate: '' });
  const cancel = custom('vscode-button', { id: 'cancel', secondary: '' }, [l10n.t('Cancel')]);
  cancel.addEventListener('click', () => post({ type: 'benchmark/cancel' }));
  progressCard.replaceChildren(
    el('div', { className: 'form-head' }, [el('h2', { text: l10n.t('Running: {0}', r.title) }), cancel]),
    bar,
    el('p', { className: 'muted', attrs: { 'data-testid': 'progress' }, text: `${r.percent !== undefined ? `${r.percent} % · ` : ''}${r.message}` }),
    ...(r.awaitingConfirmation ? [el('p', { className: 'note', text: l10n.t('Waiting for your confirmation: {0}', r.awaitingConfirmation) })] : []),
  );
}

// ---- The selected run -------------------------------------------------------------------

const charts = new Map<string, Chart>();
let chartsKey = '';

function chartBox(id: string, title: string, caption: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': title, id } });
  const box = el('div', { className: 'chart-card' }, [el('h3', { text: title }), el('div', { className: 'chart-box' }, [canvas]), el('p', { className: 'muted small', text: caption })]);
  return { box, canvas };
}

function statusBadge(status: RunSummary['status']): HTMLElement {
  return custom('vscode-badge', { variant: status === 'completed' ? 'counter' : 'default', class: `status ${status}` }, [statusLabel(status)]);
}

function renderSelected(run: RunRecord | undefined): void {
  if (!run) {
    for (const c of charts.values()) c.destroy();
    charts.clear();
    chartsKey = '';
    resultSection.replaceChildren();
    return;
  }
  const exportButtons = (['csv', 'json', 'markdown'] as const).map((format) => {
    const b = custom('vscode-button', { secondary: '' }, [l10n.t('Export {0}', format === 'markdown' ? 'Markdown' : format.toUpperCase())]);
    b.addEventListener('click', () => post({ type: 'benchmark/export', runId: run.id, format }));
    return b;
  });
  const fileButtons = Object.entries(run.files ?? {}).map(([key, file]) => {
    const name = file.split(/[\\/]/).pop() ?? file;
    const b = custom('vscode-button', { secondary: '', title: file }, [l10n.t('Open {0}', name)]);
    b.addEventListener('click', () => post({ type: 'benchmark/openFile', runId: run.id, file: key }));
    return b;
  });
  const parts: Node[] = [
    custom('vscode-divider'),
    el('div', { className: 'form-head' }, [el('h2', { text: run.title }), statusBadge(run.status)]),
    el('p', { className: 'muted small', text: `${when(run.startedAt)} · ${(run.durationMs / 1000).toFixed(1)} s` }),
    el('p', { className: `headline ${run.status}`, attrs: { 'data-testid': 'headline' }, text: run.status === 'cancelled' ? l10n.t('Cancelled: the run was stopped before it finished.') : run.headline }),
  ];
  // The headline already carries the error when it is short enough to read there.
  if (run.error && run.status === 'failed' && !run.headline.includes(run.error)) parts.push(el('div', { className: 'error', attrs: { role: 'alert' }, text: run.error }));
  if (run.status === 'completed') parts.push(el('div', { className: 'toolbar wrap' }, [...fileButtons, ...exportButtons]));

  // Charts are redrawn only when the selected run changes.
  const key = `${run.id}:${run.status}`;
  const chartGrid = el('div', { className: 'charts' });
  const specs: Array<{ id: string; title: string; caption: string; draw: (canvas: HTMLCanvasElement, prev?: Chart) => Chart }> = [];
  const h = run.charts.latencyHistogram;
  if (h) {
    const totals = h.series.length === 1 ? l10n.t('{0} queries', h.series[0].values.reduce((a, b) => a + b, 0)) : h.series.map((s) => l10n.t('{0} queries {1}', s.values.reduce((a, b) => a + b, 0), s.label)).join(', ');
    const isPercentiles = h.series.some((s) => /^p\d\d$/.test(s.label));
    specs.push({
      id: 'chart-latency',
      title: isPercentiles ? l10n.t('Latency distribution (percentiles, ms)') : l10n.t('Latency distribution (queries per latency range, ms)'),
      caption: isPercentiles ? l10n.t('p50, p90 and p99 for {0} configurations.', h.labels.length) : l10n.t('Per-query latency of {0}.', totals),
      draw: (canvas, prev) => drawChart(canvas, { type: 'bar', labels: h.labels, series: h.series, xTitle: isPercentiles ? undefined : 'ms', yTitle: isPercentiles ? 'ms' : l10n.t('queries') }, prev),
    });
  }
  const t = run.charts.throughput;
  if (t) {
    // The axis arrives as an English key ('concurrency' or 'batch size') and is shown translated.
    const axis = t.axis === 'concurrency' ? l10n.t('concurrency') : l10n.t('batch size');
    const best = t.series.flatMap((s) => s.values.map((v, i) => ({ v, at: t.labels[i], s: s.label }))).reduce((a, b) => (b.v > a.v ? b : a), { v: 0, at: '', s: '' });
    specs.push({
      id: 'chart-throughput',
      title: l10n.t('Throughput against {0}', axis),
      caption: t.series.length > 1 ? l10n.t('Highest: {0} requests/s at {1} {2} ({3}).', best.v.toFixed(1), axis, best.at, best.s) : l10n.t('Highest: {0} requests/s at {1} {2}.', best.v.toFixed(1), axis, best.at),
      draw: (canvas, prev) => drawChart(canvas, { type: 'line', labels: t.labels, series: t.series, xTitle: axis, yTitle: l10n.t('requests/s') }, prev),
    });
  }
  const p = run.charts.profile;
  if (p) {
    specs.push({
      id: 'chart-profile',
      title: l10n.t('Time per component (avg ms per call)'),
      caption: p.labels.map((l, i) => `${l} ${p.avgMs[i].toFixed(2)} ms${p.percentage[i] ? ` (${p.percentage[i].toFixed(1)} %)` : ''}`).join(' · ') + (p.bottleneck ? ` — ${l10n.t('bottleneck: {0}', p.bottleneck)}` : ''),
      draw: (canvas, prev) => drawChart(canvas, { type: 'bar', labels: p.labels, series: [{ label: l10n.t('avg ms'), values: p.avgMs }], horizontal: true, xTitle: 'ms', legend: false }, prev),
    });
  }
  const redraw = key !== chartsKey;
  chartsKey = key;
  if (redraw) {
    for (const c of charts.values()) c.destroy();
    charts.clear();
  }
  for (const s of specs) {
    const { box, canvas } = chartBox(s.id, s.title, s.caption);
    chartGrid.append(box);
    // The canvas is new each render; Chart.js needs it in the document to size it.
    queueMicrotask(() => charts.set(s.id, s.draw(canvas, charts.get(s.id))));
  }
  if (specs.length > 0) parts.push(chartGrid);

  if (run.metrics.length > 0) {
    const shown = run.metrics.slice(0, 40);
    parts.push(
      el('h3', { text: l10n.t('Figures') }),
      el('table', { className: 'grid metrics', attrs: { 'data-testid': 'metrics' } }, [
        el('thead', {}, [el('tr', {}, [el('th', { text: l10n.t('Metric') }), el('th', { text: l10n.t('Value'), attrs: { class: 'num' } })])]),
        el('tbody', {}, shown.map((m) => el('tr', {}, [el('td', { text: m.label }), el('td', { className: 'num', text: fmt(m.value, m.unit) })]))),
      ]),
    );
    if (run.metrics.length > shown.length) parts.push(el('p', { className: 'muted small', text: l10n.t('…and {0} more figures: export the run to see them all.', run.metrics.length - shown.length) }));
  }
  if (run.warnings && run.warnings.length > 0) parts.push(el('ul', { className: 'alerts' }, run.warnings.map((w) => el('li', { text: w }))));
  resultSection.replaceChildren(...parts);
}

// ---- History and comparison -------------------------------------------------------------

let compareA = '';
let compareB = '';

function runSelect(id: string, label: string, runs: RunSummary[], chosen: string, onChange: (v: string) => void): HTMLElement {
  const select = custom('vscode-single-select', { id, 'aria-label': label });
  for (const r of runs) select.append(custom('vscode-option', r.id === chosen ? { value: r.id, selected: '' } : { value: r.id }, [`${when(r.startedAt)} · ${r.title}`]));
  select.addEventListener('change', () => onChange(String((select as unknown as { value?: string }).value ?? '')));
  return select;
}

function renderHistory(state: BenchmarkViewState): void {
  const runs = state.runs;
  if (runs.length === 0) {
    historySection.replaceChildren();
    return;
  }
  if (!runs.some((r) => r.id === compareA)) compareA = runs[1]?.id ?? runs[0].id;
  if (!runs.some((r) => r.id === compareB) || compareB === compareA) compareB = runs.find((r) => r.id !== compareA)?.id ?? '';
  const rows = runs.map((r) => {
    const open = el('a', { className: 'link', text: r.title, attrs: { href: '#', role: 'button' } });
    open.addEventListener('click', (e) => {
      e.preventDefault();
      post({ type: 'benchmark/select', runId: r.id });
    });
    const del = custom('vscode-button', { secondary: '', title: l10n.t('Delete this run from the history') }, [l10n.t('Delete')]);
    del.addEventListener('click', () => post({ type: 'benchmark/delete', runId: r.id }));
    const tr = el('tr', { className: r.id === state.selected?.id ? 'selected' : '' }, [
      el('td', {}, [open]),
      el('td', {}, [statusBadge(r.status)]),
      el('td', { text: when(r.startedAt) }),
      el('td', { className: 'headline-cell', text: r.headline }),
      el('td', {}, [del]),
    ]);
    return tr;
  });
  const parts: Node[] = [custom('vscode-divider'), el('h2', { text: runs.length === 1 ? l10n.t('History (1 run)') : l10n.t('History ({0} runs)', runs.length) })];
  if (runs.length >= 2) {
    const compare = custom('vscode-button', { id: 'compare' }, [l10n.t('Compare')]);
    compare.addEventListener('click', () => post({ type: 'benchmark/compare', a: compareA, b: compareB }));
    parts.push(
      el('div', { className: 'toolbar wrap' }, [
        el('label', { text: l10n.t('Compare'), attrs: { for: 'cmp-a' } }),
        runSelect('cmp-a', l10n.t('Run A'), runs, compareA, (v) => (compareA = v)),
        el('span', { className: 'muted', text: l10n.t('with') }),
        runSelect('cmp-b', l10n.t('Run B'), runs, compareB, (v) => (compareB = v)),
        compare,
      ]),
    );
  }
  parts.push(el('table', { className: 'grid history', attrs: { 'data-testid': 'history' } }, [el('thead', {}, [el('tr', {}, [l10n.t('Run'), l10n.t('Status'), l10n.t('Started'), l10n.t('Summary'), ''].map((h) => el('th', { text: h })))]), el('tbody', {}, rows)]));
  historySection.replaceChildren(...parts);
}

function renderComparison(c: RunComparison | undefined): void {
  if (!c) {
    comparisonSection.replaceChildren();
    return;
  }
  const close = custom('vscode-button', { secondary: '' }, [l10n.t('Close comparison')]);
  close.addEventListener('click', () => post({ type: 'benchmark/clearComparison' }));
  const rows = c.rows.map((r) =>
    el('tr', {}, [
      el('td', { text: r.label }),
      el('td', { className: 'num', text: r.a !== undefined ? fmt(r.a, r.unit) : '—' }),
      el('td', { className: 'num', text: r.b !== undefined ? fmt(r.b, r.unit) : '—' }),
      el('td', { className: `num ${r.verdict ?? ''}`, text: r.delta !== undefined ? signed(r.delta, Math.abs(r.delta) >= 1 ? 2 : 4) : '' }),
      el('td', { className: `num ${r.verdict ?? ''}`, text: r.deltaPercent !== undefined ? `${signed(r.deltaPercent)} %` : '' }),
    ]),
  );
  comparisonSection.replaceChildren(
    custom('vscode-divider'),
    el('div', { className: 'form-head' }, [el('h2', { text: l10n.t('Comparison') }), close]),
    el('p', { className: 'muted small', text: l10n.t('A: {0} ({1}) · B: {2} ({3}). Δ is B − A; green is better, red is worse.', c.a.title, when(c.a.startedAt), c.b.title, when(c.b.startedAt)) }),
    el('table', { className: 'grid compare', attrs: { 'data-testid': 'comparison' } }, [
      el('thead', {}, [el('tr', {}, [l10n.t('Metric'), 'A', 'B', 'Δ', 'Δ %'].map((h, i) => el('th', { text: h, ...(i > 0 ? { attrs: { class: 'num' } } : {}) })))]),
      el('tbody', {}, rows),
    ]),
  );
}

// ---- The model picker's answer ----------------------------------------------------------

/** The last pick applied; the first state seen (a reloaded panel's) only sets it, so nothing is added twice. */
let appliedPick: number | undefined;

/** Puts the model the host's picker returned into its field, keeping what the user typed: added to Models, replacing the judge. */
function applyPickedModel(state: BenchmarkViewState): void {
  const picked = state.pickedModel;
  const seq = picked?.seq ?? 0;
  if (appliedPick === undefined || !picked || seq === appliedPick) {
    appliedPick = seq;
    return;
  }
  appliedPick = seq;
  const input = inputs.get(picked.field);
  if (!input) return;
  if (picked.field === 'evaluatorModel') {
    input.value = picked.name;
    return;
  }
  const listed = input.value.split(',').map((m) => m.trim()).filter(Boolean);
  if (!listed.includes(picked.name)) input.value = [...listed, picked.name].join(', ');
}

// ---- Render -----------------------------------------------------------------------------

function render(): void {
  const state = current;
  showText(banner, formError ?? errorBanner ?? state?.error);
  showText(notice, state?.notice);
  if (!state) {
    formCard.replaceChildren(el('p', { className: 'muted', text: l10n.t('Loading…') }));
    reportRendered(app);
    return;
  }
  const formKey = JSON.stringify(state.form);
  if (formKey !== syncedForm) {
    syncedForm = formKey;
    buildForm(state, state.form);
  }
  applyPickedModel(state);
  renderProgress(state);
  const empty = state.runs.length === 0 && !state.running;
  emptyState.toggleAttribute('hidden', !empty);
  emptyState.replaceChildren(
    el('p', { text: l10n.t('No benchmark runs yet.') }),
    el('p', { className: 'muted', text: l10n.t('Choose a benchmark above and press Run — everything runs offline on the embedded local model by default. Or run "PepperPy: Optimize RAG Pipeline" on a pipeline config; with no config yet, it offers to create a starter one (config, corpus and test queries) in this workspace.') }),
  );
  renderSelected(state.selected);
  renderComparison(state.comparison);
  renderHistory(state);
  reportRendered(app);
}

startPanel('benchmark/didChange', (state, error) => {
  current = state;
  errorBanner = error;
  render();
});
