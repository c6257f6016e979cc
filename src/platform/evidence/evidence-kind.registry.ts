import { Injectable } from '@nestjs/common';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { KIND_NAME, type EvidenceKind } from './evidence-kind';

interface RegisteredKind extends EvidenceKind {
  validate: ValidateFunction;
}

/** The closed list of evidence kinds, each with its compiled schema. Modules register theirs at init. */
@Injectable()
export class EvidenceKindRegistry {
  private readonly ajv = addFormats(new Ajv2020({ allErrors: true, strict: true }));
  private readonly kinds = new Map<string, RegisteredKind>();

  register(...kinds: EvidenceKind[]): void {
    for (const kind of kinds) {
      if (!KIND_NAME.test(kind.kind)) throw new Error(`Evidence kind "${kind.kind}" is not <noun>.<past-verb>`);
      const existing = this.kinds.get(kind.kind);
      if (existing) {
        if (existing.version === kind.version && existing.schema === kind.schema) continue;
        throw new Error(`Evidence kind ${kind.kind} registered twice`);
      }
      this.kinds.set(kind.kind, { ...kind, validate: this.ajv.compile(kind.schema) });
    }
  }

  get(kind: string): RegisteredKind | undefined {
    return this.kinds.get(kind);
  }

  list(): EvidenceKind[] {
    return [...this.kinds.values()].map(({ kind, version, description, schema }) => ({ kind, version, description, schema }));
  }
}
