import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { Chart } from 'chart.js';
import { BENCHMARK_KINDS, BenchmarkRequestSchema, KIND_LABELS, type BenchmarkKind, type BenchmarkRequest, type BenchmarkViewState, type RunComparison, type RunRecord, type RunSummary } from '../../src/protocol/benchmark';
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
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// ---- Layout: built once, so typing in the form survives progress updates ----------------

const header = el('header', { className: 'header' }, [el('h1', { text: 'Benchmarks' }), el('span', { className: 'muted', text: 'pipelines, RAG, latency, models and quality — measured on this machine' })]);
const banner = el('div', { className: 'error', attrs: { role: 'alert', hidden: '' } });
const notice = el('div', { className: 'notice', attrs: { role: 'status', hidden: '' } });
const formCard = el('section', { className: 'card', attrs: { 'aria-label': 'New run' } });
const progressCard = el('section', { className: 'card running', attrs: { 'aria-label': 'Running', hidden: '' } });
const resultSection = el('section', { attrs: { 'aria-label': 'Selected run' } });
const historySection = el('section', { attrs: { 'aria-label': 'History' } });
const comparisonSection = el('section', { attrs: { 'aria-label': 'Comparison' } });
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
}

const FIELDS: Record<BenchmarkKind, FieldSpec[]> = {
  pipeline: [
    { key: 'configPath', label: 'Pipeline config', type: 'path', browse: 'configPath', hint: 'a pipeline config (JSON) in the workspace: Browse…, or "Optimize RAG Pipeline" creates a starter' },
    { key: 'queriesPath', label: 'Test queries (JSONL, optional)', type: 'optionalPath', browse: 'queriesPath', hint: 'default: queries.jsonl beside the config' },
    { key: 'iterations', label: 'Iterations', type: 'int' },
    { key: 'concurrency', label: 'Concurrency levels', type: 'ints', hint: 'comma-separated; several draw throughput against concurrency' },
  ],
  profile: [
    { key: 'configPath', label: 'Pipeline config', type: 'path', browse: 'configPath', hint: 'a pipeline config (JSON) in the workspace: Browse…, or "Optimize RAG Pipeline" creates a starter' },
    { key: 'queriesPath', label: 'Test queries (JSONL, optional)', type: 'optionalPath', browse: 'queriesPath' },
    { key: 'runsPerQuery', label: 'Runs per query', type: 'int' },
  ],
  rag: [
    { key: 'configPath', label: 'Pipeline config', type: 'path', browse: 'configPath', hint: 'a pipeline config (JSON) in the workspace: Browse…, or "Optimize RAG Pipeline" creates a starter' },
    { key: 'dataset', label: 'Dataset (JSONL)', type: 'path', browse: 'dataset' },
  ],
  latency: [
    { key: 'models', label: 'Models', type: 'models', hint: 'local, openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest' },
    { key: 'inputLengths', label: 'Input lengths (words)', type: 'ints' },
    { key: 'outputLengths', label: 'Output lengths (tokens)', type: 'ints' },
    { key: 'batchSizes', label: 'Batch sizes', type: 'ints', hint: 'several draw throughput against batch size' },
    { key: 'iterations', label: 'Iterations', type: 'int' },
    { key: 'warmupIterations', label: 'Warm-up', type: 'int' },
  ],
  model: [
    { key: 'models', label: 'Models', type: 'models' },
    { key: 'datasets', label: 'Datasets (task=path, …)', type: 'datasets', hint: 'JSONL lines {"input", "reference"}' },
  ],
  quality: [
    { key: 'models', label: 'Models', type: 'models' },
    { key: 'datasets', label: 'Datasets (name=path, …)', type: 'datasets', hint: 'JSONL lines {"input", "reference"?}' },
    { key: 'evaluatorModel', label: 'Judge model', type: 'text' },
    { key: 'repeats', label: 'Judgments per answer', type: 'int' },
  ],
  optimizeAll: [{ key: 'configPath', label: 'Pipeline config', type: 'path', browse: 'configPath', hint: 'writes <name>.optimized.json and the report beside it; the config is not changed' }],
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
  return { ok: false, reason: `${field ? `${field.label}: ` : ''}${issue?.message ?? 'invalid input'}` };
}

