import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import * as l10n from '@vscode/l10n';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, type Plugin } from 'chart.js';
import type { ModelInspection } from '../../src/protocol/model';
import {
  automaticRefusalHint,
  candidateRows,
  defaultOutputPath,
  defaultRequest,
  formatBytes,
  formatSpeedup,
  layersByOpText,
  MANUAL_START,
  MODEL_OPERATIONS,
  ModelRunRequestSchema,
  outputFidelityText,
  PROVIDER_NAMES,
  QUANT_FORMAT_CHOICES,
  QUANT_FORMAT_LABELS,
  resultHeadline,
  resultWarnings,
  searchView,
  sizeChange,
  taskFidelityLine,
  type ModelBrowseField,
  type ModelOperation,
  type ModelRunFigures,
  type ModelRunRecord,
  type ModelRunRequest,
  type ModelViewState,
} from '../../src/protocol/modelPanel';
import { baseOptions, chartTheme, legendLabels, themedAxis } from './lib/charts';
import { custom, el, post, reportRendered, showText, startPanel } from './lib/host';

// The speedup bars and the size-against-fidelity scatter plot: only what they use is registered.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, ScatterController, Legend, Tooltip);

const app = document.getElementById('app')!;
let current: ModelViewState | undefined;
let errorBanner: string | undefined;
let formError: string | undefined;

// ---- Formatting ----------------------------------------------------------------------

