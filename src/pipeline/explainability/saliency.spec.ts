import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import seedrandom from 'seedrandom';
import { buildModel, LOGITS_LAYER, type ModelSpec } from '../training/model';
import { imageShapeOf, saliencyMap } from './saliency-map';
import { renderSaliencyPng } from './saliency-png';

const TRAINING: ModelSpec['training'] = { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 8, epochs: 1, seed: 3 };
const cnn = (channels: number): ModelSpec => ({
  type: 'cnn',
  inputShape: [8, 6, channels],
  convLayers: [{ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same', pool: { size: 2 } }],
  denseLayers: [{ units: 8, activation: 'tanh' }],
  training: TRAINING,
});
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function image(values: number, seed: string): Float32Array {
  const random = seedrandom(seed);
  return Float32Array.from({ length: values }, () => random());
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe(saliencyMap.name, () => {
  it('maps |∂score/∂pixel| (max over channels), normalised to [0, 1], and renders a PNG of the expected size', async () => {
    const model = buildModel(cnn(1), 48, 2);
    const before = tf.memory().numTensors;
    const result = await saliencyMap({ model, image: image(48, 'gray') });
    expect(imageShapeOf(model)).toEqual([8, 6, 1]);
    expect(result).toMatchObject({ method: 'saliency', width: 6, height: 8, channels: 1, classIndex: 1, space: 'probability' });
    expect(result.map).toHaveLength(48);
    expect(Math.max(...result.map)).toBe(1);
    expect(Math.min(...result.map)).toBeGreaterThanOrEqual(0);
    expect(result.maxGradient).toBeGreaterThan(0);

    for (const [options, width, height] of [
      [{}, 6, 8],
      [{ colormap: 'gray' as const, scale: 4 }, 24, 32],
      [{ image: image(48, 'gray'), scale: 2 }, 24, 16],
    ] as const) {
      const png = renderSaliencyPng(result, options);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      const decoded = PNG.sync.read(png);
      expect([decoded.width, decoded.height]).toEqual([width, height]);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('draws the map in the chosen colours and an RGB input beside it', async () => {
    const model = buildModel(cnn(3), 144, 3);
    const rgb = image(144, 'rgb');
    const result = await saliencyMap({ model, target: { classIndex: 2 }, image: rgb });
    expect(result).toMatchObject({ width: 6, height: 8, channels: 3, classIndex: 2 });
    const brightest = result.map.indexOf(1);
    const [bx, by] = [brightest % 6, Math.floor(brightest / 6)];
    const heat = PNG.sync.read(renderSaliencyPng(result, { image: rgb }));
    expect(heat.width).toBe(12);
    // The map's maximum is white in the heat map; the input panel holds the min–max scaled RGB pixel.
    const right = (by * 12 + 6 + bx) * 4;
    expect([...heat.data.subarray(right, right + 4)]).toEqual([255, 255, 255, 255]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of rgb) [min, max] = [Math.min(min, v), Math.max(max, v)];
    const left = (by * 12 + bx) * 4;
    const pixel = (by * 6 + bx) * 3;
    expect([...heat.data.subarray(left, left + 3)]).toEqual([0, 1, 2].map((c) => Math.round((255 * (rgb[pixel + c]! - min)) / (max - min))));
    const gray = PNG.sync.read(renderSaliencyPng(result, { colormap: 'gray' }));
    result.map.forEach((v, i) => expect(gray.data[i * 4]).toBe(Math.round(255 * v)));
    model.dispose();
  });

  it('is |w| / max |w| for the logit of a logistic regression read as an image', async () => {
    const model = buildModel({ type: 'logistic_regression', training: TRAINING }, 12, 2);
    const w = model.getLayer(LOGITS_LAYER).getWeights()[0]!.dataSync();
    const result = await saliencyMap({ model, target: { space: 'logit' }, image: image(12, 'lr'), inputShape: [3, 4, 1] });
    const largest = Math.max(...Array.from(w, Math.abs));
    result.map.forEach((v, i) => expect(v).toBeCloseTo(Math.abs(w[i]!) / largest, 6));
    expect(result.maxGradient).toBeCloseTo(largest, 6);
    model.dispose();
  });

  it('refuses models without an image shape and mismatched shapes', async () => {
    const model = buildModel({ type: 'logistic_regression', training: TRAINING }, 12, 2);
    await expect(saliencyMap({ model, image: image(12, 'x') })).rejects.toMatchObject({ code: 'EXPLAIN_MODEL_UNSUPPORTED' });
    await expect(saliencyMap({ model, image: image(12, 'x'), inputShape: [3, 3, 1] })).rejects.toMatchObject({ code: 'EXPLAIN_INPUT_INVALID' });
    expect(() => renderSaliencyPng({ map: [0, 1], width: 3, height: 1, channels: 1 })).toThrow(expect.objectContaining({ code: 'EXPLAIN_INPUT_INVALID' }));
    model.dispose();
  });
});
