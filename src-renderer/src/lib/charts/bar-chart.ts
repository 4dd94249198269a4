/** Bar chart glue (class counts): category axis, no animation. */
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export interface BarData { labels: string[]; values: number[]; xTitle: string; yTitle: string; color: string }

export class BarChart {
  private readonly chart: Chart<'bar', number[], string>;

  constructor(canvas: HTMLCanvasElement, data: BarData, label: string) {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', label);
    this.chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { type: 'category', title: { display: true, text: '' } }, y: { type: 'linear', beginAtZero: true, title: { display: true, text: '' }, ticks: { precision: 0 } } },
      },
    });
    this.update(data, label);
  }

  update(d: BarData, label: string): void {
    // Copies: chart.js defines listener properties on data arrays, which Svelte's $state proxies refuse.
    this.chart.data.labels = [...d.labels];
    this.chart.data.datasets = [{ data: [...d.values], backgroundColor: d.color, borderRadius: 3 }];
    const scales = this.chart.options.scales as { x: { title: { text: string } }; y: { title: { text: string } } };
    scales.x.title.text = d.xTitle;
    scales.y.title.text = d.yTitle;
    this.chart.canvas.setAttribute('aria-label', label);
    this.chart.update('none');
  }

  destroy(): void {
    this.chart.destroy();
  }
}
