import { EvidenceKindRegistry } from '../../../platform/evidence/evidence-kind.registry';
import { DATASHEET_RECORDED_KIND, DATASHEET_SCHEMA, toDatasheetBody } from './datasheet.schema';
import { fullDatasheet, minimalDatasheet, validateDatasheet } from './datasheet.fixture';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

// Compiled exactly as the application does (ajv 2020-12, strict, ajv-formats).
const registry = new EvidenceKindRegistry();
registry.register(DATASHEET_RECORDED_KIND);
const schemaValidate = registry.get('datasheet.recorded')!.validate;
const schemaAccepts = (body: unknown) => schemaValidate(body) === true;
const dtoAccepts = async (body: unknown) => (await validateDatasheet(structuredClone(body))).ok;

const isObject = (value: Json): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  if (isObject(value)) return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  return [];
}

/** A copy of `root` with `change` applied to the parent of `path` (and the last key). */
function mutate(root: Json, path: Path, change: (parent: Json[] | { [key: string]: Json }, key: string | number) => void): Json {
  const copy = structuredClone(root);
  let parent = copy as Json[] | { [key: string]: Json };
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as Json[] | { [key: string]: Json };
  change(parent, path[path.length - 1]!);
  return copy;
}

const REPLACEMENTS: Json[] = [null, 42, -1, 1.5, true, 'nonsense', '', ' ', 'P5Y', '2020-01-01', 'DE', 'MIT', 'x'.repeat(201), 'x'.repeat(4001), [], {}];

/** Every single-edit variant of a body: each node deleted, replaced by values of other types, wrapped, extended. */
function variants(body: Json): { label: string; body: Json }[] {
  const out: { label: string; body: Json }[] = [];
  for (const path of pathsOf(body)) {
    const at = path.join('.');
    const set = (value: Json) => (parent: Json[] | { [key: string]: Json }, key: string | number) => {
      (parent as Record<string | number, Json>)[key] = value;
    };
    out.push({
      label: `delete ${at}`,
      body: mutate(body, path, (parent, key) => (Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key])),
    });
    for (const value of REPLACEMENTS) out.push({ label: `${at} = ${JSON.stringify(value).slice(0, 20)}`, body: mutate(body, path, set(value)) });
    const original = path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, body);
    out.push({ label: `${at} = [original]`, body: mutate(body, path, set([original])) });
    if (isObject(original)) out.push({ label: `${at}.unexpected`, body: mutate(body, path, set({ ...original, unexpected: 1 })) });
    if (Array.isArray(original)) {
      if (original.length > 0) out.push({ label: `${at} + duplicate`, body: mutate(body, path, set([...original, original[0]!])) });
      out.push({ label: `${at} + "nonsense"`, body: mutate(body, path, set([...original, 'nonsense'])) });
    }
  }
  out.push({ label: 'unexpected top-level field', body: { ...(body as object), unexpected: 1 } });
  return out;
}

describe('DATASHEET_SCHEMA', () => {
  it('compiles under the evidence registry (ajv 2020-12, strict mode)', () => {
    expect(registry.list().map((k) => k.kind)).toEqual(['datasheet.recorded']);
    expect(DATASHEET_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('is answered in full by the full fixture, so the DTO accepting it shows every schema field is whitelisted', () => {
    const unanswered: string[] = [];
    const walk = (schema: Record<string, unknown>, value: unknown, at: string) => {
      const properties = (schema.properties ?? (schema.items as Record<string, unknown> | undefined)?.properties) as Record<string, Record<string, unknown>> | undefined;
      if (!properties) return;
      const instance = (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;
      for (const [key, child] of Object.entries(properties)) {
        if (instance[key] === undefined) unanswered.push(`${at}${key}`);
        else walk(child, instance[key], `${at}${key}.`);
      }
    };
    walk(DATASHEET_SCHEMA, fullDatasheet(), '');
    expect(unanswered).toEqual([]);
  });

  it.each([
    ['full', fullDatasheet],
    ['minimal', minimalDatasheet],
  ])('validates a %s DTO instance, plain-ified, and loses nothing on the way', async (_name, make) => {
    const result = await validateDatasheet(make());
    if (!result.ok) throw result.error;
    const body = toDatasheetBody(result.value);
    expect(schemaValidate(body)).toBe(true);
    expect(body).toStrictEqual(make());
  });

  it.each<[string, (body: ReturnType<typeof fullDatasheet>) => unknown]>([
    ['a deprecated licence id', (b) => (b.distribution.licence = 'GPL-2.0')],
    ['a nonsense licence', (b) => (b.distribution.licence = 'nonsense')],
    ['jurisdiction XX', (b) => (b.collectionProcess.jurisdictions = ['DE', 'XX'])],
    ['a retention of "5 years"', (b) => (b.maintenance.retention.period = '5 years')],
    ['a day that does not exist', (b) => (b.collectionProcess.collectionPeriod.start = '2023-02-29')],
    ['an unknown field', (b) => Object.assign(b.uses, { internalNotes: 'x' })],
    ['no purpose', (b) => delete (b.motivation as { purpose?: string }).purpose],
    ['an unknown special category', (b) => (b.composition.personalData.specialCategories = ['astrology'])],
    ['a GDPR basis that is not in Art. 6(1)', (b) => (b.collectionProcess.legalBasis.article6 = 'public_interest')],
    ['no source', (b) => (b.collectionProcess.sources = [])],
    ['a null optional answer', (b) => Object.assign(b.composition, { labelColumn: null })],
  ])('refuses %s, in the DTO and in the schema alike', async (_name, change) => {
    const body = fullDatasheet();
    change(body);
    expect(await dtoAccepts(body)).toBe(false);
    expect(schemaAccepts(body)).toBe(false);
  });

  it('agrees with the DTO on every single-edit variant of a full and a minimal datasheet', async () => {
    const disagreements: string[] = [];
    let refused = 0;
    for (const base of [fullDatasheet(), minimalDatasheet()] as Json[]) {
      for (const { label, body } of variants(base)) {
        const [dto, schema] = [await dtoAccepts(body), schemaAccepts(body)];
        if (dto !== schema) disagreements.push(`${label}: DTO ${dto ? 'accepts' : 'refuses'}, schema ${schema ? 'accepts' : 'refuses'}`);
        if (!dto) refused++;
      }
    }
    expect(disagreements).toEqual([]);
    expect(refused).toBeGreaterThan(1000);
  });

  it('cannot compare two dates: a period ending before it starts is refused by the DTO only', async () => {
    const body = fullDatasheet();
    body.collectionProcess.collectionPeriod = { start: '2021-01-01', end: '2020-01-01' };
    expect(await dtoAccepts(body)).toBe(false);
    expect(schemaAccepts(body)).toBe(true);
  });
});
