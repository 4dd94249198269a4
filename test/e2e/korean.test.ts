/**
 * Issue 12, "Korean all the way": a tour of every page of the browser mode in Korean at 1280 and
 * 1024 px (Data with an image set, a 2D set and an import the importer refuses, Model, Train, Runs, a run with its evaluation,
 * layers and predictions, a 2D run's decision regions, a comparison, Settings), on tiny real runs.
 * On each, the visible text and the tooltips, labels and chart legends hold no English word
 * outside a short list of names that stay as they are (Keras layers, activations and optimizers,
 * formats, backends); Fashion-MNIST's classes are the book's Korean names. Screenshots go to
 * test/e2e/screenshots/ to be looked at.
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { ROOT } from '../helpers/build.js';
import { WsClient } from '../helpers/ws-client.js';
import { openApp, screenshot, startServer, type Served } from './helpers/app.js';
import { Shell } from './pages/shell.js';
import type { ModelSpec } from '../../src-main/shared/spec.js';

/** Names said the same in Korean (lower case; Keras' own identifiers, formats, backends, the app). */
const KEPT = new Set([
  'layerlab', 'fashion', 'mnist', 'keras', 'none', 'book', 'english',
  'dense', 'flatten', 'dropout', 'reshape', 'conv', 'maxpooling', 'averagepooling', 'earlystopping', 'modelcheckpoint',
  'relu', 'sigmoid', 'softmax', 'tanh', 'linear', 'selu', 'softplus', 'softsign', 'swish', 'mish', 'gelu', 'gelu_new', 'hard_sigmoid',
  'same', 'valid', 'adam', 'adamax', 'adagrad', 'adadelta', 'rmsprop', 'nesterov', 'centered',
  'auto', 'native', 'wasm', 'webgpu', 'webgl', 'tensorflow', 'tfjs', 'webassembly', 'simd',
  'json', 'jpeg', 'images', 'libtensorflow',
  // The queue server's name (Settings › 훈련 대기열(Redis)).
  'redis',
]);
/** Every English word a Korean page still shows: text, tooltips, labels, placeholders, chart legends. */
async function englishOn(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const out = [document.body.innerText];
    const shown = (e: Element) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    for (const e of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
      if (!shown(e)) continue;
      for (const a of ['title', 'aria-label', 'placeholder', 'alt']) { const v = e.getAttribute(a); if (v) out.push(v); }
    }
    for (const e of document.querySelectorAll('[data-series]')) {
      for (const s of JSON.parse(e.getAttribute('data-series') ?? '[]') as { label: string }[]) out.push(s.label);
    }
    return out;
  });
  const words = new Set<string>();
  for (let text of texts) {
    // Paths, file names, quoted commands, command-line options, environment variables and the presets' names are the
    // machine's words, not the page's; so are ids and names with digits (group-mx6fyonr, Conv2D, AVX-512).
    text = text.replace(/'[^'\n]*'/g, ' ').replace(/\S*[/\\]\S*/g, ' ').replace(/\S+\.(gz|csv|json|png|jpe?g)\b/gi, ' ')
      .replace(/--[a-z][a-z-]*/g, ' ').replace(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+(=\S*)?/g, ' ').replace(/\bbook-[a-z-]+/g, ' ');
    for (const w of text.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []) {
      if (/\d/.test(w)) continue;
      if ((w.match(/[A-Za-z]/g) ?? []).length >= 4 && !KEPT.has(w.toLowerCase())) words.add(w);
    }
  }
  return [...words].sort();
}

const FASHION_KO = ['티셔츠', '바지', '스웨터', '드레스', '코트', '샌달', '셔츠', '스니커즈', '가방', '앵클 부츠'];

