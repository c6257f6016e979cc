import { PNG } from 'pngjs';
import { ExplainabilityError } from './explainability.error';
import { checkInteger } from './input-checks';
import type { SaliencyMap } from './saliency-map';

/** `gray`: black (0) to white (1). `heat`: black → red → yellow → white (the classic "hot" map). */
export type Colormap = 'gray' | 'heat';

export interface SaliencyPngOptions {
  /** Default `heat`. */
  colormap?: Colormap;
  /**
   * The explained image (h·w·c, channels last), drawn to the left of the map, min–max scaled:
   * RGB for 3 channels, the channel mean in gray otherwise. The PNG is then twice as wide.
   */
  image?: Float32Array;
  /** Integer upscaling (nearest neighbour), e.g. 8 to make a 28 × 28 map visible; default 1. */
  scale?: number;
}

/**
 * A saliency map as PNG bytes (8-bit RGBA, opaque): width = map width × scale (× 2 with the input
 * image beside it), height = map height × scale.
 */
export function renderSaliencyPng(saliency: Pick<SaliencyMap, 'map' | 'width' | 'height' | 'channels'>, options: SaliencyPngOptions = {}): Buffer {
  const { width, height, channels, map } = saliency;
  const colormap = options.colormap ?? 'heat';
  if (colormap !== 'gray' && colormap !== 'heat') throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `unknown colormap ${JSON.stringify(colormap)}`, { option: 'colormap' });
  const scale = options.scale ?? 1;
  checkInteger(scale, 'scale', 1, 64);
  if (map.length !== width * height) {
    throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `a ${width} × ${height} map needs ${width * height} values`, { option: 'map', expected: width * height, found: map.length });
  }
  const image = options.image;
  if (image && image.length !== width * height * channels) {
    throw new ExplainabilityError('EXPLAIN_INPUT_INVALID', `the image must hold ${width * height * channels} values`, { option: 'image', expected: width * height * channels, found: image.length });
  }
  const panels = image ? 2 : 1;
  const png = new PNG({ width: width * scale * panels, height: height * scale });
  const put = (panel: number, x: number, y: number, rgb: readonly [number, number, number]) => {
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const at = ((y * scale + dy) * png.width + panel * width * scale + x * scale + dx) * 4;
        png.data[at] = rgb[0];
        png.data[at + 1] = rgb[1];
        png.data[at + 2] = rgb[2];
        png.data[at + 3] = 255;
      }
    }
  };
  if (image) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of image) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const level = (v: number) => (max > min && Number.isFinite(v) ? byte((v - min) / (max - min)) : 0);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = (y * width + x) * channels;
        if (channels === 3) {
          put(0, x, y, [level(image[at] as number), level(image[at + 1] as number), level(image[at + 2] as number)]);
        } else {
          let sum = 0;
          for (let c = 0; c < channels; c++) sum += image[at + c] as number;
          const gray = level(sum / channels);
          put(0, x, y, [gray, gray, gray]);
        }
      }
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = Math.min(1, Math.max(0, Number.isFinite(map[y * width + x]) ? (map[y * width + x] as number) : 0));
      put(panels - 1, x, y, colormap === 'gray' ? [byte(v), byte(v), byte(v)] : [byte(3 * v), byte(3 * v - 1), byte(3 * v - 2)]);
    }
  }
  return PNG.sync.write(png);
}

function byte(v: number): number {
  return Math.round(255 * Math.min(1, Math.max(0, v)));
}
