import { planLayers } from './layer-plan';
import type { ArchitectureSpec } from './model-spec';

export interface LayerFlops {
  name: string;
  kind: string;
  outputShape: number[];
  parameters: number;
  /** Forward FLOPs per sample (a multiply-add counts 2). */
  flops: number;
}

export interface FlopsEstimate {
  layers: LayerFlops[];
  parameters: number;
  forwardFlopsPerSample: number;
  /** ≈ 3 × forward: the backward pass costs about twice the forward (gradients for inputs and for weights). */
  trainingFlopsPerSample: number;
}

/**
 * Forward FLOPs per sample, layer by layer, for the energy meter: dense 2·in·out; convolution
 * 2·kh·kw·cin·cout·outH·outW; max pooling (window − 1) comparisons per output. Biases,
 * activations, dropout and reshapes are not counted (they are a few percent at most).
 * Training an epoch of n samples costs ≈ n × trainingFlopsPerSample.
 */
export function estimateFlops(spec: ArchitectureSpec, inputShape: number | readonly number[], classes: number | readonly string[]): FlopsEstimate {
  const layers = planLayers(spec, inputShape, classes).map(({ name, kind, outputShape, parameters, flops }) => ({ name, kind, outputShape, parameters, flops }));
  const forward = layers.reduce((sum, layer) => sum + layer.flops, 0);
  return {
    layers,
    parameters: layers.reduce((sum, layer) => sum + layer.parameters, 0),
    forwardFlopsPerSample: forward,
    trainingFlopsPerSample: 3 * forward,
  };
}