describe('Korean all the way, in the browser', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let client: WsClient;
  let shell: Shell;

  beforeAll(async () => {
    served = await startServer();
    ({ browser, page, errors } = await openApp(served.url));
    client = await WsClient.connect(served.wsUrl);
    shell = new Shell(page);
    const relu = (await client.invoke('models:presets', {})).find((p) => p.name === 'book-relu')!.spec;
    const finished = new Promise<void>((resolve) => { let n = 0; client.on('runs:finished', () => { if (++n === 3) resolve(); }); });
    await client.invoke('runs:start', { spec: { ...relu, training: { ...relu.training, epochs: 1 } } as ModelSpec, datasetId: 'fashion-mnist', limit: 300, repeat: 2, name: '렐루', saveModel: true });
    const xor = await client.invoke('datasets:generate', { kind: 'xor', samples: 200, seed: 1, name: '엑스오어' });
    const small = { inputShape: [2], layers: [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }], training: { epochs: 1 } };
    await client.invoke('runs:start', { spec: small, datasetId: xor.id, name: '작은 모델' });
    await finished;
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await shell.setLanguage('ko');
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await browser?.close();
    await served?.stop();
  });

  const seen: Record<string, string[]> = {};
  async function look(name: string): Promise<void> {
    seen[name] = await englishOn(page);
    await screenshot(page, `12-ko-${name}`);
  }

  for (const width of [1280, 1024]) {
    it(`shows every page in Korean at ${width} px`, async () => {
      await page.setViewportSize({ width, height: 900 });
      // At 1024 px the page starts afresh: runs are reopened from the store, not from live events.
      if (width === 1024) await page.reload();
      const datasets = page.getByTestId('datasets');
      const preview = page.getByTestId('preview');
      await shell.go('Data');
      await datasets.getByRole('button', { name: 'Fashion-MNIST 보기' }).click();
      await preview.locator('.class-name').first().waitFor();
      expect(await preview.locator('.class-name').allTextContents()).toEqual(FASHION_KO);
      await look(`data-${width}`);
      await datasets.getByRole('button', { name: '엑스오어 보기' }).click();
      await preview.getByTestId('sample-table').waitFor();
      await look(`data-2d-${width}`);
      // A file the importer refuses: its one line in Korean, naming the file and the line.
      const ragged = join(ROOT, 'test', 'fixtures', 'csv', 'error-ragged.csv');
      await page.locator('#imp-path').fill(ragged);
      await page.getByRole('button', { name: '가져오기', exact: true }).click();
      await expect(page.getByTestId('import-error').textContent()).resolves.toBe(`${ragged}: 17번째 줄: 필드가 4개인데, 첫 줄처럼 5개여야 합니다. 그 줄을 고치거나 지우세요.`);
      await page.getByTestId('import-error').scrollIntoViewIfNeeded();
      await look(`data-import-error-${width}`);
      // A path outside --import-root: the service's refusal, in Korean, the request's field named in Korean too.
      await page.locator('#imp-path').fill('/etc/hosts');
      await page.getByRole('button', { name: '가져오기', exact: true }).click();
      await expect.poll(() => page.getByTestId('import-error').textContent()).toBe(`가져올 파일: 페이지에서는 경로로 파일을 지정할 수 없습니다(/etc/hosts). 여기서는 ${join(ROOT, 'test', 'fixtures')} 안의 파일만 경로로 지정할 수 있으니, 파일을 업로드하세요.`);
      if (width === 1024) await look('data-import-outside-root');
      // The hint's --import-root stays whole on one line, at 1024 px too.
      await expect(page.locator('#imp-path-hint code.flag').evaluate((e) => [e.textContent, e.getClientRects().length])).resolves.toEqual(['--import-root', 1]);
      // An image folder with a file that is not an image: the importer process's coded refusal, in Korean.
      const notImage = join(ROOT, 'test', 'fixtures', 'images', 'bad', 'a', 'notes.txt');
      await page.locator('#imp-path').fill(join(ROOT, 'test', 'fixtures', 'images', 'bad'));
      await page.getByRole('button', { name: '가져오기', exact: true }).click();
      await expect.poll(() => page.getByTestId('import-error').textContent()).toBe(`${notImage}: 이미지가 아닙니다(알 수 없는 형식). 지우거나 클래스 폴더 밖으로 옮기세요.`);
      await look(`data-import-error-images-${width}`);

      await shell.go('Model');
      await page.locator('[data-layer="1"]').getByLabel('뉴런 수').fill('0');
      await expect(page.locator('[data-layer="1"] .field-error').first().textContent()).resolves.toBe('1 이상이어야 합니다.');
      await look(`model-${width}`);
      await page.locator('[data-layer="1"]').getByLabel('뉴런 수').fill('100');

      await shell.go('Train');
      await page.getByTestId('backends').waitFor();
      await look(`train-${width}`);

      await shell.go('Runs');
      await page.getByRole('button', { name: '렐루 (시드 1)을(를) 훈련 화면에서 열기' }).click();
      const matrix = page.getByTestId('confusion');
      await matrix.waitFor({ timeout: 30_000 });
      expect(await matrix.locator('tbody th').allTextContents()).toEqual(FASHION_KO);
      await page.getByTestId('predict-panel').locator('button[aria-label^="테스트 샘플 0"]').waitFor();
      if (width === 1024) {
        // The skipped backend rungs of a reopened run, from the stored run, in Korean; a rung not installed or with no GPU device is a note.
        const skipped = page.getByTestId('skipped');
        await skipped.first().waitFor();
        const lines = await skipped.evaluateAll((ps) => ps.map((p) => ({ code: p.getAttribute('data-code'), muted: p.classList.contains('muted'), text: p.textContent ?? '' })));
        for (const l of lines) expect(l.text).toMatch(/^\S+ 건너뜀: .*[가-힣]/);
        expect(lines.every((l) => l.code?.startsWith('backend.')), JSON.stringify(lines)).toBe(true);
        expect(lines.some((l) => l.muted), JSON.stringify(lines)).toBe(true);
      }
      await look(`run-${width}`);

      await shell.go('Runs');
      await page.getByRole('button', { name: '작은 모델을(를) 훈련 화면에서 열기' }).click();
      await page.getByTestId('regions').waitFor({ timeout: 30_000 });
      await look(`run-2d-${width}`);

      await shell.go('Runs');
      if (width === 1280) {
        // An experiment of the 28×28 model on the 2D set: the service's refusal, in Korean.
        await page.locator('#exp-dataset').selectOption({ label: '엑스오어' });
        await page.getByRole('button', { name: '실험 시작' }).click();
        const refused = page.getByRole('region', { name: '실험' }).getByRole('alert');
        await expect(refused.textContent()).resolves.toBe('오류: 모델의 입력 모양 [28, 28](값 784개)이 엑스오어의 샘플 [2](값 2개)에 맞지 않습니다. 모델 화면에서 입력 모양을 2(으)로 바꾸세요.');
        await refused.scrollIntoViewIfNeeded();
        await look('experiment-refused');
      }
      const clear = page.getByRole('button', { name: '선택 해제' });
      if (await clear.isEnabled()) await clear.click();
      await page.getByRole('checkbox', { name: '그룹 렐루 선택' }).check();
      await page.getByRole('button', { name: /^선택 항목 비교/ }).click();
      await page.getByTestId('compare-table').waitFor();
      await look(`compare-${width}`);

      await page.getByRole('button', { name: /설정/ }).click();
      await page.getByLabel('언어').waitFor();
      await look(`settings-${width}`);
      await page.keyboard.press('Escape');

      expect(Object.entries(seen).filter(([, words]) => words.length > 0)).toEqual([]);
    });
  }

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
