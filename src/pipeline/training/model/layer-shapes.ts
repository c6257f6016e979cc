/** Output side of a convolution or pooling window (TensorFlow's rule): `same` → ⌈in/s⌉, `valid` → ⌈(in − k + 1)/s⌉. */
export function windowOutputSize(input: number, kernel: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.max(0, Math.ceil((input - kernel + 1) / stride));
}

export function pair(value: number | readonly [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}