const bytes = formatBytes;
function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
function when(iso: string): string {
  const d = new Date(iso);
  // Dates in the editor's language (the host sets <html lang>); numbers stay en-US, as in the other panels.
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(document.documentElement.lang || 'en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
/** The operations in the user's language (OPERATION_LABELS in src/protocol/modelPanel.ts is the English). */
function operationLabel(o: ModelOperation): string {
  switch (o) {
    case 'quantize':
      return l10n.t('Quantize');
    case 'prune':
      return l10n.t('Prune');
    case 'compress':
      return l10n.t('Compress');
    case 'optimize':
      return l10n.t('Optimize for a device');
  }
}
/** The quantization formats' labels; only "Automatic" has words to translate, the rest are format names. */
function formatLabel(f: string): string {
  return f === 'auto' ? l10n.t('Automatic (fastest faithful)') : (QUANT_FORMAT_LABELS[f as keyof typeof QUANT_FORMAT_LABELS] ?? f);
}
/** A run's status word (the record keeps the English identifier). */
function statusLabel(status: string): string {
  switch (status) {
    case 'completed':
      return l10n.t('completed');
    case 'cancelled':
      return l10n.t('cancelled');
    case 'failed':
      return l10n.t('failed');
    default:
      return status;
  }
}
function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

// ---- Layout: built once, so typing in the form survives progress updates ----------------

const banner = el('div', { className: 'error', attrs: { role: 'alert', hidden: '' } });
const notice = el('div', { className: 'notice', attrs: { role: 'status', hidden: '' } });
const modelCard = el('section', { className: 'card', attrs: { 'aria-label': l10n.t('Model') } });
const emptyState = el('div', { className: 'empty', attrs: { hidden: '' } });
const formCard = el('section', { className: 'card', attrs: { 'aria-label': l10n.t('Operation') } });
const progressCard = el('section', { className: 'card running', attrs: { 'aria-label': l10n.t('Running job'), hidden: '' } });
const resultSection = el('section', { attrs: { 'aria-label': l10n.t('Result') } });
const chartsSection = el('section', { attrs: { 'aria-label': l10n.t('Runs compared') } });
const historySection = el('section', { attrs: { 'aria-label': l10n.t('History') } });

app.replaceChildren(
  el('header', { className: 'header' }, [el('h1', { text: l10n.t('Model Optimization') }), el('span', { className: 'muted', text: l10n.t('quantize, prune, compress and optimize ONNX models — every figure measured on this machine') })]),
  banner,
  notice,
  modelCard,
  emptyState,
  formCard,
  progressCard,
  resultSection,
  chartsSection,
  historySection,
);

// ---- The model -------------------------------------------------------------------------

const pathInput = custom('vscode-textfield', { id: 'model-path', placeholder: l10n.t('path/to/model.onnx'), 'aria-label': l10n.t('Model path') }) as HTMLElement & { value: string };
pathInput.className = 'wide';
const chooseButton = custom('vscode-button', { id: 'choose-model' }, [l10n.t('Choose model…')]);
chooseButton.addEventListener('click', () => post({ type: 'model/pick' }));
const inspectButton = custom('vscode-button', { id: 'inspect', secondary: '' }, [l10n.t('Inspect')]);
inspectButton.addEventListener('click', () => {
  const value = String(pathInput.value ?? '').trim();
  if (value === '') {
    errorBanner = l10n.t('Enter the path of an .onnx model, or use "Choose model…".');
    render();
    return;
  }
  post({ type: 'model/inspect', modelPath: value });
});
let shownModelPath = '';

function facts(i: ModelInspection): HTMLElement {
  const ops = Object.entries(i.opTypes).sort((a, b) => b[1] - a[1]);
  const io = (list: ModelInspection['inputs']) => list.map((t) => `${t.name} ${t.type} [${t.shape.join(', ')}]`).join('; ') || l10n.t('none');
  const rows: Array<[string, string]> = [
    [l10n.t('Size'), bytes(i.sizeBytes)],
    [l10n.t('Parameters'), int(i.parameterCount)],
    [l10n.t('Opset'), Object.entries(i.opsets).map(([d, v]) => `${d || 'ai.onnx'} ${v}`).join(', ')],
    [l10n.t('IR version / producer'), `${i.irVersion} / ${i.producer || l10n.t('unknown')}`],
    [l10n.t('Nodes'), `${int(i.nodeCount)}${i.subgraphCount > 0 ? l10n.t(' ({0} subgraphs)', i.subgraphCount) : ''}`],
    [l10n.t('Ops'), `${ops.slice(0, 8).map(([op, n]) => `${op} ×${n}`).join(', ')}${ops.length > 8 ? l10n.t(', +{0} more', ops.length - 8) : ''}`],
    [l10n.t('Inputs'), io(i.inputs)],
    [l10n.t('Outputs'), io(i.outputs)],
    [l10n.t('Quantizable layers'), String(i.quantizableLayers)],
  ];
  if (i.weights.externalDataFiles.length > 0) rows.push([l10n.t('External data'), i.weights.externalDataFiles.join(', ')]);
  return el('table', { className: 'facts', attrs: { 'data-testid': 'model-facts' } }, [el('tbody', {}, rows.map(([k, v]) => el('tr', {}, [el('th', { text: k, attrs: { scope: 'row' } }), el('td', { text: v })])))]);
}

function renderModel(state: ModelViewState): void {
  const m = state.model;
  if (m && m.path !== shownModelPath) {
    shownModelPath = m.path;
    pathInput.value = m.path;
  }
  const body: Node[] = [];
  if (m?.inspecting) body.push(el('div', { className: 'busy' }, [custom('vscode-progress-ring'), el('span', { text: l10n.t('Reading {0}…', m.name) })]));
  else if (m?.error) body.push(el('div', { className: 'error', attrs: { role: 'alert', 'data-testid': 'model-error' }, text: m.error }));
  else if (m?.inspection) body.push(facts(m.inspection));
  modelCard.replaceChildren(el('div', { className: 'form-head' }, [el('h2', { text: m ? l10n.t('Model: {0}', m.name) : l10n.t('Model') })]), el('div', { className: 'toolbar' }, [chooseButton, pathInput, inspectButton]), ...body);
}

// ---- The form ---------------------------------------------------------------------------

/** `autoNumber`: a number with an "Automatic" checkbox beside it; checked sends 'auto' (the engine searches). */
type FieldKind = 'select' | 'number' | 'optionalNumber' | 'autoNumber' | 'checkbox' | 'path';
interface FieldSpec {
  /** Shown only when this holds for the form's current values (hidden fields keep their values). */
  when?: (values: Record<string, unknown>) => boolean;
  key: string;
  label: string;
  kind: FieldKind;
  options?: Array<[string, string]>;
  hint?: string;
  browse?: Exclude<ModelBrowseField, 'outPath'>;
  /** autoNumber: the checkbox's label, what it does, the number shown when it is unchecked, and whether an empty number is "not given". */
  auto?: { label: string; note: string; manual: number; optional?: boolean };
}

/** Every operation can measure on the user's own sample inputs. */
const SAMPLE_INPUTS: FieldSpec = { key: 'inputsPath', label: l10n.t('Sample inputs (.json, .npy, .npz, .png, .wav)'), kind: 'path', hint: l10n.t('optional; generated when empty'), browse: 'inputsPath' };

const FIELDS: Record<ModelOperation, FieldSpec[]> = {
  quantize: [
    { key: 'quantizationType', label: l10n.t('Type'), kind: 'select', options: [['int', l10n.t('int (integer weights)')], ['dynamic', l10n.t('dynamic (int8 activations)')], ['float', l10n.t('float (fp16/bf16 weights)')]] },
    { when: (v) => v.quantizationType === 'int', key: 'format', label: l10n.t('Format'), kind: 'select', options: QUANT_FORMAT_CHOICES.map((f) => [f, formatLabel(f)]) },
    { when: (v) => v.quantizationType !== 'float', key: 'bits', label: l10n.t('Bits'), kind: 'select', options: [['8', '8'], ['4', '4'], ['3', l10n.t('3 (in 4-bit containers)')], ['2', '2']] },
    { when: (v) => v.quantizationType !== 'float', key: 'method', label: l10n.t('Method'), kind: 'select', options: [['rtn', l10n.t('rtn (round to nearest)')], ['hqq', l10n.t('hqq (no data)')], ['gptq', l10n.t('gptq (calibration data)')]] },
    { when: (v) => v.quantizationType === 'int' && v.bits !== 8, key: 'blockSize', label: l10n.t('Block size'), kind: 'number' },
    { when: (v) => v.quantizationType === 'float', key: 'floatFormat', label: l10n.t('Float format'), kind: 'select', options: [['fp16', 'fp16'], ['bf16', 'bf16']] },
    { key: 'calibrationData', label: l10n.t('Calibration data (text/JSONL)'), kind: 'path', hint: l10n.t('optional; needed for gptq'), browse: 'calibrationData' },
    SAMPLE_INPUTS,
  ],
  prune: [
    {
      key: 'sparsity',
      label: l10n.t('Sparsity (0-0.99)'),
      kind: 'autoNumber',
      auto: {
        label: l10n.t('Automatic (largest faithful)'),
        note: l10n.t('Automatic: the engine prunes at several sparsities and keeps the largest whose task fidelity stays within tolerance; it refuses, writing nothing, when none does or when the result would be no smaller.'),
        manual: MANUAL_START.sparsity },
    },
    { key: 'method', label: l10n.t('Method'), kind: 'select', options: [['magnitude', 'magnitude'], ['random', 'random'], ['structured', l10n.t('structured (remove neurons)')]] },
    { key: 'activationAware', label: l10n.t('Activation-aware (Wanda)'), kind: 'checkbox' },
    { key: 'fineTune', label: l10n.t('Fine-tune (reconstruct weights)'), kind: 'checkbox' },
    { when: (v) => v.fineTune === true || v.activationAware === true, key: 'fineTuneDataset', label: l10n.t('Dataset (text/JSONL)'), kind: 'path', hint: l10n.t('needed for fine-tune'), browse: 'fineTuneDataset' },
    { when: (v) => v.fineTune === true, key: 'fineTuneEpochs', label: l10n.t('Fine-tune epochs'), kind: 'number' },
    SAMPLE_INPUTS,
  ],
  compress: [
    { key: 'method', label: l10n.t('Method'), kind: 'select', options: [['low_rank', l10n.t('low_rank (factorize weights)')], ['distillation', l10n.t('distillation (smaller student)')], ['knowledge_distillation', 'knowledge_distillation']] },
    {
      when: (v) => v.method === 'low_rank',
      key: 'targetSizeRatio',
      label: l10n.t('Target size ratio (0-1)'),
      kind: 'autoNumber',
      hint: l10n.t('empty: use the target error'),
      auto: {
        label: l10n.t('Automatic (smallest faithful)'),
        note: l10n.t('Automatic: the engine factors to several sizes and keeps the smallest whose task fidelity stays within tolerance; it refuses, writing nothing, when none does.'),
        manual: MANUAL_START.targetSizeRatio, optional: true },
    },
    // The automatic size target picks the rank itself: a target error applies without it.
    { when: (v) => v.method === 'low_rank' && v.targetSizeRatio !== 'auto', key: 'targetError', label: l10n.t('Target error'), kind: 'optionalNumber', hint: l10n.t('0-1, optional') },
    { when: (v) => v.method !== 'low_rank', key: 'numLayers', label: l10n.t('Layers to keep'), kind: 'optionalNumber', hint: l10n.t('optional') },
    { when: (v) => v.method !== 'low_rank', key: 'intermediateRatio', label: l10n.t('Intermediate ratio'), kind: 'optionalNumber', hint: l10n.t('0-1, optional') },
    { key: 'trainingData', label: l10n.t('Training data (text/JSONL)'), kind: 'path', hint: l10n.t('optional'), browse: 'trainingData' },
    { key: 'epochs', label: l10n.t('Epochs'), kind: 'number' },
    SAMPLE_INPUTS,
  ],
  optimize: [
    { key: 'optimizationTarget', label: l10n.t('Target'), kind: 'select', options: [['latency', 'latency'], ['throughput', 'throughput'], ['memory', 'memory'], ['balanced', 'balanced']] },
    { key: 'precision', label: l10n.t('Precision'), kind: 'select', options: [['fp32', 'fp32'], ['fp16', 'fp16'], ['bf16', 'bf16'], ['int8', 'int8']] },
    { key: 'batchSize', label: l10n.t('Batch size'), kind: 'number' },
    SAMPLE_INPUTS,
  ],
};

type Control = HTMLElement & { value?: string; checked?: boolean };
/** `auto`: the "Automatic" checkbox of an autoNumber field. */
interface FieldEntry {
  spec: FieldSpec;
  control: Control;
  auto?: Control;
  row?: HTMLElement;
}
const controls = new Map<string, FieldEntry>();
let operation: ModelOperation = 'quantize';
let syncedForm = '';
let lastBrowseSeq = 0;
const outInput = custom('vscode-textfield', { id: 'f-outPath', placeholder: l10n.t('beside the model') }) as HTMLElement & { value: string };
outInput.className = 'wide';
const outHint = el('p', { className: 'muted small', attrs: { 'data-testid': 'output-hint' } });
const runButton = custom('vscode-button', { id: 'run' }, [l10n.t('Run')]);

function select(id: string, label: string, options: Array<[string, string]>, value: string): Control {
  const node = custom('vscode-single-select', { id, 'aria-label': label }) as Control;
  for (const [v, text] of options) node.append(custom('vscode-option', v === value ? { value: v, selected: '' } : { value: v }, [text]));
  return node;
}

function buildForm(values: ModelRunRequest): void {
  operation = values.operation;
  controls.clear();
  const opSelect = select('operation', l10n.t('Operation'), MODEL_OPERATIONS.map((o) => [o, operationLabel(o)]), operation);
  opSelect.addEventListener('change', () => {
    const value = opSelect.value as ModelOperation | undefined;
    if (!value || value === operation || !(MODEL_OPERATIONS as readonly string[]).includes(value)) return;
    formError = undefined;
    // The sample inputs belong to the model, not to the operation: they stay when the operation changes.
    const samples = String(controls.get('inputsPath')?.control.value ?? '').trim();
    buildForm({ ...defaultRequest(value, current?.model?.path ?? values.modelPath, readDevice()), ...(samples ? { inputsPath: samples } : {}) });
    reportRendered(app);
  });
  const deviceSelect = select('device', l10n.t('Device'), [['auto', l10n.t('auto (CUDA, WebGPU, then CPU)')], ['cpu', 'cpu'], ['webgpu', 'webgpu'], ['cuda', 'cuda']], values.device ?? 'auto');
  controls.set('device', { spec: { key: 'device', label: 'Device', kind: 'select' }, control: deviceSelect });
  const rows: HTMLElement[] = [];
  for (const f of FIELDS[operation]) {
    const id = `f-${f.key}`;
    const raw = (values as Record<string, unknown>)[f.key];
    const automatic = f.kind === 'autoNumber' && raw === 'auto';
    // Automatic shows the number the field starts from when it is unchecked (greyed out until then).
    const text = automatic ? String(f.auto?.manual ?? '') : typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
    let control: Control;
    if (f.kind === 'select') control = select(id, f.label, f.options ?? [], text || (f.options?.[0]?.[0] ?? ''));
    else if (f.kind === 'checkbox') control = custom('vscode-checkbox', { id, label: f.label, ...(raw === true ? { checked: '' } : {}) });
    else {
      control = custom('vscode-textfield', { id, value: text, ...(f.hint ? { placeholder: f.hint } : {}) });
      control.className = f.kind === 'path' ? 'wide' : 'narrow';
    }
    const entry: FieldEntry = { spec: f, control };
    controls.set(f.key, entry);
    const parts: Node[] = [control];
    if (f.kind === 'autoNumber') {
      entry.auto = custom('vscode-checkbox', { id: `${id}-auto`, label: f.auto?.label ?? l10n.t('Automatic'), 'aria-label': `${f.label}: ${f.auto?.label ?? l10n.t('Automatic')}`, ...(automatic ? { checked: '' } : {}) });
      if (automatic) control.setAttribute('disabled', '');
      parts.push(entry.auto);
    }
    if (f.browse) {
      const which = f.browse;
      const browse = custom('vscode-button', { secondary: '', title: l10n.t('Choose a file') }, [l10n.t('Browse…')]);
      browse.addEventListener('click', () => post({ type: 'model/browse', field: which }));
      parts.push(browse);
    }
    const note = f.auto ? [el('p', { className: 'muted small', attrs: { 'data-testid': `${id}-note`, ...(automatic ? {} : { hidden: '' }) }, text: f.auto.note })] : [];
    entry.row = el('div', { className: 'field' }, f.kind === 'checkbox' ? [el('span', { className: 'muted', text: ' ' }), control] : [el('label', { text: f.label, attrs: { for: id } }), el('div', { className: 'inline' }, parts), ...note]);
    rows.push(entry.row);
  }
  outInput.value = values.outPath ?? '';
  const browseOut = custom('vscode-button', { secondary: '', title: l10n.t('Choose where to save') }, [l10n.t('Save as…')]);
  browseOut.addEventListener('click', () => post({ type: 'model/browse', field: 'outPath' }));
  rows.push(el('div', { className: 'field span' }, [el('label', { text: l10n.t('Output (.onnx)'), attrs: { for: 'f-outPath' } }), el('div', { className: 'inline' }, [outInput, browseOut]), outHint]));
  formCard.replaceChildren(
    el('div', { className: 'form-head' }, [el('h2', { text: l10n.t('Operation') }), opSelect, el('label', { text: l10n.t('Device'), attrs: { for: 'device' } }), deviceSelect]),
    el('div', { className: 'form-grid' }, rows),
    el('div', { className: 'toolbar' }, [runButton]),
  );
  updateOutputHint();
  // Custom selects read their options a moment after they are built.
  setTimeout(updateOutputHint, 0);
}

/** A select's value; right after it is built the element may not have read its options yet. */
function selectValue(control: Control): string {
  return control.value || control.querySelector('vscode-option[selected]')?.getAttribute('value') || '';
}

function readDevice(): ModelRunRequest['device'] {
  const control = controls.get('device')?.control;
  const v = control ? selectValue(control) : undefined;
  return v === 'cpu' || v === 'webgpu' || v === 'cuda' ? v : 'auto';
}

/** Reads the form into a request; numbers stay numbers (or NaN) so the schema names a bad one. */
function readForm(): Record<string, unknown> {
  const out: Record<string, unknown> = { operation, modelPath: String(pathInput.value ?? '').trim() || current?.model?.path || '', device: readDevice() };
  for (const [key, { spec, control, auto }] of controls) {
    if (key === 'device') continue;
    if (spec.kind === 'checkbox') out[key] = control.checked === true;
    else if (spec.kind === 'autoNumber' && auto?.checked === true) out[key] = 'auto';
    else if (spec.kind === 'select') out[key] = key === 'bits' ? Number(selectValue(control)) : selectValue(control);
    else {
      const text = String(control.value ?? '').trim();
      if (spec.kind === 'path') out[key] = text === '' ? undefined : text;
      else if (spec.kind === 'optionalNumber' || (spec.kind === 'autoNumber' && spec.auto?.optional)) out[key] = text === '' ? undefined : Number(text);
      else out[key] = text === '' ? Number.NaN : Number(text);
    }
  }
  // Optional fields that do not apply (hidden) are not sent, so a value typed for another method cannot leak in.
  for (const [key, { spec }] of controls) if (spec.when && !spec.when(out) && (spec.kind === 'path' || spec.kind === 'optionalNumber' || spec.kind === 'autoNumber')) delete out[key];
  const outPath = String(outInput.value ?? '').trim();
  if (outPath !== '') out.outPath = outPath;
  return out;
}

/** Shows the fields that apply to the current values, and where the output will go. */
function updateOutputHint(): void {
  const model = current?.model?.path;
  const values = readForm();
  for (const { spec, row } of controls.values()) if (spec.when && row) row.toggleAttribute('hidden', !spec.when(values));
  // Automatic greys out the number (kept for when it is unchecked) and says what it does.
  for (const { control, auto, row } of controls.values()) {
    if (!auto) continue;
    control.toggleAttribute('disabled', auto.checked === true);
    row?.querySelector('[data-testid$="-note"]')?.toggleAttribute('hidden', auto.checked !== true);
  }
  const parsed = ModelRunRequestSchema.safeParse(values);
  const chosen = String(outInput.value ?? '').trim() !== '';
  outHint.textContent = chosen
    ? l10n.t('If the file exists you will be asked before it is replaced.')
    : l10n.t('Empty: {0} next to the model (never the model itself).', model && parsed.success ? baseName(defaultOutputPath(model, parsed.data)) : '<name>.<operation>.onnx');
}
formCard.addEventListener('change', updateOutputHint);
formCard.addEventListener('input', updateOutputHint);

runButton.addEventListener('click', () => {
  if (current?.running) return;
  const raw = readForm();
  if (!raw.modelPath) {
    formError = l10n.t('Choose a model first ("Choose model…" above).');
    render();
    return;
  }
  const parsed = ModelRunRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    formError = issue ? issue.message : l10n.t('Check the parameters.');
    render();
    return;
  }
  formError = undefined;
  post({ type: 'model/run', request: raw as ModelRunRequest });
});

const formProblem = el('p', { className: 'error', attrs: { role: 'alert', hidden: '', 'data-testid': 'form-error' } });

// ---- Progress ---------------------------------------------------------------------------

function renderProgress(state: ModelViewState): void {
  const r = state.running;
  progressCard.toggleAttribute('hidden', !r);
  runButton.toggleAttribute('disabled', r !== undefined);
  if (!r) {
    progressCard.replaceChildren();
    return;
  }
  const bar = custom('vscode-progress-bar', r.percent !== undefined ? { value: String(r.percent / 100), max: '1' } : { indeterminate: '' });
  const cancel = custom('vscode-button', { id: 'cancel', secondary: '' }, [l10n.t('Cancel')]);
  cancel.addEventListener('click', () => post({ type: 'model/cancel' }));
  progressCard.replaceChildren(
    el('div', { className: 'form-head' }, [el('h2', { text: l10n.t('Running: {0}', r.title) }), cancel]),
    bar,
    el('p', { className: 'muted', attrs: { 'data-testid': 'progress' }, text: `${r.percent !== undefined ? `${r.percent} % · ` : ''}${r.message}` }),
  );
}

// ---- The selected run -------------------------------------------------------------------

/** "not faithful" in the warning colour (set through the CSSOM, which the panel's CSP allows). */
function unfaithfulBadge(): HTMLElement {
  const badge = custom('vscode-badge', { class: 'status unfaithful', 'data-testid': 'unfaithful-badge', title: l10n.t('The model was written, but its task fidelity is out of tolerance: see the warnings.') }, [l10n.t('not faithful')]);
  badge.style.setProperty('--vscode-badge-background', 'var(--vscode-editorWarning-foreground)');
  badge.style.setProperty('--vscode-badge-foreground', 'var(--vscode-editor-background)');
  return badge;
}

function renderResult(state: ModelViewState): void {
  const run = state.runs.find((r) => r.id === state.selectedId) ?? (state.running ? undefined : state.runs[0]);
  if (!run) {
    resultSection.replaceChildren();
    return;
  }
  // A model written out of tolerance is "completed" but not usable as is: the badge says so beside the status.
  const unfaithful = run.status === 'completed' && run.figures?.task?.withinTolerance === false;
  const head = el('div', { className: 'form-head' }, [
    el('h2', { text: l10n.t('Result: {0} · {1}', run.label, baseName(run.modelPath)) }),
    custom('vscode-badge', { class: `status ${run.status}` }, [statusLabel(run.status)]),
    ...(unfaithful ? [unfaithfulBadge()] : []),
  ]);
  if (run.status !== 'completed' || !run.figures) {
    // A failure (an 'unsupported: …' refusal among them) is an error, in the engine's own words; a cancel is a notice.
    const failed = run.status === 'failed';
    const hint = failed ? automaticRefusalHint(run.request, run.error) : undefined;
    resultSection.replaceChildren(
      head,
      el('p', { className: failed ? 'headline error' : `headline ${run.status}`, attrs: { 'data-testid': 'result-headline', ...(failed ? { role: 'alert' } : {}) }, text: run.error ?? statusLabel(run.status) }),
      ...(hint ? [el('p', { className: 'muted', attrs: { 'data-testid': 'refusal-hint' }, text: hint })] : []),
    );
    return;
  }
  const f = run.figures;
  const provider = PROVIDER_NAMES[f.executionProvider] ?? f.executionProvider;
  const open = custom('vscode-button', { id: 'open-output' }, [l10n.t('Open output')]);
  open.addEventListener('click', () => post({ type: 'model/openOutput', runId: run.id }));
  const copy = custom('vscode-button', { id: 'copy-json', secondary: '' }, [l10n.t('Copy result JSON')]);
  copy.addEventListener('click', () => post({ type: 'model/copyResult', runId: run.id }));
  const notes = Array.isArray(f.notes) ? f.notes : [];
  const fallback = notes.filter((n) => /fall(s|ing)? ?back|fell back|could not start/i.test(n));
  const warnings = resultWarnings(f);
  const size = sizeChange(f.originalSize, f.newSize);
  const task = taskFidelityLine(f);
  const rows: Array<[string, string, string?]> = [
    [l10n.t('Size'), `${bytes(f.originalSize)} → ${bytes(f.newSize)} (${size.text})`, size.larger ? 'warn' : undefined],
    [l10n.t('Measured speedup'), l10n.t('{0} (median {1} ms → {2} ms)', formatSpeedup(f.measuredSpeedup), f.referenceMs.toFixed(3), f.optimizedMs.toFixed(3)), f.measuredSpeedup > 0 && f.measuredSpeedup < 1 ? 'warn' : undefined],
  ];
  if (task) rows.push([l10n.t('Task fidelity'), task, f.task?.withinTolerance === false ? 'warn' : undefined]);
  if (f.task?.description) rows.push([l10n.t('How it was measured'), readable(f.task.description)]);
  rows.push([l10n.t('Output fidelity'), outputFidelityText(f)], [l10n.t('Inputs'), f.fidelityInputs], [l10n.t('Execution provider'), provider], [l10n.t('What was done'), f.detail]);
  const layers = layersByOpText(f.layersByOp);
  if (layers) rows.push([l10n.t('Layers quantized'), layers]);
  rows.push([l10n.t('Output'), run.outPath]);
  resultSection.replaceChildren(
    head,
    ...(warnings.length > 0
      ? [el('div', { className: 'warning-block', attrs: { role: 'alert', 'data-testid': 'result-warnings' } }, [el('strong', { text: warnings.length === 1 ? l10n.t('Warning') : l10n.t('Warnings ({0})', warnings.length) }), el('ul', {}, warnings.map((w) => el('li', { text: readable(w) })))])]
      : []),
    el('p', { className: 'headline', attrs: { 'data-testid': 'result-headline' } }, joinParts(resultHeadline(f, provider))),
    // With device auto, running on the CPU when no GPU is found is the expected path, not a warning.
    ...fallback.map((n) => el('p', { className: run.request.device === 'auto' ? 'muted' : 'note', text: n })),
    ...formatBlock(f),
    ...searchBlock(f),
    el('table', { className: 'facts' }, [el('tbody', {}, rows.map(([k, v, cls]) => el('tr', {}, [el('th', { text: k, attrs: { scope: 'row' } }), el('td', { text: v, ...(cls ? { className: cls } : {}) })])))]),
    el('details', {}, [el('summary', { text: l10n.t('Notes ({0})', notes.length) }), el('ul', { className: 'suggestions' }, notes.map((n) => el('li', { text: readable(n) })))]),
    el('div', { className: 'toolbar' }, [open, copy]),
  );
}

/** The engine's metric identifiers in the words the panel uses for them ("maskIoU 97.6 %" → "mask IoU 97.6 %"). */
const MEASURE_WORDS: Record<string, string> = { maskIoU: l10n.t('mask IoU'), decisionAgreement: l10n.t('decision agreement'), top1Agreement: l10n.t('top-1 agreement'), ctcAgreement: l10n.t('CTC agreement'), lossIncreasePercent: l10n.t('loss increase') };
function readable(text: string): string {
  return text.replace(/\b(maskIoU|decisionAgreement|top1Agreement|ctcAgreement|lossIncreasePercent)\b/g, (m) => MEASURE_WORDS[m] ?? m);
}

/** The headline's parts joined by " · ", the ones to worry about in the warning colour. */
function joinParts(parts: Array<{ text: string; warn?: boolean }>): Node[] {
  const out: Node[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(document.createTextNode(' · '));
    out.push(p.warn ? el('span', { className: 'warn', text: p.text }) : document.createTextNode(p.text));
  });
  return out;
}

