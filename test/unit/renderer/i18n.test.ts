import { describe, expect, it } from 'vitest';
import { en } from '../../../src-renderer/src/i18n/en.js';
import { ko } from '../../../src-renderer/src/i18n/ko.js';
import { format, initialLocale, translate } from '../../../src-renderer/src/i18n/translate.js';
import { MESSAGE_TEXT } from '../../../src-main/shared/messages.js';
import { localClassNames } from '../../../src-renderer/src/i18n/class-names.js';
import { IDX_CATALOG } from '../../../src-main/data/catalog/idx-datasets.js';
import { PRESETS } from '../../../src-main/shared/presets.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('every English key exists in Korean and vice versa', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });

  it('every coded message the service sends has its words in the renderer, with the same placeholders', () => {
    for (const [code, text] of Object.entries(MESSAGE_TEXT)) {
      const key = `msg.${code}` as keyof typeof en;
      expect(en[key], key).toBeDefined();
      expect(placeholders(en[key]), key).toEqual(placeholders(text));
    }
  });

  it('no string is empty and both languages use the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[key].trim(), key).not.toBe('');
      expect(ko[key].trim(), key).not.toBe('');
      expect(placeholders(ko[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('uses the book’s Korean words for the navigation and the scores', () => {
    expect([ko['nav.data'], ko['nav.model'], ko['nav.train'], ko['nav.runs']]).toEqual(['데이터', '모델', '훈련', '실행 기록']);
    expect(ko['compare.col.train']).toBe('훈련 세트 점수');
    expect(ko['compare.col.val']).toBe('검증 세트 점수');
    expect(ko['model.hidden']).toBe('은닉층');
    expect(ko['model.activation']).toBe('활성화 함수');
    expect(ko['model.optimizer']).toBe('옵티마이저');
  });

  it('says Fashion-MNIST’s classes as the book does in Korean, by catalog id and index; other datasets keep their names', () => {
    const stored = IDX_CATALOG.find((e) => e.id === 'fashion-mnist')!.classNames;
    expect(localClassNames('ko', 'fashion-mnist', stored)).toEqual(['티셔츠', '바지', '스웨터', '드레스', '코트', '샌달', '셔츠', '스니커즈', '가방', '앵클 부츠']);
    expect(localClassNames('en', 'fashion-mnist', stored)).toEqual(stored);
    // An imported set named like it, or one whose classes do not match, keeps its own names.
    expect(localClassNames('ko', 'fashion-mnist-3fa2c1', stored)).toEqual(stored);
    expect(localClassNames('ko', 'fashion-mnist', ['0', '1'])).toEqual(['0', '1']);
    expect(localClassNames('ko', 'iris-1a2b3c', ['setosa', 'versicolor', 'virginica'])).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('describes every preset in both languages, the English as the preset itself says it', () => {
    for (const p of PRESETS) {
      const key = `preset.${p.name}` as keyof typeof en;
      expect(en[key], key).toBe(p.description);
      expect(ko[key], key).not.toMatch(/\b(with|four|hidden|layers|learning|rate|up to|epochs|early|stopping|best|weights)\b/);
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('{a} of {b}', { a: 1, b: 'two' })).toBe('1 of two');
    expect(format('{a} {missing}', { a: 1 })).toBe('1 {missing}');
    expect(translate('ko', 'train.epochOf', { epoch: 2, epochs: 5 })).toBe('에포크 2 / 5');
  });

  it('remembers the stored choice, else follows the browser', () => {
    expect(initialLocale('ko', ['en-US'])).toBe('ko');
    expect(initialLocale(null, ['ko-KR', 'en'])).toBe('ko');
    expect(initialLocale('fr', ['de'])).toBe('en');
  });
});
