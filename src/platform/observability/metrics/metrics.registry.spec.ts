import { Logger } from '@nestjs/common';
import { parsePrometheusText, sampleValue } from '../../../../test/support/prometheus-text';
import { MetricsRegistry } from './metrics.registry';

describe(MetricsRegistry.name, () => {
  const scrape = async (registry: MetricsRegistry) => parsePrometheusText(await registry.exposition());
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('exposes the Node.js process metrics under their standard names, in valid text format', async () => {
    const families = await scrape(new MetricsRegistry());
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('nodejs_heap_size_used_bytes')?.type).toBe('gauge');
    expect(families.get('nodejs_gc_duration_seconds')?.type).toBe('histogram');
    expect(families.get('assay_metrics_collect_errors_total')).toMatchObject({ type: 'counter', samples: [] });
  });

  it('reads collected gauges and counters afresh at every scrape, with their labels', async () => {
    const registry = new MetricsRegistry();
    let queued = 3;
    let blocked = 1;
    registry.gauge({ name: 'test_queue_depth', help: 'Queued.', collect: () => [{ value: queued }] });
    registry.counter({
      name: 'test_decisions_total',
      help: 'Decisions.',
      labelNames: ['outcome'],
      collect: () =>
        Promise.resolve([
          { labels: { outcome: 'blocked' }, value: blocked },
          { labels: { outcome: 'passed' }, value: 0 },
        ]),
    });
    let families = await scrape(registry);
    expect(families.get('test_queue_depth')).toMatchObject({ type: 'gauge', help: 'Queued.', samples: [{ name: 'test_queue_depth', labels: {}, value: 3 }] });
    expect(sampleValue(families, 'test_decisions_total', { outcome: 'blocked' })).toBe(1);
    expect(sampleValue(families, 'test_decisions_total', { outcome: 'passed' })).toBe(0);

    queued = 0;
    blocked = 2;
    families = await scrape(registry);
    expect(sampleValue(families, 'test_queue_depth')).toBe(0);
    expect(sampleValue(families, 'test_decisions_total', { outcome: 'blocked' })).toBe(2);
  });

  it('escapes label values so that they read back exactly', async () => {
    const registry = new MetricsRegistry();
    const odd = 'a "quoted" \\ back\nslash';
    registry.gauge({ name: 'test_odd', help: 'Help with a \\ and a\nnewline.', labelNames: ['value'], collect: () => [{ labels: { value: odd }, value: 1 }] });
    const families = await scrape(registry);
    expect(sampleValue(families, 'test_odd', { value: odd })).toBe(1);
    expect(families.get('test_odd')?.help).toBe('Help with a \\ and a\nnewline.');
  });

  it('leaves the family of a failing collector empty, counts the failure, and serves the rest', async () => {
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'test_broken', help: 'Fails.', collect: () => Promise.reject(new Error('database away')) });
    registry.counter({ name: 'test_negative_total', help: 'Not a counter.', collect: () => [{ value: -1 }] });
    registry.gauge({ name: 'test_unlabelled', help: 'Undeclared label.', collect: () => [{ labels: { stage: 'x' }, value: 1 }] });
    registry.gauge({
      name: 'test_twice',
      help: 'Same series twice.',
      labelNames: ['a'],
      collect: () => [
        { labels: { a: '1' }, value: 1 },
        { labels: { a: '1' }, value: 2 },
      ],
    });
    registry.gauge({ name: 'test_fine', help: 'Works.', collect: () => [{ value: 7 }] });
    const families = await scrape(registry);
    for (const name of ['test_broken', 'test_negative_total', 'test_unlabelled', 'test_twice']) {
      expect(families.get(name)?.samples).toEqual([]);
      expect(sampleValue(families, 'assay_metrics_collect_errors_total', { metric: name })).toBe(1);
    }
    expect(sampleValue(families, 'test_fine')).toBe(7);
    expect(warn).toHaveBeenCalledTimes(4);
  });

  it('gives up on a collector that hangs instead of hanging the scrape', async () => {
    const registry = new MetricsRegistry(50);
    registry.gauge({ name: 'test_hangs', help: 'Never answers.', collect: () => new Promise<never>(() => undefined) });
    const started = Date.now();
    const families = await scrape(registry);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(families.get('test_hangs')?.samples).toEqual([]);
    expect(sampleValue(families, 'assay_metrics_collect_errors_total', { metric: 'test_hangs' })).toBe(1);
  });

  it('observes histograms, running their collect hook before each scrape', async () => {
    const registry = new MetricsRegistry();
    const pending = [0.2, 3];
    const histogram = registry.histogram({
      name: 'test_duration_seconds',
      help: 'Durations.',
      labelNames: ['stage'],
      buckets: [1, 10],
      collect: () => {
        for (const seconds of pending.splice(0)) histogram.observe({ stage: 'training' }, seconds);
        return Promise.resolve();
      },
    });
    const families = await scrape(registry);
    expect(sampleValue(families, 'test_duration_seconds_bucket', { stage: 'training', le: '1' })).toBe(1);
    expect(sampleValue(families, 'test_duration_seconds_bucket', { stage: 'training', le: '+Inf' })).toBe(2);
    expect(sampleValue(families, 'test_duration_seconds_count', { stage: 'training' })).toBe(2);
    expect(sampleValue(families, 'test_duration_seconds_sum', { stage: 'training' })).toBeCloseTo(3.2);
  });

  it('refuses bad names and a second family of one name, but two registries (two apps) never collide', () => {
    const registry = new MetricsRegistry();
    const gauge = (name: string, labelNames: string[] = []) => registry.gauge({ name, help: 'x', labelNames, collect: () => [] });
    expect(() => gauge('bad-name')).toThrow('Invalid metric name');
    expect(() => gauge('test_reserved', ['__name'])).toThrow('Invalid label name');
    expect(() => gauge('test_reserved_le', ['le'])).toThrow('Invalid label name');
    gauge('test_once');
    expect(() => gauge('test_once')).toThrow('already been registered');
    expect(() => new MetricsRegistry().gauge({ name: 'test_once', help: 'x', collect: () => [] })).not.toThrow();
  });
});

