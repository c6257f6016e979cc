/**
 * Loads vega and vega-lite, ES modules (vega with top-level await), from this CommonJS build.
 * tsc rewrites `import()` to `require()` under `module: commonjs`, so the import is built at run
 * time where tsc cannot see it (as src/governance/policy/cel-module.ts does for cel-js). Loaded
 * once per process, on first use.
 */
import type * as Vega from 'vega';
// Type-only, by path: vega-lite declares its types under package exports, which moduleResolution node cannot see.
import type * as VegaLite from 'vega-lite/build/index';

export interface VegaModules {
  vega: typeof Vega;
  vegaLite: typeof VegaLite;
}

/**
 * A native `import()`. The source differs per call: V8 caches compiled `new Function` bodies by
 * source, and a cached body keeps the dynamic-import host of the first context that compiled it —
 * under Jest, a test file's torn-down VM context, which then refuses the import.
 */
function nativeImport(specifier: string): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- fixed code, no input: a native import() tsc must not rewrite.
  const load = new Function('specifier', `return import(specifier); // ${Date.now()}-${Math.random()}`) as (s: string) => Promise<unknown>;
  return load(specifier);
}

/**
 * One after the other: the two share a module graph (vega-util, d3), and Jest's ESM loader fails
 * two concurrent imports of the same graph ("request for './accessor.js' is not in cache").
 */
async function importBoth(): Promise<VegaModules> {
  const vega = (await nativeImport('vega')) as typeof Vega;
  const vegaLite = (await nativeImport('vega-lite')) as typeof VegaLite;
  return { vega, vegaLite };
}

let loading: Promise<VegaModules> | undefined;

export function loadVega(): Promise<VegaModules> {
  loading ??= importBoth();
  return loading;
}