function buildForm(state: BenchmarkViewState, values: BenchmarkRequest): void {
  kind = values.kind;
  inputs.clear();
  const select = custom('vscode-single-select', { id: 'kind', 'aria-label': 'Benchmark' });
  for (const k of BENCHMARK_KINDS) select.append(custom('vscode-option', k === kind ? { value: k, selected: '' } : { value: k }, [KIND_LABELS[k]]));
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
      const browse = custom('vscode-button', { secondary: '', title: 'Choose a file' }, ['Browse…']);
      const which = f.browse;
      browse.addEventListener('click', () => post({ type: 'benchmark/browse', field: which }));
      controls.push(browse);
    }
    rows.push(el('div', { className: 'field' }, [el('label', { text: f.label, attrs: { for: id } }), el('div', { className: 'inline' }, controls)]));
  }
  const run = custom('vscode-button', { id: 'run' }, [kind === 'optimizeAll' ? 'Optimize' : 'Run']);
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
    el('div', { className: 'form-head' }, [el('h2', { text: 'New run' }), el('label', { text: 'Benchmark', attrs: { for: 'kind' } }), select]),
    el('div', { className: 'form-grid' }, rows),
    ...(paidNote ? [paidNote] : []),
    ...(editorNote ? [editorNote] : []),
    el('div', { className: 'toolbar' }, [run, keyButton(state, 'openai'), keyButton(state, 'anthropic')]),
  );
}

function keyButton(state: BenchmarkViewState, provider: 'openai' | 'anthropic'): HTMLElement {
  const name = provider === 'openai' ? 'OpenAI' : 'Anthropic';
  const button = custom('vscode-button', { secondary: '', title: 'Keys live in VS Code SecretStorage, never in settings' }, [state.apiKeys[provider] ? `${name} key ✓` : `Set ${name} key…`]);
  button.addEventListener('click', () => post({ type: 'benchmark/setApiKey', provider }));
  return button;
}

function paidCallsNote(state: BenchmarkViewState, values: BenchmarkRequest): HTMLElement | undefined {
  const models = 'models' in values ? [...values.models, ...('evaluatorModel' in values ? [values.evaluatorModel] : [])] : [];
  // The editor's models (vscode:…) are not billed per token: the user's plan covers them.
  const paid = models.filter((m) => m.trim() !== 'local' && !m.startsWith('local:') && !m.trim().startsWith('vscode:'));
  if (paid.length === 0 && (values.kind !== 'quality' || models.length > 0)) return undefined;
  const missing = paid.some((m) => (m.startsWith('anthropic:') || /^claude/.test(m) ? !state.apiKeys.anthropic : !state.apiKeys.openai));
  // With no key but with editor models, say the way that needs no key (a new user's default judge is paid).
  const noKeyWay = (state.editorModels ?? []).length > 0 ? ", or write one of the editor's models listed below (vscode:…) in its place: no key needed." : '.';
  return el('p', { className: 'note', text: `${paid.join(', ') || 'The judge'} ${paid.length === 1 ? 'is a paid API' : 'are paid APIs'}: the cost forecast is shown and must be confirmed before any call.${missing ? ` Set the API key first${noKeyWay}` : ''}` });
}

