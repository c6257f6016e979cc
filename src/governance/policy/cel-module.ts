/**
 * Loads @marcbachmann/cel-js, an ES module, from this CommonJS build. tsc rewrites `import()` to
 * `require()` under `module: commonjs`, and require() of ESM is not what we want on Node 20, so the
 * import is built at run time where tsc cannot see it. Loaded once, on first use.
 */
import type * as Cel from '@marcbachmann/cel-js';

export type CelModule = typeof Cel;

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

let loading: Promise<CelModule> | undefined;

export function loadCel(): Promise<CelModule> {
  loading ??= nativeImport('@marcbachmann/cel-js') as Promise<CelModule>;
  return loading;
}
