import seedrandom from 'seedrandom';

/**
 * Synthetic data for the DP specs: Gaussian blobs whose class shifts the first two features
 * (`separation` apart), `classes` classes, seeded.
 */
export function blobs(rows: number, features: number, seed: string, options: { classes?: number; separation?: number } = {}): { x: Float32Array; y: Float32Array } {
  const classes = options.classes ?? 2;
  const separation = options.separation ?? 1.6;
  const random = seedrandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const label = Math.floor(random() * classes);
    y[r] = label;
    const angle = (2 * Math.PI * label) / classes;
    for (let f = 0; f < features; f++) {
      const shift = f === 0 ? Math.cos(angle) : f === 1 ? Math.sin(angle) : 0;
      x[r * features + f] = gaussian() + (separation / 2) * shift * (classes === 2 ? 2 : 1);
    }
  }
  return { x, y };
}
