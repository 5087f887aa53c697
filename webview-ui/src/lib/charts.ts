/**
 * Chart.js with VS Code's theme: colours from the `--vscode-charts-*` variables, the
 * editor's font, no animation (charts redraw on state changes, and screenshots must be
 * stable). Only the controllers a panel uses are registered (drawChart's here, the others
 * by the panel that draws them), so each bundle leaves the rest of Chart.js out.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export interface ChartTheme {
  palette: string[];
  foreground: string;
  grid: string;
  font: { family: string; size: number };
}

export function chartTheme(): ChartTheme {
  // Blue, yellow, green first: they stay apart in light, dark and high-contrast themes.
  const palette = ['--vscode-charts-blue', '--vscode-charts-yellow', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-orange'].map((v, i) =>
    cssVar(v, ['#3794ff', '#cca700', '#89d185', '#b180d7', '#f14c4c', '#d18616'][i]),
  );
  const foreground = cssVar('--vscode-foreground', '#cccccc');
  const grid = cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.35)'));
  return { palette, foreground, grid, font: { family: cssVar('--vscode-font-family', 'sans-serif'), size: 12 } };
}

export interface SimpleChart {
  type: 'bar' | 'line';
  labels: string[];
  series: { label: string; values: number[] }[];
  xTitle?: string;
  yTitle?: string;
  horizontal?: boolean;
  legend?: boolean;
}

/** What every panel chart's options start from: no animation, the size of its box, the theme's text. */
export function baseOptions(theme: ChartTheme) {
  return { animation: false, responsive: true, maintainAspectRatio: false, color: theme.foreground, font: theme.font } as const;
}

/** A value or category axis in the theme's colours, with its title when given. */
export function themedAxis(theme: ChartTheme, title?: string) {
  const { foreground, grid, font } = theme;
  return { ticks: { color: foreground, font }, grid: { color: grid }, border: { color: grid }, ...(title ? { title: { display: true, text: title, color: foreground, font } } : {}) };
}

/** The legend's labels in the theme's colours. */
export function legendLabels(theme: ChartTheme, boxWidth: number) {
  return { color: theme.foreground, font: theme.font, boxWidth };
}

/** Draws (or redraws) a themed chart on `canvas`; returns the Chart to destroy later. */
export function drawChart(canvas: HTMLCanvasElement, spec: SimpleChart, previous?: Chart): Chart {
  // Registering again is a no-op; here rather than at import, so a panel that only uses the theme does not bundle these.
  Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);
  previous?.destroy();
  const theme = chartTheme();
  const { palette } = theme;
  const config: ChartConfiguration<'bar' | 'line'> = {
    type: spec.type,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: palette[i % palette.length],
        borderColor: palette[i % palette.length],
        borderWidth: spec.type === 'line' ? 2 : 0,
        pointRadius: spec.type === 'line' ? 3 : 0,
      })),
    },
    options: {
      ...baseOptions(theme),
      indexAxis: spec.horizontal ? 'y' : 'x',
      // xTitle names the horizontal axis and yTitle the vertical one, whichever holds the values.
      scales: { x: { ...themedAxis(theme, spec.xTitle), ...(spec.horizontal ? { beginAtZero: true } : {}) }, y: { ...themedAxis(theme, spec.yTitle), ...(spec.horizontal ? {} : { beginAtZero: true }) } },
      plugins: { legend: { display: spec.legend ?? spec.series.length > 1, position: 'bottom', labels: legendLabels(theme, 12) } },
    },
  };
  return new Chart(canvas, config);
}
