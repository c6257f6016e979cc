import * as tf from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendUnavailableError, resetBackendSelection, selectBackend, setNativeModuleLoader } from './backend';

const absent = () => {
  throw Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'"), { code: 'MODULE_NOT_FOUND' });
};

function isInstalled(id: string): boolean {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

afterEach(() => {
  setNativeModuleLoader(undefined);
  resetBackendSelection();
});

describe(selectBackend.name, () => {
  it('falls back to wasm when @tensorflow/tfjs-node is absent, and says why', async () => {
    setNativeModuleLoader(absent);
    const info = await selectBackend();
    expect(tf.getBackend()).toBe('wasm');
    expect(info).toMatchObject({
      name: 'wasm',
      tfjsVersion: tf.version.tfjs,
      backendVersion: version_wasm,
      accelerator: true,
      deterministic: true,
      fallbacks: [{ name: 'tensorflow', reason: expect.stringContaining("Cannot find module '@tensorflow/tfjs-node'") as string }],
    });
    expect(typeof info.simd).toBe('boolean');
    expect(typeof info.threads).toBe('boolean');
    expect(info.kernels?.added).toContain('Conv2DBackpropFilter');
    expect(JSON.parse(JSON.stringify(info))).toEqual(info); // plain data, fit for evidence
  });

  it('with the real require: tfjs-node is not installed here, so wasm', async () => {
    const info = await selectBackend('auto');
    if (isInstalled('@tensorflow/tfjs-node')) {
      expect(info.name).toBe('tensorflow');
    } else {
      expect(info.name).toBe('wasm');
      expect(info.fallbacks.map((f) => f.name)).toEqual(['tensorflow']);
    }
  });

  it('is idempotent and safe to call concurrently; re-activates its backend if someone switched away', async () => {
    setNativeModuleLoader(absent);
    const [a, b, c] = await Promise.all([selectBackend(), selectBackend(), selectBackend('auto')]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    await tf.setBackend('cpu');
    expect(await selectBackend()).toEqual(a);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('honours an explicit cpu preference', async () => {
    const info = await selectBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info).toMatchObject({ name: 'cpu', accelerator: false, deterministic: true, fallbacks: [] });
    expect(info.simd).toBeUndefined();
  });

  it('fails loudly when an explicitly preferred backend is unavailable', async () => {
    setNativeModuleLoader(absent);
    const attempt = selectBackend('tensorflow');
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(/training backend 'tensorflow' is unavailable: @tensorflow\/tfjs-node cannot be loaded/);
    // the failure leaves selection usable
    expect((await selectBackend()).name).toBe('wasm');
  });

  it('passes over a tfjs-node that loads but registers no backend with this tfjs', async () => {
    setNativeModuleLoader(() => ({ version: { 'tfjs-node': '4.22.0' } }));
    const info = await selectBackend();
    expect(info.name).toBe('wasm');
    expect(info.fallbacks[0]?.reason).toMatch(/registered no tensorflow backend/);
  });

  it('uses tfjs-node when it loads and registers its backend (simulated)', async () => {
    await tf.setBackend('cpu');
    const CpuBackend = (tf.findBackend('cpu') as object).constructor as new () => tf.KernelBackend;
    const previous = process.env.TF_DETERMINISTIC_OPS;
    delete process.env.TF_DETERMINISTIC_OPS;
    setNativeModuleLoader((id) => {
      expect(id).toBe('@tensorflow/tfjs-node');
      tf.registerBackend('tensorflow', () => new CpuBackend(), 3);
      return { version: { 'tfjs-node': '9.9.9-test' } };
    });
    try {
      const info = await selectBackend();
      expect(tf.getBackend()).toBe('tensorflow');
      expect(info).toEqual({
        name: 'tensorflow',
        tfjsVersion: tf.version.tfjs,
        backendVersion: '9.9.9-test',
        accelerator: true,
        deterministic: true,
        fallbacks: [],
      });
      expect(process.env.TF_DETERMINISTIC_OPS).toBe('1');
    } finally {
      tf.removeBackend('tensorflow');
      if (previous === undefined) delete process.env.TF_DETERMINISTIC_OPS;
      else process.env.TF_DETERMINISTIC_OPS = previous;
    }
  });
});
