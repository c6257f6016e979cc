/**
 * A strict parser of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), for tests:
 * every line must be a blank line, a comment, a HELP or TYPE line, or a well-formed sample, and
 * the grouping rules hold — one HELP and one TYPE per family, TYPE before the family's samples,
 * a family's lines contiguous, no series twice — as do the histogram and counter invariants
 * (cumulative buckets ending in le="+Inf" equal to _count; counters and counts ≥ 0).
 */

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface PromFamily {
  name: string;
  type: FamilyType;
  help?: string;
  samples: PromSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES: readonly FamilyType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
const SUFFIXES: Record<FamilyType, readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** A float as Go's strconv.ParseFloat reads it (what Prometheus uses): decimal or exponent notation, NaN, ±Inf. */
export function parseFloatStrict(text: string): number {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`not a float: ${JSON.stringify(text)}`);
  return Number(text);
}

function unescape(text: string, allowQuote: boolean): string {
  return text.replace(/\\(.)/g, (_, char: string) => {
    if (char === '\\') return '\\';
    if (char === 'n') return '\n';
    if (char === '"' && allowQuote) return '"';
    throw new Error(`invalid escape \\${char}`);
  });
}

/** `name{labels} value [timestamp]`. */
function parseSample(line: string): PromSample {
  let rest = line;
  const name = METRIC_NAME.exec(rest)?.[0];
  if (!name) throw new Error('sample must start with a metric name');
  rest = rest.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1).trimStart();
    while (!rest.startsWith('}')) {
      const label = LABEL_NAME.exec(rest)?.[0];
      if (!label) throw new Error(`bad label name at ${JSON.stringify(rest.slice(0, 20))}`);
      if (label in labels) throw new Error(`label ${label} given twice`);
      rest = rest.slice(label.length).trimStart();
      if (!rest.startsWith('="')) throw new Error(`label ${label} needs ="value"`);
      rest = rest.slice(2);
      const value = /^((?:[^"\\\n]|\\.)*)"/.exec(rest);
      if (!value) throw new Error(`unterminated value of label ${label}`);
      labels[label] = unescape(value[1]!, true);
      rest = rest.slice(value[0].length).trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
      else if (!rest.startsWith('}')) throw new Error(`expected , or } after label ${label}`);
    }
    rest = rest.slice(1);
  }
  if (!/^[ \t]/.test(rest)) throw new Error('expected whitespace before the value');
  const fields = rest.trim().split(/[ \t]+/);
  if (fields.length < 1 || fields.length > 2) throw new Error('expected a value and an optional timestamp');
  const value = parseFloatStrict(fields[0]!);
  const sample: PromSample = { name, labels, value };
  if (fields[1] !== undefined) {
    if (!/^-?\d+$/.test(fields[1])) throw new Error(`bad timestamp ${fields[1]}`);
    sample.timestamp = Number(fields[1]);
  }
  return sample;
}

function checkFamily(family: PromFamily): void {
  if (family.type === 'counter') {
    for (const s of family.samples) if (!(s.value >= 0)) throw new Error(`counter ${s.name} is ${s.value}`);
  }
  if (family.type !== 'histogram') return;
  const series = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${s.name} without le`);
      entry.buckets.push([parseFloatStrict(le), s.value]);
    } else if (le !== undefined) throw new Error(`${s.name} must not have le`);
    else if (s.name.endsWith('_count')) entry.count = s.value;
    else entry.sum = s.value;
  }
  for (const [key, entry] of series) {
    const where = `${family.name}${key}`;
    if (entry.count === undefined || entry.sum === undefined) throw new Error(`${where}: _count and _sum are required`);
    const last = entry.buckets.at(-1);
    if (!last || last[0] !== Infinity) throw new Error(`${where}: the last bucket must be le="+Inf"`);
    for (let i = 1; i < entry.buckets.length; i++) {
      const [prevLe, prevCount] = entry.buckets[i - 1]!;
      const [le, count] = entry.buckets[i]!;
      if (!(le > prevLe)) throw new Error(`${where}: bucket bounds must increase`);
      if (count < prevCount) throw new Error(`${where}: buckets must be cumulative`);
    }
    if (last[1] !== entry.count) throw new Error(`${where}: le="+Inf" (${last[1]}) differs from _count (${entry.count})`);
    if (entry.count < 0) throw new Error(`${where}: negative count`);
  }
}

/** Parses a whole exposition; throws `line N: why` at the first violation. Families by name, in order. */
export function parsePrometheusText(text: string): Map<string, PromFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const families = new Map<string, PromFamily>();
  const declared = { help: new Set<string>(), type: new Set<string>() };
  const closed = new Set<string>();
  const seriesSeen = new Set<string>();
  let current: PromFamily | undefined;

  const family = (name: string) => {
    let found = families.get(name);
    if (!found) families.set(name, (found = { name, type: 'untyped', samples: [] }));
    return found;
  };
  const enter = (next: PromFamily) => {
    if (current === next) return;
    if (closed.has(next.name)) throw new Error(`the lines of ${next.name} are not together`);
    if (current) closed.add(current.name);
    current = next;
  };
  /** The family a sample name belongs to: its own, or the histogram / summary it is a part of. */
  const owner = (sampleName: string): PromFamily => {
    for (const [name, f] of families) {
      if (f.type === 'histogram' || f.type === 'summary') {
        if (SUFFIXES[f.type].some((suffix) => suffix !== '' && sampleName === `${name}${suffix}`)) return f;
      }
    }
    return family(sampleName);
  };

  const lines = text.split('\n');
  lines.pop(); // after the final line feed
  lines.forEach((line, i) => {
    try {
      if (line.trim() === '') return;
      if (line.startsWith('#')) {
        const match = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
        if (!match) return; // a plain comment
        const [, keyword, name, rest = ''] = match as unknown as [string, 'HELP' | 'TYPE', string, string | undefined];
        if (METRIC_NAME.exec(name)?.[0] !== name) throw new Error(`bad metric name ${name}`);
        const f = family(name);
        enter(f);
        if (keyword === 'HELP') {
          if (declared.help.has(name)) throw new Error(`second HELP for ${name}`);
          declared.help.add(name);
          f.help = unescape(rest, false);
        } else {
          if (declared.type.has(name)) throw new Error(`second TYPE for ${name}`);
          if (f.samples.length > 0) throw new Error(`TYPE of ${name} after its samples`);
          if (!TYPES.includes(rest.trim() as FamilyType)) throw new Error(`unknown type ${rest}`);
          declared.type.add(name);
          f.type = rest.trim() as FamilyType;
        }
        return;
      }
      const sample = parseSample(line);
      const f = owner(sample.name);
      if (!SUFFIXES[f.type].some((suffix) => sample.name === `${f.name}${suffix}`)) throw new Error(`${sample.name} does not belong to ${f.type} ${f.name}`);
      if (f.type === 'summary' && sample.name === f.name && sample.labels.quantile === undefined) throw new Error(`${sample.name} needs a quantile`);
      enter(f);
      const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
      if (seriesSeen.has(key)) throw new Error(`series ${key} appears twice`);
      seriesSeen.add(key);
      f.samples.push(sample);
    } catch (error) {
      throw new Error(`line ${i + 1}: ${(error as Error).message}: ${JSON.stringify(line)}`);
    }
  });
  for (const f of families.values()) checkFamily(f);
  return families;
}

/** The value of the sample `name` whose labels are exactly `labels`; undefined when there is none. */
export function sampleValue(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  for (const f of families.values()) {
    for (const s of f.samples) if (s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted) return s.value;
  }
  return undefined;
}
