/**
 * `toCycloneDxBom`: a model version's dossier as a CycloneDX 1.6 ML-BOM. The library builds and
 * serialises the BOM (components, hashes, licences, dependencies, metadata); the 1.6 fields it has
 * no model for (`modelCard` on the model, `data` on each dataset) are then added to the JSON. Pure
 * and deterministic: the timestamp is the dossier's `generatedAt`, lists are sorted, and the serial
 * number is a name-based UUID of the model version and the dossier's digest, so the same dossier
 * gives the same BOM and a different dossier a different serial number.
 */
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { evidenceDocumentDigest, jcsDigest } from '../../evidence-document';
import { nameBasedUuidV8 } from '../../../pipeline/datasets/provenance';
import type { ReportCharts } from '../../../pipeline/assessment/report';
import type { ModelDossier } from '../dossier/model-dossier';
import { componentData, dataComponent, datasetRef, modelComponent, modelRef } from './cyclonedx-components';
import { cycloneDxModelCard } from './cyclonedx-model-card';

/** RFC 9562 §6.6 namespace for names that are URIs (here a URN). */
const URI_NAMESPACE_UUID = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A CycloneDX 1.6 BOM as plain JSON. */
export type CycloneDxBom = Record<string, unknown> & { components: Array<Record<string, unknown>> };

/** `urn:uuid:` + UUIDv8 (SHA-256, name-based) of the model version id and the dossier's JCS digest. */
export function bomSerialNumber(dossier: ModelDossier): string {
  return `urn:uuid:${nameBasedUuidV8(URI_NAMESPACE_UUID, `urn:assay:ml-bom:${dossier.document.model.versionId}:${jcsDigest(dossier)}`)}`;
}

function libraryBom(dossier: ModelDossier): Models.Bom {
  const model = modelComponent(dossier);
  const datasets = dossier.document.datasets.map(dataComponent);
  for (const dataset of datasets) model.dependencies.add(dataset.bomRef);
  const assay = new Models.Component(Enums.ComponentType.Application, dossier.generator.name, { version: dossier.generator.version });
  const metadata = new Models.Metadata({
    timestamp: new Date(dossier.generatedAt),
    tools: new Models.Tools({ components: new Models.ComponentRepository([assay]) }),
    properties: new Models.PropertyRepository([
      new Models.Property('assay:dossier:format', dossier.format),
      new Models.Property('assay:evidenceDocument:digest', evidenceDocumentDigest(dossier.document)),
    ]),
  });
  return new Models.Bom({ serialNumber: bomSerialNumber(dossier), metadata, components: new Models.ComponentRepository([model, ...datasets]) });
}

export function toCycloneDxBom(dossier: ModelDossier, charts: Readonly<ReportCharts> = {}): CycloneDxBom {
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const bom = JSON.parse(serializer.serialize(libraryBom(dossier), { sortLists: true })) as CycloneDxBom;
  const { versionId } = dossier.document.model;
  const datasetRefs = dossier.document.datasets.map((dataset) => datasetRef(dataset.versionId));
  for (const component of bom.components) {
    const ref = component['bom-ref'];
    if (ref === modelRef(versionId)) component.modelCard = cycloneDxModelCard(dossier, datasetRefs, charts);
    const dataset = dossier.document.datasets.find((d) => datasetRef(d.versionId) === ref);
    if (dataset !== undefined) component.data = [componentData(dossier, dataset)];
  }
  return bom;
}