/**
 * An "out of tolerance: <how the task was measured>" verdict shows its first words only; the
 * measurement is in the cell's tooltip (and, for the chosen run, under "How it was measured").
 */
function shortVerdict(verdict: string): string {
  return /^out of tolerance: /.test(verdict) && verdict.length > 40 ? l10n.t('out of tolerance (hover for the measurement)') : verdict;
}

/** The chosen format, why, and the candidates measured against it (quantize runs that chose one). */
function formatBlock(f: ModelRunFigures): HTMLElement[] {
  const label = typeof f.chosenFormat === 'string' ? formatLabel(f.chosenFormat) : undefined;
  const rows = candidateRows(f);
  if (!label && rows.length === 0) return [];
  const out: HTMLElement[] = [];
  if (label) {
    out.push(
      el('div', { className: 'format-choice', attrs: { 'data-testid': 'chosen-format' } }, [
        el('span', { className: 'muted', text: `${l10n.t('Chosen format')} ` }),
        el('strong', { text: label }),
        ...(f.formatReason ? [el('span', { text: ` — ${readable(f.formatReason)}` })] : []),
      ]),
    );
  }
  if (rows.length > 0) {
    out.push(
      el('table', { className: 'grid candidates', attrs: { 'data-testid': 'candidates', 'aria-label': l10n.t('Formats measured') } }, [
        el('thead', {}, [el('tr', {}, [l10n.t('Format'), l10n.t('Size'), l10n.t('Speedup (screening)'), l10n.t('Task fidelity'), l10n.t('Verdict')].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))]),
        el(
          'tbody',
          {},
          rows.map((r) =>
            el('tr', { className: r.chosen ? 'chosen' : '' }, [
              el('td', { className: 'format-cell' }, [
                el('span', { text: r.chosen ? `✓ ${r.format}` : r.format, attrs: r.description ? { title: r.description } : {} }),
                ...(r.chosen ? [el('span', { className: 'muted small', text: l10n.t(' (chosen)') })] : []),
                ...(r.variant ? [el('div', { className: 'muted small variant', text: r.variant })] : []),
              ]),
              el('td', { className: `num${r.larger ? ' warn' : ''}`, text: r.size }),
              el('td', { className: `num${r.slower ? ' warn' : ''}`, text: r.speedup }),
              el('td', { className: r.fidelity !== '—' && !r.withinTolerance ? 'warn' : '', text: r.fidelity }),
              el('td', { className: 'verdict-cell', text: shortVerdict(r.verdict), attrs: shortVerdict(r.verdict) !== r.verdict ? { title: readable(r.verdict) } : {} }),
            ]),
          ),
        ),
      ]),
    );
  }
  return out;
}

