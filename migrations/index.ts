import { Access1764300000000 } from './1764300000000-access';
import { LedgerAndEvidence1764400000000 } from './1764400000000-ledger-and-evidence';
import { Datasets1764500000000 } from './1764500000000-datasets';
import { TrainingRuns1764600000000 } from './1764600000000-training-runs';
import { ModelRegistry1764700000000 } from './1764700000000-model-registry';
import { Promotions1764800000000 } from './1764800000000-promotions';
import { PolicyPackSnapshots1764900000000 } from './1764900000000-policy-pack-snapshots';
import { PrivacyBudgets1765000000000 } from './1765000000000-privacy-budgets';
import { RunTraceContext1765100000000 } from './1765100000000-run-trace-context';
import { Serving1765200000000 } from './1765200000000-serving';

/** Every migration, oldest first. Listed explicitly so that the compiled app and ts tests load the same set. */
export const MIGRATIONS = [Access1764300000000, LedgerAndEvidence1764400000000, Datasets1764500000000, TrainingRuns1764600000000, ModelRegistry1764700000000, Promotions1764800000000, PolicyPackSnapshots1764900000000, PrivacyBudgets1765000000000, RunTraceContext1765100000000, Serving1765200000000];
