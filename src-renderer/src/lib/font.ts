/**
 * The bundled Korean font (Noto Sans KR, @fontsource, the Korean subset as woff2, served with the
 * app: no network). Only for Hangul (and CJK punctuation), through unicode-range, so Latin text keeps
 * the system font; without a system CJK font Hangul would otherwise show as empty boxes. Loaded at
 * start, so chart.js (which draws on a canvas and does not ask for fonts) has it too.
 */
import regular from '@fontsource/noto-sans-kr/files/noto-sans-kr-korean-400-normal.woff2?url';
import bold from '@fontsource/noto-sans-kr/files/noto-sans-kr-korean-700-normal.woff2?url';

export const KOREAN_FAMILY = 'Noto Sans KR';
const HANGUL = 'U+1100-11FF, U+3000-303F, U+3130-318F, U+A960-A97F, U+AC00-D7AF, U+D7B0-D7FF, U+FF00-FFEF';

/** Adds the faces and starts loading them; resolves when both are ready (or failed: the system font stays). */
export function loadKoreanFont(): Promise<void> {
  if (typeof FontFace === 'undefined' || !document.fonts) return Promise.resolve();
  const faces = [[regular, '400'], [bold, '700']].map(([url, weight]) => new FontFace(KOREAN_FAMILY, `url(${url}) format('woff2')`, { weight, unicodeRange: HANGUL, display: 'swap' }));
  for (const f of faces) document.fonts.add(f);
  return Promise.all(faces.map((f) => f.load())).then(() => undefined, () => undefined);
}