/** An automatic sparsity or size target: what was kept, and every value tried with its verdict. */
function searchBlock(f: ModelRunFigures): HTMLElement[] {
  const view = searchView(f);
  if (!view) return [];
  const column = view.title === l10n.t('Automatic sparsity') ? l10n.t('Sparsity') : l10n.t('Size ratio');
  return [
    el('div', { className: 'format-choice', attrs: { 'data-testid': 'search-kept' } }, [el('strong', { text: view.title }), el('span', { text: ` — ${view.summary}` })]),
    el('table', { className: 'grid candidates', attrs: { 'data-testid': 'auto-search', 'aria-label': l10n.t('{0}: values tried', view.title) } }, [
      el('thead', {}, [el('tr', {}, [column, l10n.t('Size'), l10n.t('Task fidelity'), l10n.t('Verdict')].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))]),
      el(
        'tbody',
        {},
        view.rows.map((r) =>
          el('tr', { className: r.kept ? 'chosen' : '' }, [
            el('td', { className: 'format-cell' }, [el('span', { text: r.kept ? `✓ ${r.value}` : r.value }), ...(r.kept ? [el('span', { className: 'muted small', text: l10n.t(' (kept)') })] : [])]),
            el('td', { className: `num${r.larger ? ' warn' : ''}`, text: r.size }),
            el('td', { className: r.fidelity !== '—' && !r.withinTolerance ? 'warn' : '', text: r.fidelity }),
            el('td', { className: 'verdict-cell', text: r.verdict }),
          ]),
        ),
      ),
    ]),
  ];
}

