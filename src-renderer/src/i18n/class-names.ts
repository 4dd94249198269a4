/**
 * Class names of the built-in datasets in each language, by catalog id and class index. The
 * stored data keeps the names the dataset ships with (Fashion-MNIST's English ones); a page says
 * them in the chosen language at display time. Imported and generated datasets keep their own
 * names (their ids are never a catalog id), and so does a dataset whose class count does not match.
 */
import type { Locale } from './translate.js';

/** Fashion-MNIST's ten classes as 혼자 공부하는 머신러닝+딥러닝 names them (chapter 7-1). */
const FASHION_KO = ['티셔츠', '바지', '스웨터', '드레스', '코트', '샌달', '셔츠', '스니커즈', '가방', '앵클 부츠'] as const;

export const CLASS_NAMES: Record<Locale, Readonly<Record<string, readonly string[]>>> = {
  en: {},
  ko: { 'fashion-mnist': FASHION_KO },
};

/** The class names to show for a dataset: the chosen language's for a built-in one, else the stored ones. */
export function localClassNames(locale: Locale, datasetId: string | null | undefined, stored: readonly string[]): string[] {
  const own = datasetId ? CLASS_NAMES[locale][datasetId] : undefined;
  return own && own.length === stored.length ? [...own] : [...stored];
}
