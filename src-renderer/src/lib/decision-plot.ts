/**
 * Drawing a 2-feature dataset and, when a model was trained on it, its decision regions, as
 * TensorFlow Playground does: each cell of the grid in the colour of the class the model picks,
 * paler where it is less sure; the points on top (training points with a white edge, scored points
 * with a dark one), misclassified ones ringed.
 */

/** Okabe-Ito: told apart with the common colour-vision deficiencies; orange and blue first, as the Playground. */
export const CLASS_COLORS = ['#E69F00', '#0072B2', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442', '#000000'];

export function classColor(k: number): string {
  return CLASS_COLORS[k % CLASS_COLORS.length];
}

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * A cell's colour: white mixed with its class's colour, more the surer the model is (confidence
 * at chance, 1/k, is white-ish; at 1 it is the class colour at 60%, so points stay readable).
 */
export function cellColor(cls: number, conf: number, classes: number): [number, number, number] {
  const chance = 1 / Math.max(2, classes);
  const sure = Math.min(1, Math.max(0, (conf - chance) / (1 - chance)));
  const mix = 0.12 + 0.48 * sure;
  const [r, g, b] = rgb(classColor(cls));
  return [Math.round(255 + (r - 255) * mix), Math.round(255 + (g - 255) * mix), Math.round(255 + (b - 255) * mix)];
}

export interface PlotPoints { x: number[]; y: number[]; label: number[]; predicted?: number[] }

export interface PlotData {
  x: [number, number];
  y: [number, number];
  classes: number;
  regions?: { size: number; cls: number[]; conf: number[] } | null;
  train: PlotPoints;
  held?: PlotPoints | null;
  showTrain: boolean;
}

/** Where a point lands in a square of `side` pixels (y grows upward). */
export function toPixel(d: Pick<PlotData, 'x' | 'y'>, side: number, px: number, py: number): [number, number] {
  return [((px - d.x[0]) / (d.x[1] - d.x[0])) * side, side - ((py - d.y[0]) / (d.y[1] - d.y[0])) * side];
}

/** The range of a scatter's points with a 5% margin (for a dataset without regions). */
export function pointRange(xs: number[], ys: number[]): { x: [number, number]; y: [number, number] } {
  const span = (v: number[]): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of v) { if (a < lo) lo = a; if (a > hi) hi = a; }
    if (!Number.isFinite(lo)) return [-1, 1];
    const m = hi > lo ? (hi - lo) * 0.05 : 0.5;
    return [lo - m, hi + m];
  };
  return { x: span(xs), y: span(ys) };
}

/** Misclassified scored points: where the model's answer differs from the label. */
export function misclassifiedCount(held: PlotPoints | null | undefined): number {
  if (!held?.predicted) return 0;
  let n = 0;
  for (let i = 0; i < held.label.length; i++) if (held.predicted[i] !== held.label[i]) n++;
  return n;
}

/** Draws the plot into a square of `side` CSS pixels of `ctx` (already scaled for the device). */
export function drawPlot(ctx: CanvasRenderingContext2D, d: PlotData, side: number): void {
  ctx.clearRect(0, 0, side, side);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, side, side);
  if (d.regions) {
    const { size, cls, conf } = d.regions;
    const image = ctx.createImageData(size, size);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const [R, G, B] = cellColor(cls[r * size + c], conf[r * size + c], d.classes);
        // Row 0 of the grid is the smallest y: the image's bottom row.
        const o = 4 * ((size - 1 - r) * size + c);
        image.data[o] = R; image.data[o + 1] = G; image.data[o + 2] = B; image.data[o + 3] = 255;
      }
    }
    // Scaled up smoothly, as the Playground's regions look.
    const tmp = document.createElement('canvas');
    tmp.width = size; tmp.height = size;
    tmp.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tmp, 0, 0, side, side);
  }
  const dot = (px: number, py: number, fill: string, edge: string, radius: number) => {
    const [X, Y] = toPixel(d, side, px, py);
    ctx.beginPath();
    ctx.arc(X, Y, radius, 0, 2 * Math.PI);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = edge;
    ctx.stroke();
  };
  const r = side < 300 ? 2.5 : 3.2;
  if (d.showTrain) {
    for (let i = 0; i < d.train.x.length; i++) dot(d.train.x[i], d.train.y[i], classColor(d.train.label[i]), '#ffffff', r);
  }
  const held = d.held;
  if (held) {
    for (let i = 0; i < held.x.length; i++) dot(held.x[i], held.y[i], classColor(held.label[i]), '#1f2328', r);
    if (held.predicted) {
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#C00000';
      for (let i = 0; i < held.x.length; i++) {
        if (held.predicted[i] === held.label[i]) continue;
        const [X, Y] = toPixel(d, side, held.x[i], held.y[i]);
        ctx.beginPath();
        ctx.arc(X, Y, r + 3.5, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
  }
}