// ---- Charts and history -----------------------------------------------------------------

const charts = new Map<string, Chart>();
let chartsKey = '';

function renderCharts(state: ModelViewState): void {
  const done = state.runs.filter((r) => r.status === 'completed' && r.figures).slice(0, 10).reverse();
  if (done.length === 0) {
    for (const c of charts.values()) c.destroy();
    charts.clear();
    chartsKey = '';
    chartsSection.replaceChildren();
    return;
  }
  const key = JSON.stringify(done.map((r) => r.id));
  if (key === chartsKey) return;
  chartsKey = key;
  for (const c of charts.values()) c.destroy();
  charts.clear();
  const labels = done.map((r, i) => `${i + 1}. ${r.label}`);
  const box = (id: string, title: string, caption: string) => {
    const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': title, id } });
    return { canvas, node: el('div', { className: 'chart-card' }, [el('h3', { text: title }), el('div', { className: 'chart-box' }, [canvas]), el('p', { className: 'muted small', text: caption })]) };
  };
  const quality = box('chart-size-fidelity', l10n.t('Size against fidelity, one point per run'), l10n.t('Right is smaller, up is closer to the original model’s outputs (cosine similarity, 1 = identical).'));
  const speed = box(
    'chart-speedup',
    l10n.t('Measured speedup per run (×)'),
    l10n.t('Original median latency ÷ new median latency, both timed on the provider that ran; the dashed line is 1.0× (the original’s speed): above it is faster, below it slower.'),
  );
  chartsSection.replaceChildren(el('h2', { text: l10n.t('Runs compared') }), el('div', { className: 'charts' }, [quality.node, speed.node]));
  charts.set('quality', drawScatter(quality.canvas, done, labels));
  charts.set('speed', drawSpeedup(speed.canvas, done.map((r) => r.figures!.measuredSpeedup), labels));
}

