/**
 * `layerlab compare` refuses and warns: tiny real runs (Fashion-MNIST --limit, a generated set),
 * then the comparison's words: what differs, the caveat on sample counts, the refusal in one line.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerlab, jsonLines } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';

const plain = { inputShape: [28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 20, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }], training: { epochs: 1 } };
const dropout = { ...plain, layers: [plain.layers[0], plain.layers[1], { type: 'dropout', rate: 0.3 }, plain.layers[2]] };

describe('layerlab compare: fair or refused', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  let group = '';
  let dropoutRun = '';
  let xorRun = '';

  const train = (args: string[]) => {
    const r = layerlab(['train', ...args, '--json'], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return jsonLines(r.stdout).filter((l) => l.type === 'result');
  };

  beforeAll(() => {
    writeFileSync(join(home, 'plain.json'), JSON.stringify(plain));
    writeFileSync(join(home, 'dropout.json'), JSON.stringify(dropout));
    group = train(['--model', join(home, 'plain.json'), '--limit', '300', '--repeat', '2', '--name', '한국어 시험'])[0].group as string;
    dropoutRun = train(['--model', join(home, 'dropout.json'), '--limit', '200', '--name', 'with dropout'])[0].runId as string;
    const gen = JSON.parse(layerlab(['datasets', 'generate', 'xor', '--samples', '100', '--json'], home).stdout) as { id: string };
    xorRun = train(['--preset', 'book-relu', '--dataset', gen.id, '--epochs', '1', '--name', 'xor run'])[0].runId as string;
  }, 120_000);

  it('names a group by its runs, Korean included', () => {
    expect(group.startsWith('한국어-시험-')).toBe(true);
    const c = JSON.parse(layerlab(['compare', group, dropoutRun, '--json'], home).stdout) as { groups: { label: string }[] };
    expect(c.groups.map((g) => g.label)).toEqual(['한국어 시험', 'with dropout']);
  });

  it('says what differs in words and warns that the sample counts differ', () => {
    const r = layerlab(['compare', group, dropoutRun], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('with dropout (against 한국어 시험): + Dropout(0.3) after Dense(20, relu); trained on 200 of 48,000 samples');
    expect(r.stdout).toContain('한국어 시험: trained on 300 of 48,000 samples');
    expect(r.stdout).toMatch(/^warning: trained on different numbers of samples \(한국어 시험 300, with dropout 200 of 48,000\)/m);
    expect(r.stdout).toMatch(/^warning: validated on different samples/m);
    // The plain lead comes first and carries the caveat.
    expect(r.stdout.split('\n')[0]).toMatch(/^with dropout vs 한국어 시험: .*But they were not trained alike/);
  });

  it('refuses runs on different datasets in one line naming both, and exits 2', () => {
    const r = layerlab(['compare', group, xorRun], home);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot compare 한국어 시험 \(trained on Fashion-MNIST \(fashion-mnist\)\) with xor run \(trained on .*xor.*\): runs on different datasets are not comparable/);
  });

  it('writes csv with one value per cell and keeps the verdict', () => {
    const r = layerlab(['compare', group, dropoutRun, '--format', 'csv'], home);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('±');
    expect(r.stdout).toMatch(/^group,runs,train score mean,train score sd,val score mean,val score sd/m);
    expect(r.stdout).toMatch(/^b,a,metric,difference,ci low,ci high,p,holm p,better,verdict$/m);
    expect(r.stdout).toMatch(/^with dropout,한국어 시험,valAccuracy,/m);
  });

  it('lists runs with their dataset, limit, model and optimizer, and shows a run\'s model in words', () => {
    const list = layerlab(['runs', 'list'], home).stdout;
    expect(list).toMatch(/with dropout .* fashion-mnist \(200\)\s+Flatten → Dense\(20, relu\) → Dropout\(0\.3\) → Dense\(10, softmax\)\s+RMSprop\(lr=0\.001\)/);
    const show = layerlab(['runs', 'show', dropoutRun], home).stdout;
    expect(show).toContain('model      28×28 → Flatten → Dense(20, relu) → Dropout(0.3) → Dense(10, softmax)');
    expect(show).toContain('200 training / 50 validation samples (--limit 200)');
    expect(show).not.toContain('{"inputShape"');
  });
});

describe('the CLI helps with small mistakes', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  it('suggests the flag meant, and summary answers --json', () => {
    const r = layerlab(['train', '--epoch', '3'], home);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("layerlab: train: Unknown option '--epoch': did you mean --epochs?");
    const s = layerlab(['summary', '--preset', 'book-relu', '--json'], home);
    expect(s.code).toBe(0);
    expect((JSON.parse(s.stdout) as { totalParams: number }).totalParams).toBe(79510);
  });

  it('says that --limit cut the test set, and labels scores as the book does', () => {
    const r = layerlab(['train', '--preset', 'book-relu', '--limit', '300', '--epochs', '1'], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run\s+seed\s+train score\s+val score\s+val loss\s+test score\s/m);
    expect(r.stdout).toContain('test score on the first 1,000 of 10,000 test samples (--limit cuts the test set too, to no fewer than 1,000)');
  });
});
