/**
 * Sample values (0..255, row-major [h, w] or [h, w, c]) to RGBA pixels. Grayscale is drawn dark on
 * light, as the book's plots do (matplotlib's gray_r), so ink reads on the light theme.
 */
export function toRgba(values: ArrayLike<number>, shape: readonly number[]): Uint8ClampedArray {
  const [h = 1, w = 1, c = 1] = shape;
  const out = new Uint8ClampedArray(h * w * 4);
  for (let i = 0; i < h * w; i++) {
    if (c >= 3) {
      out[4 * i] = values[i * c];
      out[4 * i + 1] = values[i * c + 1];
      out[4 * i + 2] = values[i * c + 2];
    } else {
      const v = 255 - values[i];
      out[4 * i] = v; out[4 * i + 1] = v; out[4 * i + 2] = v;
    }
    out[4 * i + 3] = 255;
  }
  return out;
}

export function drawSample(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, shape: readonly number[]): void {
  const [h = 1, w = 1] = shape;
  const img = ctx.createImageData(w, h);
  img.data.set(toRgba(values, shape));
  ctx.putImageData(img, 0, 0);
}