/** Speedup bars with a dashed reference line across the plot at 1.0× (the original's speed), always in view. */
function drawSpeedup(canvas: HTMLCanvasElement, speedups: number[], labels: string[]): Chart {
  const theme = chartTheme();
  const { palette, foreground, font } = theme;
  const axis = themedAxis(theme);
  const referenceLine: Plugin<'bar'> = {
    id: 'speedupReference',
    afterDatasetsDraw(c) {
      const at = c.scales.y.getPixelForValue(1);
      const { left, right, top, bottom } = c.chartArea;
      if (at < top || at > bottom) return;
      const ctx = c.ctx;
      ctx.save();
      ctx.strokeStyle = foreground;
      ctx.globalAlpha = 0.85;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(left, at);
      ctx.lineTo(right, at);
      ctx.stroke();
      // The key sits above the plot area (in the top padding), like a legend entry: a dashed
      // sample and its words, so no bar can cover it (drawn on the line, a bar above 1.0× hid it).
      const label = l10n.t('1.0× = original speed');
      ctx.font = `${font.size - 1}px ${font.family}`;
      const width = ctx.measureText(label).width;
      const y = top - 8;
      ctx.beginPath();
      ctx.moveTo(right - width - 30, y);
      ctx.lineTo(right - width - 8, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = foreground;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(label, right, y);
      ctx.restore();
    },
  };
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label: l10n.t('Speedup ×'), data: speedups, backgroundColor: palette[0], borderColor: palette[0], borderWidth: 0 }] },
    options: {
      ...baseOptions(theme),
      // Room above the plot for the reference line's key.
      layout: { padding: { top: font.size + 10 } },
      // 1.0× stays inside the axis even when every run is slower (all bars below 1).
      scales: { x: axis, y: { ...axis, beginAtZero: true, suggestedMax: Math.max(1.1, ...speedups.map((v) => v * 1.05)) } },
      plugins: { legend: { display: false } },
    },
    plugins: [referenceLine],
  });
}