/** Lists the editor's chat models a model or judge field accepts, e.g. "Fake Echo (VS Code): vscode:fake-echo". */
function editorModelsNote(state: BenchmarkViewState, values: BenchmarkRequest): HTMLElement | undefined {
  const models = state.editorModels ?? [];
  if (models.length === 0 || !('models' in values)) return undefined;
  return el('p', { className: 'note', attrs: { 'data-testid': 'editor-models' }, text: `The editor's models (no key; included in your plan): ${models.map((m) => `${m.label}: ${m.name}`).join(', ')}.` });
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
  const cancel = custom('vscode-button', { id: 'cancel', secondary: '' }, ['Cancel']);
  cancel.addEventListener('click', () => post({ type: 'benchmark/cancel' }));
  progressCard.replaceChildren(
    el('div', { className: 'form-head' }, [el('h2', { text: `Running: ${r.title}` }), cancel]),
    bar,
    el('p', { className: 'muted', attrs: { 'data-testid': 'progress' }, text: `${r.percent !== undefined ? `${r.percent} % · ` : ''}${r.message}` }),
    ...(r.awaitingConfirmation ? [el('p', { className: 'note', text: `Waiting for your confirmation: ${r.awaitingConfirmation}` })] : []),
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
  return custom('vscode-badge', { variant: status === 'completed' ? 'counter' : 'default', class: `status ${status}` }, [status]);
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
    const b = custom('vscode-button', { secondary: '' }, [`Export ${format === 'markdown' ? 'Markdown' : format.toUpperCase()}`]);
    b.addEventListener('click', () => post({ type: 'benchmark/export', runId: run.id, format }));
    return b;
  });
  const fileButtons = Object.entries(run.files ?? {}).map(([key, file]) => {
    const name = file.split(/[\\/]/).pop() ?? file;
    const b = custom('vscode-button', { secondary: '', title: file }, [`Open ${name}`]);
    b.addEventListener('click', () => post({ type: 'benchmark/openFile', runId: run.id, file: key }));
    return b;
  });
  const parts: Node[] = [
    custom('vscode-divider'),
    el('div', { className: 'form-head' }, [el('h2', { text: run.title }), statusBadge(run.status)]),
    el('p', { className: 'muted small', text: `${when(run.startedAt)} · ${(run.durationMs / 1000).toFixed(1)} s` }),
    el('p', { className: `headline ${run.status}`, attrs: { 'data-testid': 'headline' }, text: run.status === 'cancelled' ? 'Cancelled: the run was stopped before it finished.' : run.headline }),
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
    const totals = h.series.length === 1 ? `${h.series[0].values.reduce((a, b) => a + b, 0)} queries` : h.series.map((s) => `${s.values.reduce((a, b) => a + b, 0)} queries ${s.label}`).join(', ');
    const isPercentiles = h.series.some((s) => /^p\d\d$/.test(s.label));
    specs.push({
      id: 'chart-latency',
      title: isPercentiles ? 'Latency distribution (percentiles, ms)' : 'Latency distribution (queries per latency range, ms)',
      caption: isPercentiles ? `p50, p90 and p99 for ${h.labels.length} configurations.` : `Per-query latency of ${totals}.`,
      draw: (canvas, prev) => drawChart(canvas, { type: 'bar', labels: h.labels, series: h.series, xTitle: isPercentiles ? undefined : 'ms', yTitle: isPercentiles ? 'ms' : 'queries' }, prev),
    });
  }
  const t = run.charts.throughput;
  if (t) {
    const best = t.series.flatMap((s) => s.values.map((v, i) => ({ v, at: t.labels[i], s: s.label }))).reduce((a, b) => (b.v > a.v ? b : a), { v: 0, at: '', s: '' });
    specs.push({
      id: 'chart-throughput',
      title: `Throughput against ${t.axis}`,
      caption: `Highest: ${best.v.toFixed(1)} requests/s at ${t.axis} ${best.at}${t.series.length > 1 ? ` (${best.s})` : ''}.`,
      draw: (canvas, prev) => drawChart(canvas, { type: 'line', labels: t.labels, series: t.series, xTitle: t.axis, yTitle: 'requests/s' }, prev),
    });
  }
  const p = run.charts.profile;
  if (p) {
    specs.push({
      id: 'chart-profile',
      title: 'Time per component (avg ms per call)',
      caption: p.labels.map((l, i) => `${l} ${p.avgMs[i].toFixed(2)} ms${p.percentage[i] ? ` (${p.percentage[i].toFixed(1)} %)` : ''}`).join(' · ') + (p.bottleneck ? ` — bottleneck: ${p.bottleneck}` : ''),
      draw: (canvas, prev) => drawChart(canvas, { type: 'bar', labels: p.labels, series: [{ label: 'avg ms', values: p.avgMs }], horizontal: true, xTitle: 'ms', legend: false }, prev),
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
      el('h3', { text: 'Figures' }),
      el('table', { className: 'grid metrics', attrs: { 'data-testid': 'metrics' } }, [
        el('thead', {}, [el('tr', {}, [el('th', { text: 'Metric' }), el('th', { text: 'Value', attrs: { class: 'num' } })])]),
        el('tbody', {}, shown.map((m) => el('tr', {}, [el('td', { text: m.label }), el('td', { className: 'num', text: fmt(m.value, m.unit) })]))),
      ]),
    );
    if (run.metrics.length > shown.length) parts.push(el('p', { className: 'muted small', text: `…and ${run.metrics.length - shown.length} more figures: export the run to see them all.` }));
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
    const del = custom('vscode-button', { secondary: '', title: 'Delete this run from the history' }, ['Delete']);
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
  const parts: Node[] = [custom('vscode-divider'), el('h2', { text: `History (${runs.length} run${runs.length === 1 ? '' : 's'})` })];
  if (runs.length >= 2) {
    const compare = custom('vscode-button', { id: 'compare' }, ['Compare']);
    compare.addEventListener('click', () => post({ type: 'benchmark/compare', a: compareA, b: compareB }));
    parts.push(
      el('div', { className: 'toolbar wrap' }, [
        el('label', { text: 'Compare', attrs: { for: 'cmp-a' } }),
        runSelect('cmp-a', 'Run A', runs, compareA, (v) => (compareA = v)),
        el('span', { className: 'muted', text: 'with' }),
        runSelect('cmp-b', 'Run B', runs, compareB, (v) => (compareB = v)),
        compare,
      ]),
    );
  }
  parts.push(el('table', { className: 'grid history', attrs: { 'data-testid': 'history' } }, [el('thead', {}, [el('tr', {}, ['Run', 'Status', 'Started', 'Summary', ''].map((h) => el('th', { text: h })))]), el('tbody', {}, rows)]));
  historySection.replaceChildren(...parts);
}

function renderComparison(c: RunComparison | undefined): void {
  if (!c) {
    comparisonSection.replaceChildren();
    return;
  }
  const close = custom('vscode-button', { secondary: '' }, ['Close comparison']);
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
    el('div', { className: 'form-head' }, [el('h2', { text: 'Comparison' }), close]),
    el('p', { className: 'muted small', text: `A: ${c.a.title} (${when(c.a.startedAt)}) · B: ${c.b.title} (${when(c.b.startedAt)}). Δ is B − A; green is better, red is worse.` }),
    el('table', { className: 'grid compare', attrs: { 'data-testid': 'comparison' } }, [
      el('thead', {}, [el('tr', {}, ['Metric', 'A', 'B', 'Δ', 'Δ %'].map((h, i) => el('th', { text: h, ...(i > 0 ? { attrs: { class: 'num' } } : {}) })))]),
      el('tbody', {}, rows),
    ]),
  );
}

// ---- Render -----------------------------------------------------------------------------

function render(): void {
  const state = current;
  showText(banner, formError ?? errorBanner ?? state?.error);
  showText(notice, state?.notice);
  if (!state) {
    formCard.replaceChildren(el('p', { className: 'muted', text: 'Loading…' }));
    reportRendered(app);
    return;
  }
  const formKey = JSON.stringify(state.form);
  if (formKey !== syncedForm) {
    syncedForm = formKey;
    buildForm(state, state.form);
  }
  renderProgress(state);
  const empty = state.runs.length === 0 && !state.running;
  emptyState.toggleAttribute('hidden', !empty);
  emptyState.replaceChildren(
    el('p', { text: 'No benchmark runs yet.' }),
    el('p', { className: 'muted', text: 'Choose a benchmark above and press Run — everything runs offline on the embedded local model by default. Or run "PepperPy: Optimize RAG Pipeline" on a pipeline config; with no config yet, it offers to create a starter one (config, corpus and test queries) in this workspace.' }),
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
