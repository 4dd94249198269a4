/**
 * `layerlab datasets download` end to end against a mirror on 127.0.0.1 serving the real
 * Fashion-MNIST files: the built CLI fetches and checks them, and training then uses them.
 * Wrong data, a dead address and bad arguments end in one line and exit status 2.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerlab, layerlabAsync, jsonLines } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';
import { closedPort, serveMirror, type Mirror } from '../helpers/mirror.js';

const DEBIAN = '/usr/share/datasets/fashion-mnist';
const NAMES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

describe('layerlab datasets download', () => {
  const { home, cleanup } = tempHome();
  let mirror: Mirror;
  beforeAll(async () => {
    mirror = await serveMirror(Object.fromEntries(NAMES.map((n) => [`${n}.gz`, readFileSync(join(DEBIAN, `${n}.gz`))])));
  });
  afterAll(async () => { await mirror.close(); cleanup(); });

  it('fetches Fashion-MNIST into the data folder, checked, and a model trains on it', async () => {
    const r = await layerlabAsync(['datasets', 'download', 'fashion-mnist', '--mirror', mirror.url], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^downloaded train-images-idx3-ubyte\.gz, train-labels-idx1-ubyte\.gz, t10k-images-idx3-ubyte\.gz, t10k-labels-idx1-ubyte\.gz, each checked against its published sha256\n/);
    const dir = join(home, 'datasets', 'fashion-mnist');
    expect(readdirSync(dir).sort()).toEqual(NAMES.map((n) => `${n}.gz`).sort());

    const again = await layerlabAsync(['datasets', 'download', 'fashion-mnist', '--mirror', mirror.url, '--json'], home);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: 'fashion-mnist', fetched: [] });

    const train = layerlab(['train', '--preset', 'book-relu', '--dataset', dir, '--epochs', '1', '--limit', '3000', '--json'], home);
    expect(train.code).toBe(0);
    const result = jsonLines(train.stdout).find((l) => l.type === 'result')!;
    expect(result.epochs).toBe(1);
    // Ten classes, chance 0.1: the downloaded images and labels belong together.
    expect(result.valAccuracy as number).toBeGreaterThan(0.6);
  });

  it('takes the mirror from LAYERLAB_DATASET_MIRROR, and refuses files that are not MNIST in one line', async () => {
    const r = await layerlabAsync(['datasets', 'download', 'mnist'], home, { LAYERLAB_DATASET_MIRROR: mirror.url });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/train-images-idx3-ubyte\.gz: its data has sha256 c59f468a2f67…, not the published ba891046e650…, so it is not MNIST's train-images-idx3-ubyte; that file was removed/);
    expect(existsSync(join(home, 'datasets', 'mnist', 'train-images-idx3-ubyte.gz'))).toBe(false);
    const list = JSON.parse(layerlab(['datasets', 'list', '--json'], home).stdout) as Array<{ id: string; available: boolean; reason?: string }>;
    const mnist = list.find((d) => d.id === 'mnist')!;
    expect(mnist.available).toBe(false);
    expect(mnist.reason).toContain("download it with 'layerlab datasets download mnist'");
  });

  it('says in one line when there is no server to reach, or the arguments are wrong', async () => {
    const port = await closedPort();
    const dead = await layerlabAsync(['datasets', 'download', 'mnist', '--mirror', `http://127.0.0.1:${port}/`], home);
    expect(dead.code).toBe(2);
    expect(dead.stderr).toMatch(/^layerlab: could not download MNIST \(127\.0\.0\.1:\d+: no usable answer \(offline, or nothing serves the dataset there\)\)\. Without a network: copy the four \.gz files into .*mnist\n$/);
    for (const [args, message] of [
      [['cifar10'], /datasets download: give fashion-mnist or mnist/],
      [['mnist', '--mirror', 'ftp://example.org/'], /^layerlab: --mirror: must be an http:\/\/ or https:\/\/ address \(not .ftp:\/\/example\.org\/.\)$/m],
      [['mnist', '--mirror', 'not a url'], /^layerlab: --mirror: /m],
    ] as const) {
      const r = await layerlabAsync(['datasets', 'download', ...args], home);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