/** Size reduction (x) against cosine similarity (y); the y axis fits the points, since good runs all sit near 1. */
function drawScatter(canvas: HTMLCanvasElement, runs: ModelRunRecord[], labels: string[]): Chart {
  const theme = chartTheme();
  const { palette, foreground, font } = theme;
  const ys = runs.map((r) => r.figures!.cosineSimilarity);
  const low = Math.min(...ys);
  const pad = Math.max((1 - low) * 0.25, 1e-5);
  return new Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: runs.map((r, i) => ({
        label: labels[i] ?? r.label,
        data: [{ x: r.figures!.sizeReductionPercent, y: r.figures!.cosineSimilarity }],
        backgroundColor: palette[i % palette.length],
        borderColor: palette[i % palette.length],
        pointRadius: 6,
        pointHoverRadius: 8,
        // Points at cosine 1 sit on the top edge: let them show whole.
        clip: 10,
      })),
    },
    options: {
      ...baseOptions(theme),
      scales: {
        x: { ...themedAxis(theme, l10n.t('size reduction (%) — below 0 is larger than the source')), suggestedMin: 0, suggestedMax: 100 },
        y: { ...themedAxis(theme, l10n.t('cosine similarity')), min: Math.max(0, low - pad), max: 1, ticks: { color: foreground, font, callback: (v) => Number(v).toFixed(Math.min(6, Math.max(2, Math.ceil(-Math.log10(pad)) + 1))) } },
      },
      plugins: { legend: { display: true, position: 'bottom', labels: legendLabels(theme, 10) } },
    },
  });
}

