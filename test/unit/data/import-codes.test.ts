import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ImportError } from '../../../src-main/data/errors.js';
import { parseIdx } from '../../../src-main/data/formats/idx.js';
import { parseNpy, toLabels } from '../../../src-main/data/formats/npy.js';
import { readImageFolder } from '../../../src-main/data/formats/images.js';
import { messageText } from '../../../src-main/shared/messages.js';
import { messageIn } from '../../../src-renderer/src/lib/verdict-text.js';
import { translate } from '../../../src-renderer/src/i18n/translate.js';

/**
 * The rarer import refusals (IDX, NPY, image folders, gzip) are coded messages: the CLI's English is
 * the text it always was, and a page says each in Korean.
 */
function idx(bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}

function npy(header: string): Uint8Array {
  const text = Buffer.from(header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n', 'latin1');
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(text.length, 8);
  return Buffer.concat([pre, text]);
}

async function caught(fn: () => unknown): Promise<ImportError> {
  try { await fn(); } catch (err) { return err as ImportError; }
  throw new Error('expected a refusal');
}

describe('coded import refusals', () => {
  it('keep their English and are said in Korean', async () => {
    const root = mkdtempSync(join(tmpdir(), 'layerlab-codes-'));
    try {
      mkdirSync(join(root, 'one', 'shirts'), { recursive: true });
      writeFileSync(join(root, 'one', 'shirts', 'a.png'), 'x');
      mkdirSync(join(root, 'bad', 'a'), { recursive: true });
      mkdirSync(join(root, 'bad', 'b'), { recursive: true });
      writeFileSync(join(root, 'bad', 'a', 'notes.png'), 'not an image at all, just words');
      writeFileSync(join(root, 'bad', 'b', 'more.png'), 'also words');
      const cases: Array<[() => unknown, string, string]> = [
        [() => parseIdx('bad.idx', idx([1, 0, 8, 1, 0, 0, 0, 1, 0])), 'import.idxMagic', 'bad.idx: is not an IDX file (wrong magic number: the first two bytes must be zero)'],
        [() => parseIdx('short.idx', idx([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0])), 'import.idxTruncated', 'short.idx: is truncated: the header [2×2] uint8 needs 16 bytes, the file has 15'],
        [() => parseIdx('t.idx.gz', gzipSync(Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 7])).subarray(0, 12)), 'import.gzipBad', 't.idx.gz: is not a valid gzip file ('],
        [() => parseNpy({ file: 'c.npy' }, npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }")), 'import.npyDtype', "c.npy: has dtype '<c8', which is not supported; use uint8, int8–int64 or float32/float64 (x.astype('float32'))"],
        [() => readImageFolder(join(root, 'one')), 'import.imagesOneClass', `${join(root, 'one')}: has only one class sub-folder (shirts); an image dataset needs one sub-folder per class, at least 2 (root/<class>/<image>)`],
        [() => readImageFolder(join(root, 'bad')), 'import.imagesProblems', `${join(root, 'bad')}: has 2 files that cannot be imported: `],
      ];
      for (const [fn, code, english] of cases) {
        const err = await caught(fn);
        expect(err, code).toBeInstanceOf(ImportError);
        expect(err.coded?.code, english).toBe(code);
        expect(err.message.startsWith(english), err.message).toBe(true);
        expect(messageText(err.coded!)).toBe(err.message);
        const ko = messageIn(err.coded, err.message, (key, params) => translate('ko', key, params));
        expect(ko, code).toMatch(/[가-힣]/);
        expect(ko, code).not.toMatch(/\{\w+\}/);
        expect(ko.startsWith(String(err.coded!.params.file)), ko).toBe(true);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('keep their words across the importer process (JSON): a NaN label stays NaN', async () => {
    const err = await caught(() => toLabels({ file: 'y.npy' }, { data: Float32Array.from([0, NaN]), shape: [2], dtype: '<f4', notes: [] }, []));
    expect(err.message).toBe('y.npy: label 1 is NaN; labels must be whole numbers from 0 to 99999 (class indices)');
    const crossed = JSON.parse(JSON.stringify(err.coded)) as typeof err.coded;
    expect(messageText(crossed!)).toBe(err.message);
  });
});
