import { fixtureRoots, writeProcStat } from './energy.fixture';
import { parseProcStat, readProcStat } from './proc-stat.reader';

describe('parseProcStat', () => {
  it('counts user + nice + system + irq + softirq as busy; idle + iowait as idle; steal and guest as neither', () => {
    const text = [
      'cpu  1000 50 300 9000 200 10 20 400 600 0',
      'cpu0 500 25 150 4500 100 5 10 200 300 0',
      'cpu1 500 25 150 4500 100 5 10 200 300 0',
      'intr 1 2 3',
      '',
    ].join('\n');
    expect(parseProcStat(text)).toEqual({ busyTicks: 1000 + 50 + 300 + 10 + 20, idleTicks: 9000 + 200, onlineCpus: 2 });
  });

  it('accepts the four-field lines of very old kernels', () => {
    expect(parseProcStat('cpu 10 0 5 100\ncpu0 10 0 5 100\n')).toEqual({ busyTicks: 15, idleTicks: 100, onlineCpus: 1 });
  });

  it('returns undefined without an aggregate cpu line', () => {
    expect(parseProcStat('cpu0 1 2 3 4\n')).toBeUndefined();
    expect(parseProcStat('cpu  a b c d\n')).toBeUndefined();
    expect(parseProcStat('')).toBeUndefined();
  });
});

describe('readProcStat', () => {
  it('reads a fixture file, and returns undefined when there is none', () => {
    const roots = fixtureRoots();
    try {
      expect(readProcStat(roots.procRoot)).toBeUndefined();
      writeProcStat(roots.procRoot, { user: 700, system: 300, idle: 5000, steal: 999, cpus: 4 });
      expect(readProcStat(roots.procRoot)).toEqual({ busyTicks: 1000, idleTicks: 5000, onlineCpus: 4 });
    } finally {
      roots.cleanup();
    }
  });
});
