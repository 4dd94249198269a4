import { describe, expect, it } from 'vitest';
import { en } from '../../../src-renderer/src/i18n/en.js';
import { ko } from '../../../src-renderer/src/i18n/ko.js';
import { format, initialLocale, translate } from '../../../src-renderer/src/i18n/translate.js';
import { MESSAGE_TEXT } from '../../../src-main/shared/messages.js';

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
