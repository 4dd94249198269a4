/** The stores, created once by App and handed to views through Svelte context. */
import { getContext, setContext } from 'svelte';
import type { Api } from '../../../../src-main/shared/contract.js';
import type { PickedFile } from '../api.js';
import { DatasetsStore } from './datasets.svelte.js';
import { ModelStore } from './model.svelte.js';
import { TrainingStore } from './training.svelte.js';
import { RunsStore } from './runs.svelte.js';

export interface Stores {
  api: Api;
  pickFile: (() => Promise<PickedFile | null>) | null;
  datasets: DatasetsStore;
  model: ModelStore;
  training: TrainingStore;
  runs: RunsStore;
}

const KEY = Symbol('layerlab.stores');

export function createStores(api: Api, pickFile: Stores['pickFile']): Stores {
  return {
    api, pickFile,
    datasets: new DatasetsStore(api),
    model: new ModelStore(),
    training: new TrainingStore(api),
    runs: new RunsStore(api),
  };
}

export function provideStores(stores: Stores): void { setContext(KEY, stores); }

export function useStores(): Stores {
  const s = getContext<Stores | undefined>(KEY);
  if (!s) throw new Error('useStores() outside App');
  return s;
}
