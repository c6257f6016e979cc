import { fixtureRoots, writeCpuInfo, XEON_NO_SMT_CPUINFO, XEON_SMT_CPUINFO } from './energy.fixture';
import { parseCpuInfo, readCpuInfo } from './cpu-info.reader';

describe('parseCpuInfo', () => {
  it('reads the x86 model name, logical CPUs and physical cores (SMT siblings share a core)', () => {
    expect(parseCpuInfo(XEON_SMT_CPUINFO)).toEqual({ model: 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz', logicalCpus: 4, physicalCores: 2 });
    expect(parseCpuInfo(XEON_NO_SMT_CPUINFO)).toEqual({ model: 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz', logicalCpus: 2, physicalCores: 2 });
  });

  it('names a 64-bit ARM CPU by implementer and part, which is all the kernel gives', () => {
    const text = ['processor\t: 0', 'BogoMIPS\t: 50.00', 'CPU implementer\t: 0x41', 'CPU part\t: 0xd0c', '', 'processor\t: 1', 'CPU implementer\t: 0x41', 'CPU part\t: 0xd0c', ''].join('\n');
    expect(parseCpuInfo(text)).toEqual({ model: 'ARM implementer 0x41 part 0xd0c', logicalCpus: 2 });
  });

  it('uses the older 32-bit ARM "Processor" line as the model, not as a CPU entry', () => {
    const text = ['Processor\t: ARMv7 Processor rev 4 (v7l)', 'processor\t: 0', 'BogoMIPS\t: 38.40', ''].join('\n');
    expect(parseCpuInfo(text)).toEqual({ model: 'ARMv7 Processor rev 4 (v7l)', logicalCpus: 1 });
  });

  it('says unknown rather than guessing', () => {
    expect(parseCpuInfo('')).toEqual({ model: 'unknown' });
    expect(parseCpuInfo('garbage without colons\n')).toEqual({ model: 'unknown' });
  });
});

describe('readCpuInfo', () => {
  it('reads <procRoot>/cpuinfo from a fixture directory', () => {
    const roots = fixtureRoots();
    try {
      writeCpuInfo(roots.procRoot, XEON_SMT_CPUINFO);
      expect(readCpuInfo(roots.procRoot).model).toBe('Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz');
    } finally {
      roots.cleanup();
    }
  });

  it('returns an unknown model when the file is missing', () => {
    const roots = fixtureRoots();
    try {
      expect(readCpuInfo(roots.procRoot)).toEqual({ model: 'unknown' });
    } finally {
      roots.cleanup();
    }
  });
});
