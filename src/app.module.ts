import { Module, type DynamicModule } from '@nestjs/common';
import { IdentityModule } from './platform/identity/identity.module';
import { ConfigModule } from './platform/config/config.module';
import type { AssayConfig } from './platform/config/config.schema';
import { ArtifactsModule } from './platform/artifacts/artifacts.module';
import { DatabaseModule } from './platform/database/database.module';
import { EvidenceModule } from './platform/evidence/evidence.module';
import { HealthModule } from './platform/health/health.module';
import { LoggingModule } from './platform/logging/logging.module';
import { MetricsModule } from './platform/observability/metrics/metrics.module';
import { DatasetsModule } from './pipeline/datasets/datasets.module';
import { PrivacyModule } from './pipeline/privacy/privacy.module';
import { TrainingRunsModule } from './pipeline/training/runs/training-runs.module';
import { AssessmentModule } from './pipeline/assessment/assessment.module';
import { RegistryModule } from './governance/registry/registry.module';
import { PoliciesModule } from './governance/policy-packs/policies.module';
import { PromotionModule } from './governance/promotion/promotion.module';
import { ExportsModule } from './governance/exports/exports.module';
import { ServingModule } from './serving/serving.module';

/** The whole service. Modules of later stages are added here. */
@Module({})
export class AppModule {
  static forRoot(config: AssayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot(config),
        EvidenceModule,
        ArtifactsModule,
        IdentityModule,
        HealthModule,
        MetricsModule,
        DatasetsModule,
        PrivacyModule,
        TrainingRunsModule,
        AssessmentModule,
        RegistryModule,
        PoliciesModule,
        PromotionModule,
        ExportsModule,
        ServingModule,
      ],
    };
  }
}
