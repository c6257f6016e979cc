import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Pack folders for specs, written under a temporary root that `cleanup()` removes. */

export const MINIMAL_PACK_YAML = `id: demo
version: "1.0.0"
title: Demo pack
jurisdiction: global
parameters:
  minRatio:
    type: double
    default: 0.8
    description: Lowest accepted selection-rate ratio.
`;

export const MINIMAL_RULES_YAML = `rules:
  - id: fairness-ratio
    title: Selection-rate ratio meets the threshold
    cites: EU AI Act Art. 10(2)(f)
    stages: [staging, production]
    severity: block
    waivable: true
    when: has(evidence.fairness)
    require: evidence.fairness.attributeSets.all(a, has(a.demographicParityRatio) && a.demographicParityRatio >= params.minRatio)
    message: "Lowest ratio {{ evidence.fairness.minDemographicParityRatio }} is below {{ params.minRatio }}."
`;

export class TempPacks {
  readonly root = mkdtempSync(join(tmpdir(), 'assay-policy-'));

  /** Writes `files` (name → content) into `<root>/<id>` and returns the folder. */
  write(id: string, files: Record<string, string>): string {
    const dir = join(this.root, id);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return dir;
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
