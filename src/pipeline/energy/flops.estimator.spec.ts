import fc from 'fast-check';
import { conv2dForwardFlops, convOutputSize, denseForwardFlops, FlopsEstimator } from './flops.estimator';

describe('denseForwardFlops and conv2dForwardFlops', () => {
  it('count 2 FLOPs per multiply-add', () => {
    expect(denseForwardFlops(784, 128)).toBe(200_704); // 2 × 784 × 128
    // 5×5 kernel, 1 → 6 channels, 28×28 output: 2 × 5 × 5 × 1 × 6 × 28 × 28
    expect(conv2dForwardFlops({ kernelHeight: 5, kernelWidth: 5, inChannels: 1, outChannels: 6, outHeight: 28, outWidth: 28 })).toBe(235_200);
  });

  it('treat a dense layer as a 1×1 convolution over a 1×1 image', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), (inputs, outputs) => {
        expect(denseForwardFlops(inputs, outputs)).toBe(conv2dForwardFlops({ kernelHeight: 1, kernelWidth: 1, inChannels: inputs, outChannels: outputs, outHeight: 1, outWidth: 1 }));
      }),
    );
  });

  it('reject negative or fractional sizes', () => {
    expect(() => denseForwardFlops(-1, 3)).toThrow(RangeError);
    expect(() => denseForwardFlops(2.5, 3)).toThrow(RangeError);
    expect(() => new FlopsEstimator().trainingFlops(10, 1.5)).toThrow(/epochs/);
  });
});

describe('convOutputSize', () => {
  it('follows TensorFlow padding rules', () => {
    expect(convOutputSize(28, 5)).toBe(24);
    expect(convOutputSize(28, 5, 1, 'same')).toBe(28);
    expect(convOutputSize(28, 3, 2, 'valid')).toBe(13); // ⌈26 / 2⌉
    expect(convOutputSize(28, 3, 2, 'same')).toBe(14);
    expect(convOutputSize(2, 5)).toBe(0);
  });
});

describe('FlopsEstimator', () => {
  it('sums layers and scales by samples × epochs × 3 for training', () => {
    // MNIST MLP 784-128-10: forward 2·784·128 + 2·128·10 = 200 704 + 2 560 = 203 264 per sample.
    const mlp = new FlopsEstimator().dense(784, 128).dense(128, 10);
    expect(mlp.forwardFlopsPerSample()).toBe(203_264);
    expect(mlp.inferenceFlops(10_000)).toBe(2_032_640_000);
    // Training: 3 × 203 264 × 60 000 × 5 = 182 937 600 000.
    expect(mlp.trainingFlops(60_000, 5)).toBe(182_937_600_000);
  });

  it('mixes convolutions and dense layers', () => {
    const out = convOutputSize(28, 3);
    const cnn = new FlopsEstimator()
      .conv2d({ kernelHeight: 3, kernelWidth: 3, inChannels: 1, outChannels: 8, outHeight: out, outWidth: out })
      .dense(out * out * 8, 10);
    // conv: 2·3·3·1·8·26·26 = 97 344; dense: 2·5408·10 = 108 160.
    expect(cnn.forwardFlopsPerSample()).toBe(97_344 + 108_160);
    expect(cnn.layerCosts).toHaveLength(2);
  });
});
