/**
 * The components of the ML-BOM, built with @cyclonedx/cyclonedx-library: the model version
 * (`machine-learning-model`, hashed by its model digest, its artifact files as nested `file`
 * components) and each dataset version it saw (`data`, hashed by its table digest). The 1.6
 * `data` array of a data component (`componentData`) has no library model either; `componentData`
 * builds it as plain JSON for the BOM builder to add.
 */
import { Enums, Models, SPDX } from '@cyclonedx/cyclonedx-library';
import type { DatasetEvidence } from '../../evidence-document';
import type { ModelDossier } from '../dossier/model-dossier';
import { dataClassification, datasetDescription, datasheetOf, latestRecord, objectField, sensitiveData, stringField } from '../model-card';
import type { CycloneDxProperty } from './cyclonedx-model-card';

export const modelRef = (versionId: string): string => `assay:model-version:${versionId}`;
export const datasetRef = (versionId: string): string => `assay:dataset-version:${versionId}`;

/** The hex of a `sha256:<hex>` digest, as CycloneDX `hash-content`; null when it is not one. */
export function sha256Hex(digest: string): string | null {
  return /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1] ?? null;
}

function hashes(digest: string | null | undefined): Models.HashDictionary {
  const dictionary = new Models.HashDictionary();
  const hex = digest === null || digest === undefined ? null : sha256Hex(digest);
  if (hex !== null) dictionary.set(Enums.HashAlgorithm['SHA-256'], hex);
  return dictionary;
}

function properties(entries: ReadonlyArray<[string, string | number | null | undefined]>): Models.PropertyRepository {
  return new Models.PropertyRepository(
    entries.flatMap(([name, value]) => (value === null || value === undefined ? [] : [new Models.Property(name, String(value))])),
  );
}

/** An e-mail address with a domain of two labels or more, the last of two letters or more (what the schema's `idn-email` accepts in practice). */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)*\.[A-Za-z]{2,}$/;

/** The provider as supplier: its contact is an e-mail address when it reads as one, else kept as a property by the caller. */
function supplier(provider: { name: string; contact: string } | null): Models.OrganizationalEntity | undefined {
  if (provider === null) return undefined;
  const contact = EMAIL.test(provider.contact) ? [new Models.OrganizationalContact({ email: provider.contact })] : [];
  return new Models.OrganizationalEntity({ name: provider.name, contact: new Models.OrganizationalContactRepository(contact) });
}

export function modelComponent(dossier: ModelDossier): Models.Component {
  const { model, artifacts, training } = dossier.document;
  const registered = latestRecord(dossier, 'model_version.registered', (record) => record.subject.id === model.versionId);
  const modelDigest = artifacts?.modelDigest ?? stringField(registered?.body.modelDigest);
  const files = (artifacts?.files ?? []).map(
    (file) =>
      new Models.Component(Enums.ComponentType.File, file.path, {
        bomRef: `${modelRef(model.versionId)}:file:${file.path}`,
        hashes: hashes(file.digest),
      }),
  );
  const { provider } = model;
  const signature = artifacts?.signature ?? null;
  return new Models.Component(Enums.ComponentType.MachineLearningModel, model.name, {
    bomRef: modelRef(model.versionId),
    version: String(model.version),
    ...(model.intendedUse === null ? {} : { description: model.intendedUse }),
    hashes: hashes(modelDigest),
    supplier: supplier(provider),
    components: new Models.ComponentRepository(files),
    properties: properties([
      ['assay:modelId', model.id],
      ['assay:modelVersionId', model.versionId],
      ['assay:modelDigest', modelDigest],
      ['assay:riskTier', model.riskTier],
      ['assay:jurisdictions', model.jurisdictions.join(',')],
      ['assay:provider:contact', provider !== null && !EMAIL.test(provider.contact) ? provider.contact : null],
      ['assay:training:runId', training?.runId],
      ['assay:training:specDigest', training?.specDigest],
      ['assay:training:seed', training?.seed],
      ['assay:signature:format', signature?.format],
      ['assay:signature:method', signature?.method],
      ['assay:signature:verified', signature === null ? null : String(signature.verified)],
    ]),
  });
}

function licences(licence: string | null | undefined): Models.LicenseRepository {
  if (licence === null || licence === undefined) return new Models.LicenseRepository();
  return new Models.LicenseRepository([SPDX.isSupportedSpdxId(licence) ? new Models.SpdxLicense(licence) : new Models.NamedLicense(licence)]);
}

export function dataComponent(dataset: DatasetEvidence): Models.Component {
  return new Models.Component(Enums.ComponentType.Data, dataset.name, {
    bomRef: datasetRef(dataset.versionId),
    version: String(dataset.version),
    description: datasetDescription(dataset),
    hashes: hashes(dataset.tableDigest),
    licenses: licences(dataset.datasheet?.licence),
    properties: properties([
      ['assay:dataset:role', dataset.role],
      ['assay:datasetId', dataset.datasetId],
      ['assay:datasetVersionId', dataset.versionId],
      ['assay:dataset:origin', dataset.origin],
      ['assay:dataset:tableDigest', dataset.tableDigest],
      ['assay:dataset:rawDigest', dataset.rawDigest],
      ['assay:datasheet:digest', dataset.datasheet?.digest],
      ['assay:datasheet:complete', dataset.datasheet === null ? null : String(dataset.datasheet.complete)],
    ]),
  });
}

export interface CycloneDxComponentData {
  type: 'dataset';
  name: string;
  contents: { properties: CycloneDxProperty[] };
  classification?: string;
  sensitiveData?: string[];
  description: string;
  governance?: { stewards: Array<{ organization: { name: string; url?: string[]; contact?: Array<{ email: string }> } }> };
}

/** The datasheet's maintenance contact: the team that answers for the data's content. */
function stewards(datasheet: Record<string, unknown> | null): CycloneDxComponentData['governance'] {
  const contact = objectField(objectField(datasheet?.maintenance)?.contact);
  const name = stringField(contact?.name);
  if (name === null) return undefined;
  const url = stringField(contact?.url);
  const email = stringField(contact?.email);
  return { stewards: [{ organization: { name, ...(url === null ? {} : { url: [url] }), ...(email === null ? {} : { contact: [{ email }] }) } }] };
}

/** The 1.6 `data` entry of a dataset version's component. */
export function componentData(dossier: ModelDossier, dataset: DatasetEvidence): CycloneDxComponentData {
  const classification = dataClassification(dataset);
  const sensitive = sensitiveData(dossier, dataset);
  const governance = stewards(datasheetOf(dossier, dataset));
  return {
    type: 'dataset',
    name: `${dataset.name} v${dataset.version} (${dataset.role})`,
    contents: {
      properties: [
        { name: 'assay:dataset:tableDigest', value: dataset.tableDigest },
        { name: 'assay:dataset:rows', value: String(dataset.rows) },
        { name: 'assay:dataset:columns', value: String(dataset.columns) },
      ],
    },
    ...(classification === null ? {} : { classification }),
    ...(sensitive.length === 0 ? {} : { sensitiveData: sensitive }),
    description: datasetDescription(dataset),
    ...(governance === undefined ? {} : { governance }),
  };
}
