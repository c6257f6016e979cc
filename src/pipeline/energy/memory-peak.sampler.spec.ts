import { ManualProbe } from './energy.fixture';
import { MemoryPeakSampler } from './memory-peak.sampler';

describe('MemoryPeakSampler', () => {
  it('uses ru_maxrss when the window set a new lifetime peak, even one sampling missed', () => {
    const probe = new ManualProbe();
    const sampler = new MemoryPeakSampler(probe, 1_000_000);
    sampler.start();
    probe.maxRss = 400e6; // a spike to 400 MB between samples
    probe.rss = 120e6;
    expect(sampler.stop()).toEqual({ peakRssBytes: 400e6, basis: 'maxrss-in-window', samples: 2 });
  });

  it('falls back to the sampled maximum when the lifetime peak predates the window', () => {
    const probe = new ManualProbe();
    probe.maxRss = 900e6; // set long before start()
    const sampler = new MemoryPeakSampler(probe, 1_000_000);
    sampler.start();
    probe.rss = 300e6;
    sampler.sample();
    probe.rss = 110e6;
    expect(sampler.stop()).toEqual({ peakRssBytes: 300e6, basis: 'sampled', samples: 3 });
  });

  it('samples on its own timer', async () => {
    const probe = new ManualProbe();
    const sampler = new MemoryPeakSampler(probe, 5);
    sampler.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sampler.stop().samples).toBeGreaterThanOrEqual(4);
  });
});