function renderHistory(state: ModelViewState): void {
  if (state.runs.length === 0) {
    historySection.replaceChildren();
    return;
  }
  const rows = state.runs.slice(0, 50).map((r) => {
    const f = r.figures;
    const show = el('a', { className: 'link', text: r.label, attrs: { href: '#', title: l10n.t('Show this run') } });
    show.addEventListener('click', (e) => {
      e.preventDefault();
      post({ type: 'model/select', runId: r.id });
    });
    const del = el('a', { className: 'link', text: l10n.t('Delete'), attrs: { href: '#', title: l10n.t('Delete this run from the history (the output file stays)') } });
    del.addEventListener('click', (e) => {
      e.preventDefault();
      post({ type: 'model/delete', runId: r.id });
    });
    const size = f ? sizeChange(f.originalSize, f.newSize) : undefined;
    const slower = f !== undefined && f.measuredSpeedup > 0 && f.measuredSpeedup < 1;
    const warned = f !== undefined && resultWarnings(f).length > 0;
    return el('tr', { className: r.id === state.selectedId ? 'selected' : '' }, [
      el('td', { text: when(r.startedAt) }),
      el('td', { text: baseName(r.modelPath) }),
      el('td', {}, [show, ...(warned ? [el('span', { className: 'warn', text: ' ⚠', attrs: { title: l10n.t('This run has warnings: select it to read them'), 'aria-label': l10n.t('has warnings') } })] : [])]),
      el('td', { text: f && typeof f.chosenFormat === 'string' ? formatLabel(f.chosenFormat) : '' }),
      el('td', { text: statusLabel(r.status) }),
      el('td', { className: `num${size?.larger ? ' warn' : ''}`, text: size ? size.text : '' }),
      el('td', { className: `num${slower ? ' warn' : ''}`, text: f ? formatSpeedup(f.measuredSpeedup) : '' }),
      el('td', { className: 'num', text: f && Number.isFinite(f.cosineSimilarity) ? f.cosineSimilarity.toFixed(4) : '' }),
      el('td', { text: f ? f.executionProvider : '' }),
      el('td', {}, [del]),
    ]);
  });
  historySection.replaceChildren(
    el('h2', { text: l10n.t('History') }),
    el('table', { className: 'grid history', attrs: { 'data-testid': 'history' } }, [
      el('thead', {}, [el('tr', {}, [l10n.t('When'), l10n.t('Model'), l10n.t('Operation'), l10n.t('Format'), l10n.t('Status'), l10n.t('Size'), l10n.t('Speedup'), l10n.t('Cosine'), l10n.t('Provider'), ''].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))]),
      el('tbody', {}, rows),
    ]),
  );
}

// ---- Rendering ----------------------------------------------------------------------------

function render(): void {
  const state = current;
  showText(banner, errorBanner ?? state?.error);
  showText(notice, state?.notice);
  if (!state) {
    formCard.replaceChildren(el('p', { className: 'muted', text: l10n.t('Loading…') }));
    reportRendered(app);
    return;
  }
  renderModel(state);
  const formKey = JSON.stringify(state.form);
  if (formKey !== syncedForm) {
    syncedForm = formKey;
    buildForm(state.form);
  }
  if (state.browsed && state.browsed.seq > lastBrowseSeq) {
    lastBrowseSeq = state.browsed.seq;
    const target = state.browsed.field === 'outPath' ? outInput : controls.get(state.browsed.field)?.control;
    if (target) target.value = state.browsed.path;
    updateOutputHint();
  }
  showText(formProblem, formError);
  if (!formProblem.isConnected) formCard.append(formProblem);
  const noModel = !state.model;
  emptyState.toggleAttribute('hidden', !(noModel && state.runs.length === 0));
  emptyState.replaceChildren(
    el('p', { text: l10n.t('No model chosen yet.') }),
    el('p', { className: 'muted', text: l10n.t('Press "Choose model…" and pick an .onnx file (or right-click one in the Explorer → "PepperPy: Optimize ONNX Model…"). Then choose an operation and press Run: the output is written next to the model as <name>.<operation>.onnx, the source is never changed, and each run’s size, speed and fidelity are kept in the history below.') }),
  );
  renderProgress(state);
  renderResult(state);
  renderCharts(state);
  renderHistory(state);
  reportRendered(app);
}

startPanel('model/didChange', (state, error) => {
  current = state;
  errorBanner = error;
  render();
});
