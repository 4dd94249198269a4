/**
 * Our chart.js glue for line charts: only the parts used are registered, nothing animates, data
 * arrives already shaped ({x, y}, parsing off) and live updates redraw with update('none').
 */
import {
  Chart, LineController, LineElement, PointElement, LinearScale, Filler, Legend, Tooltip, Decimation,
  type ChartDataset, type ChartOptions,
} from 'chart.js';
import type { LineSeries, Point } from './series.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Legend, Tooltip, Decimation);
// The page's font stack, the bundled Noto Sans KR included (lib/font.ts), so Hangul in legends and axes is drawn.
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans KR', sans-serif";

export interface LineAxes { x: string; y: string; yMin?: number; yMax?: number; xMin?: number }

type LineData = ChartDataset<'line', Point[]>;

function fade(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Each series becomes one dataset; a band adds two more (hi, then lo filled up to hi). */
export function toDatasets(series: readonly LineSeries[]): LineData[] {
  const out: LineData[] = [];
  for (const s of series) {
    if (s.band) {
      out.push({ label: `${s.label} +sd`, data: [...s.band.hi], borderWidth: 0, pointRadius: 0, borderColor: 'transparent', backgroundColor: 'transparent', fill: false });
      out.push({ label: `${s.label} −sd`, data: [...s.band.lo], borderWidth: 0, pointRadius: 0, borderColor: 'transparent', backgroundColor: fade(s.color, 0.15), fill: '-1' });
    }
    out.push({
      label: s.label,
      // Copies: chart.js defines listener properties on data arrays, which $state proxies refuse.
      data: [...s.points],
      borderColor: s.color,
      backgroundColor: s.color,
      borderWidth: s.thin ? 1 : 2,
      borderDash: s.dashed ? [6, 4] : [],
      pointRadius: s.thin ? 0 : s.marker ? 8 : 3,
      pointHoverRadius: s.thin ? 0 : s.marker ? 10 : 5,
      ...(s.marker ? { showLine: false, pointStyle: 'rectRot' as const, backgroundColor: 'transparent', pointBorderWidth: 2 } : {}),
      fill: false,
      tension: 0,
    });
  }
  return out;
}

function options(axes: LineAxes): ChartOptions<'line'> {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', intersect: false },
    scales: {
      x: { type: 'linear', min: axes.xMin, title: { display: true, text: axes.x }, ticks: { precision: 0 } },
      y: { type: 'linear', min: axes.yMin, max: axes.yMax, title: { display: true, text: axes.y } },
    },
    plugins: {
      // Band edges are drawing aids, not legend entries.
      // Lines are shown as lines (dashed where the curve is), markers as their shape, so train
      // (dashed) and validation (solid) read apart in the legend too.
      legend: {
        position: 'bottom',
        labels: {
          usePointStyle: true, pointStyleWidth: 26, boxWidth: 8, boxHeight: 8,
          filter: (item) => !/[+−]sd$/.test(item.text),
          generateLabels: (chart) => Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
            const ds = chart.data.datasets[item.datasetIndex ?? 0] as LineData | undefined;
            return ds && ds.showLine !== false ? { ...item, pointStyle: 'line' as const, lineWidth: 2, strokeStyle: ds.borderColor as string, lineDash: (ds.borderDash as number[] | undefined) ?? [] } : item;
          }),
        },
      },
      tooltip: { filter: (item) => !/[+−]sd$/.test(item.dataset.label ?? '') },
      decimation: { enabled: true, algorithm: 'lttb', samples: 400, threshold: 800 },
    },
  };
}

export class LineChart {
  private readonly chart: Chart<'line', Point[]>;

  constructor(canvas: HTMLCanvasElement, axes: LineAxes, label: string) {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', label);
    this.chart = new Chart(canvas, { type: 'line', data: { datasets: [] }, options: options(axes) });
    // A canvas does not wait for web fonts: redraw once they have loaded.
    document.fonts?.addEventListener('loadingdone', this.redraw);
  }

  private readonly redraw = (): void => { this.chart.update('none'); };

  update(series: readonly LineSeries[], axes: LineAxes, label: string): void {
    this.chart.data.datasets = toDatasets(series);
    this.chart.options = options(axes);
    this.chart.canvas.setAttribute('aria-label', label);
    this.chart.update('none');
    // The scale chart.js chose, for tests and tools: a loss chart fits its own curves.
    const y = this.chart.scales.y;
    if (y) { this.chart.canvas.dataset.yMin = String(y.min); this.chart.canvas.dataset.yMax = String(y.max); }
  }

  destroy(): void {
    document.fonts?.removeEventListener('loadingdone', this.redraw);
    this.chart.destroy();
  }
}
