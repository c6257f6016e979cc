/**
 * Architecture rules (DESIGN.md "Layout"): platform ◄ pipeline ◄ governance ◄ serving; cli and console on top.
 * Within pipeline a stage imports only the stages before it (rules added with the stages).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'platform-is-the-bottom',
      comment: 'platform may not depend on pipeline, governance, cli, console or the app assembly',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/(pipeline|governance|serving|cli|console)/|^src/(app\\.module|http-app)\\.ts$' },
    },
    {
      name: 'pipeline-below-governance',
      severity: 'error',
      from: { path: '^src/pipeline/' },
      to: { path: '^src/(governance|serving|cli|console)/|^src/(app\\.module|http-app)\\.ts$' },
    },
    {
      name: 'governance-below-serving',
      comment: 'serving runs what the gate let through; the gate never depends on serving (the evidence document reads monitoring records, not services)',
      severity: 'error',
      from: { path: '^src/governance/' },
      to: { path: '^src/(serving|cli|console)/|^src/(app\\.module|http-app)\\.ts$' },
    },
    {
      name: 'serving-below-cli-and-console',
      severity: 'error',
      from: { path: '^src/serving/' },
      to: { path: '^src/(cli|console)/|^src/(app\\.module|http-app)\\.ts$' },
    },
    {
      name: 'serving-libraries-are-pure',
      comment: 'decision leaves, batch trees and proofs verify offline; drift statistics, input and plan checks and webhook signatures run without NestJS or a database',
      severity: 'error',
      from: {
        path: '^src/serving/(decision-log/(batch-tree|decision-leaf|decision-proof)\\.ts|monitoring/(drift/|monitoring-plan\\.ts|webhooks/webhook-(signature|url)\\.ts)|predictions/prediction-input\\.ts)',
      },
      to: { path: '^node_modules/(@nestjs|typeorm|pg|@electric-sql)/|^src/platform/(?!ledger/verification/)' },
    },
    {
      name: 'pipeline-stages-in-order: datasets',
      comment: 'within pipeline a stage imports only the stages before it: datasets ◄ privacy ◄ energy ◄ training ◄ …',
      severity: 'error',
      from: { path: '^src/pipeline/datasets/' },
      to: { path: '^src/pipeline/(?!datasets/)' },
    },
    {
      name: 'pipeline-stages-in-order: privacy',
      severity: 'error',
      from: { path: '^src/pipeline/privacy/' },
      to: { path: '^src/pipeline/(?!(privacy|datasets)/)' },
    },
    {
      name: 'pipeline-stages-in-order: energy',
      severity: 'error',
      from: { path: '^src/pipeline/energy/' },
      to: { path: '^src/pipeline/(?!energy/)' },
    },
    {
      name: 'pipeline-stages-in-order: training',
      severity: 'error',
      from: { path: '^src/pipeline/training/' },
      to: { path: '^src/pipeline/(?!(training|energy|privacy|datasets)/)' },
    },
    {
      name: 'pipeline-stages-in-order: evaluation',
      severity: 'error',
      from: { path: '^src/pipeline/evaluation/' },
      to: { path: '^src/pipeline/(?!(evaluation|training|energy|privacy|datasets)/)' },
    },
    {
      name: 'pipeline-stages-in-order: explainability',
      severity: 'error',
      from: { path: '^src/pipeline/explainability/' },
      to: { path: '^src/pipeline/(?!(explainability|evaluation|training|energy|privacy|datasets)/)' },
    },
    {
      name: 'pipeline-stages-in-order: assessment',
      comment: 'assessment runs evaluation and explainability on trained models; nothing in pipeline imports it',
      severity: 'error',
      from: { path: '^src/pipeline/(?!assessment/)' },
      to: { path: '^src/pipeline/assessment/' },
    },
    {
      name: 'measurement-libraries-are-pure',
      comment: 'metric, fairness, robustness and explanation maths run without NestJS or a database (wiring files may sit beside them)',
      severity: 'error',
      from: { path: '^src/pipeline/(evaluation|explainability|assessment/report)/|^src/pipeline/assessment/model-assessor\\.ts$', pathNot: '\\.(module|service|controller|dto|entity|evidence-kinds)\\.ts$' },
      to: { path: '^node_modules/(@nestjs|typeorm|pg|@electric-sql)/|^src/platform/' },
    },
    {
      name: 'pipeline-libraries-are-pure',
      comment: 'ingest, transformations, provenance, recognisers and risk measures run without NestJS or a database',
      severity: 'error',
      from: {
        path: '^src/pipeline/(datasets/(ingest|transformations|provenance)|privacy/(recognizers|reidentification)|energy|training/(engine|model-signing|model|preprocessing|differential-privacy))/',
      },
      to: { path: '^node_modules/(@nestjs|typeorm|pg|@electric-sql)/|^src/platform/' },
    },
    {
      name: 'export-documents-and-bundle-verifier-are-pure',
      comment: 'assay verify runs offline: the bundle library and the document generators use no NestJS, database or service (only the ledger verification library of platform)',
      severity: 'error',
      from: { path: '^src/governance/(exports/(bundle|dossier|model-card|cyclonedx|lineage|annex-iv)|evidence-document|policy)/' },
      to: { path: '^node_modules/(@nestjs|typeorm|pg|@electric-sql)/|^src/platform/(?!ledger/verification/)' },
    },
    {
      name: 'ledger-verification-is-standalone',
      comment: 'the offline verifier must run without NestJS, TypeORM or a database',
      severity: 'error',
      from: { path: '^src/platform/ledger/verification/' },
      to: { path: '^node_modules/(@nestjs|typeorm|pg|@electric-sql)/|^src/(?!platform/ledger/verification/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'server-never-imports-the-console-frontend',
      comment: 'console/ (the browser SPA, its own tsconfig and bundler) talks to the API over HTTP; src/ only serves its built files',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^console/' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
