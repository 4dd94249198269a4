/** The trained model as bytes in tfjs layers format (model.json + one weights file). */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../shared/errors.js';

export interface SavedModelFiles { 'model.json': Uint8Array; 'weights.bin': Uint8Array }

export async function serializeModel(model: tf.LayersModel): Promise<SavedModelFiles> {
  let files: SavedModelFiles | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const data = artifacts.weightData;
    const weights = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(tf.io.concatenateArrayBuffers(data ?? []));
    const json = {
      modelTopology: artifacts.modelTopology,
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    files = { 'model.json': new TextEncoder().encode(JSON.stringify(json)), 'weights.bin': weights };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return files!;
}

/**
 * Puts saved weights (model.json + weights.bin, as serializeModel wrote them) into `model`, which
 * must be the same stack: the weights are matched in order and each shape checked.
 * @throws UserError when the saved model is not this stack
 */
export function loadWeights(model: tf.LayersModel, files: SavedModelFiles): void {
  let specs: tf.io.WeightsManifestEntry[];
  try {
    const json = JSON.parse(new TextDecoder().decode(files['model.json'])) as { weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
    specs = json.weightsManifest.flatMap((g) => g.weights);
  } catch (err) {
    throw new UserError(`the saved model's model.json cannot be read (${(err as Error).message})`);
  }
  const want = model.weights;
  if (specs.length !== want.length) throw new UserError(`the saved model has ${specs.length} weight tensors and this model ${want.length}: it was saved from another layer stack`);
  const bytes = files['weights.bin'];
  const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, specs);
  const tensors = specs.map((s, i) => {
    const t = named[s.name];
    if (!t || t.shape.join('×') !== want[i].shape.join('×')) {
      tf.dispose(Object.values(named));
      throw new UserError(`the saved model's weight ${s.name} is ${s.shape.join('×')} but this model's is ${want[i].shape.join('×')}: it was saved from another layer stack`);
    }
    return t;
  });
  model.setWeights(tensors);
  tf.dispose(Object.values(named));
}