describe(parsePrometheusText.name, () => {
  // The e2e specs trust this parser to reject what Prometheus would: show that it does.
  it.each([
    ['no final line feed', 'a 1', 'must end with a line feed'],
    ['a bad metric name', '9a 1\n', 'line 1: sample must start with a metric name'],
    ['a value that is no float', 'a one\n', 'line 1: not a float'],
    ['an unquoted label value', 'a{b=c} 1\n', 'line 1: label b needs ="value"'],
    ['an unknown escape', 'a{b="\\t"} 1\n', 'line 1: invalid escape'],
    ['a label given twice', 'a{b="1",b="2"} 1\n', 'line 1: label b given twice'],
    ['a series given twice', 'a{b="1"} 1\na{b="1"} 2\n', 'line 2: series'],
    ['TYPE after samples', 'a 1\n# TYPE a gauge\n', 'line 2: TYPE of a after its samples'],
    ['two TYPE lines', '# TYPE a gauge\n# TYPE a gauge\na 1\n', 'line 2: second TYPE'],
    ['an unknown type', '# TYPE a meter\na 1\n', 'line 1: unknown type'],
    ['a family in two places', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="1"} 2\n', 'line 5: the lines of a are not together'],
    ['a negative counter', '# TYPE a_total counter\na_total -1\n', 'counter a_total is -1'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', 'the last bucket must be le="+Inf"'],
    ['non-cumulative buckets', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', 'buckets must be cumulative'],
    ['+Inf bucket differing from _count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n', 'differs from _count'],
    ['a stray sample in a histogram', '# TYPE h histogram\nh 1\n', 'line 2: h does not belong to histogram h'],
  ])('rejects %s', (_, text, why) => {
    expect(() => parsePrometheusText(text)).toThrow(why);
  });

  it('accepts the format as written by others: comments, blank lines, timestamps, NaN and ±Inf, trailing commas', () => {
    const families = parsePrometheusText('# a comment\n\n# HELP a A gauge.\n# TYPE a gauge\na{b="1",} NaN 1700000000000\na{b="2"} -Inf\nc +Inf\n');
    expect(families.get('a')?.samples.map((s) => s.value)).toEqual([NaN, -Infinity]);
    expect(families.get('a')?.samples[0]?.timestamp).toBe(1700000000000);
    expect(families.get('c')).toMatchObject({ type: 'untyped', samples: [{ value: Infinity }] });
  });
});
