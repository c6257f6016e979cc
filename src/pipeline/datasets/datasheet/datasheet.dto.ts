import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray } from 'class-validator';
import {
  BooleanField,
  ColumnListField,
  CountField,
  EmailField,
  EnumField,
  EnumListField,
  FormattedField,
  NameField,
  NestedField,
  NestedListField,
  TextField,
  TextListField,
  UrlField,
} from './datasheet.decorators';
import { IsAbsentOrValid, IsIso3166Alpha2, IsIsoCalendarDate, IsIsoDuration, IsNotBefore, IsSpdxLicenseExpression } from './datasheet.validators';
import {
  DATA_SOURCE_KINDS,
  GDPR_ARTICLE_6_BASES,
  GDPR_ARTICLE_9_CONDITIONS,
  GDPR_SPECIAL_CATEGORIES,
  IDENTIFIABILITY_LEVELS,
  LABELING_METHODS,
  PREPROCESSING_STEP_KINDS,
  UPDATE_CADENCES,
  type DataSourceKind,
  type GdprArticle6Basis,
  type GdprArticle9Condition,
  type GdprSpecialCategory,
  type IdentifiabilityLevel,
  type LabelingMethod,
  type PreprocessingStepKind,
  type UpdateCadence,
} from './datasheet.vocabulary';
import { ISO_3166_ALPHA2_CODES } from './iso-3166-country';
import { ISO_DATE_PATTERN, ISO_DURATION_PATTERN } from './iso-8601';

/*
 * Body of PUT /datasets/:id/versions/:version/datasheet: a datasheet after Gebru et al.,
 * "Datasheets for Datasets" (Commun. ACM 64(12), 2021): its seven sections of
 * questions, answered in structured fields where an answer can be checked.
 * The DTO checks that the datasheet is well formed; whether it is complete enough to train on
 * is a separate question (datasheet-completeness.ts) that policy rules read. So most answers are
 * optional here, and for lists "absent" (not answered) differs from [] (answered: none).
 * Every field has a twin in datasheet.schema.ts (evidence kind `datasheet.recorded`).
 */

// Gebru et al.: Motivation
export class MotivationDto {
  @TextField('For what purpose was the dataset created; which task or gap it addresses.')
  purpose!: string;

  @TextListField('Who created the dataset (teams, organisations) and on whose behalf.', { optional: true })
  creators?: string[];

  @TextField('Who funded the creation of the dataset (grant or contract where applicable).', { optional: true })
  funding?: string;
}

/** GDPR facts about the data itself; the lawful basis for processing it is in CollectionProcessDto. */
export class PersonalDataDto {
  @BooleanField('Whether any record relates to an identified or identifiable natural person (GDPR Art. 4(1)).')
  present!: boolean;

  @TextListField('Categories of data subjects, e.g. "loan applicants", "employees" (GDPR Art. 30(1)(c)).', { optional: true })
  dataSubjects?: string[];

  @EnumField(IDENTIFIABILITY_LEVELS, 'IdentifiabilityLevel', 'How identifiable the subjects are (GDPR Art. 4(5), Recital 26).', {
    optional: true,
  })
  identifiability?: IdentifiabilityLevel;

  @BooleanField('Whether special categories of personal data (GDPR Art. 9(1)) are present, including by proxy.', { optional: true })
  specialCategoryDataPresent?: boolean;

  @EnumListField(GDPR_SPECIAL_CATEGORIES, 'GdprSpecialCategory', 'Which GDPR Art. 9(1) special categories are present.', { optional: true })
  specialCategories?: GdprSpecialCategory[];

  @BooleanField('Whether data on criminal convictions and offences is present (GDPR Art. 10).', { optional: true })
  criminalOffenceDataPresent?: boolean;

  @BooleanField("Whether children's data is present (GDPR Art. 8, Recital 38).", { optional: true })
  childrenDataPresent?: boolean;
}

// Gebru et al.: Composition
export class CompositionDto {
  @TextField('What the instances represent (people, transactions, images…) and how they relate.')
  instances!: string;

  @CountField('Number of instances.', { optional: true })
  recordCount?: number;

  @BooleanField('Whether the dataset is a sample of a larger set.', { optional: true })
  isSample?: boolean;

  @TextField('How the sample was drawn and whether it is representative of the larger set.', { optional: true })
  samplingStrategy?: string;

  @NameField('The target column for supervised learning; absent for unlabelled data.', { optional: true })
  labelColumn?: string;

  @ColumnListField('Columns holding sensitive or protected attributes, for fairness and label-balance checks (EU AI Act Art. 10(2)(f)).', {
    optional: true,
  })
  sensitiveAttributes?: string[];

  @ColumnListField('Columns an attacker could link to outside data (age, postcode, sex…), for k-anonymity.', { optional: true })
  quasiIdentifiers?: string[];

  @TextField('Which information is missing from instances, and why.', { optional: true })
  missingData?: string;

  @TextField('Known errors, sources of noise or redundancies.', { optional: true })
  knownErrors?: string;

  @NestedField(() => PersonalDataDto, 'Personal data in the dataset.')
  personalData!: PersonalDataDto;
}

export class DataSourceDto {
  @NameField('Name of the source (system, organisation, publication).')
  name!: string;

  @EnumField(DATA_SOURCE_KINDS, 'DataSourceKind', 'How the data was obtained from this source (GDPR Art. 13 or 14 notice).')
  kind!: DataSourceKind;

  @UrlField('Where the source is documented or can be obtained.')
  url?: string;

  @TextField('Anything else a reviewer needs to know about this source.', { optional: true })
  description?: string;
}

export class CollectionPeriodDto {
  @FormattedField('First day of collection (ISO 8601 calendar date).', [IsIsoCalendarDate()], {
    api: { format: 'date', pattern: ISO_DATE_PATTERN, example: '2023-01-01' },
  })
  start!: string;

  @FormattedField('Last day of collection, on or after start; absent while collection is ongoing.', [IsIsoCalendarDate(), IsNotBefore('start')], {
    optional: true,
    api: { format: 'date', pattern: ISO_DATE_PATTERN, example: '2023-12-31' },
  })
  end?: string;
}

export class ConsentDto {
  @TextField('The purposes the data subjects consented to, as worded to them (GDPR Art. 6(1)(a), 7(2)).')
  scope!: string;

  @BooleanField('Whether that scope covers training and evaluating machine-learning models (purpose limitation, Art. 5(1)(b)).')
  coversModelTraining!: boolean;

  @TextField('How consent was obtained and is evidenced (Art. 7(1)).', { optional: true })
  obtainedVia?: string;

  @TextField('How a data subject withdraws consent, and what happens to their records (Art. 7(3)).', { optional: true })
  withdrawalMechanism?: string;
}

export class LegalBasisDto {
  @EnumField(
    GDPR_ARTICLE_6_BASES,
    'GdprArticle6Basis',
    'Lawful basis for processing, GDPR Art. 6(1): (a) consent, (b) contract, (c) legal_obligation, (d) vital_interests, (e) public_task, (f) legitimate_interests. One basis per purpose, chosen before processing starts and told to the data subjects (Art. 13(1)(c)).',
  )
  article6!: GdprArticle6Basis;

  @EnumField(
    GDPR_ARTICLE_9_CONDITIONS,
    'GdprArticle9Condition',
    'For special-category data, the GDPR Art. 9(2)(a)-(j) condition relied on: (a) explicit_consent … (j) archiving_research_statistics.',
    { optional: true },
  )
  article9Condition?: GdprArticle9Condition;

  @TextField('For criminal-offence data, the Union or Member State law authorising the processing (GDPR Art. 10).', { optional: true })
  article10Authorisation?: string;

  @NestedField(() => ConsentDto, 'When relying on consent or explicit consent: its scope and mechanics.', { optional: true })
  consent?: ConsentDto;

  @TextField('When relying on legitimate interests: reference to the documented balancing test (Art. 6(1)(f)).', { optional: true })
  legitimateInterestsAssessment?: string;
}

export class EthicalReviewDto {
  @BooleanField('Whether an ethical review (e.g. an institutional review board) took place.')
  conducted!: boolean;

  @TextField('Reviewing body, outcome and reference.', { optional: true })
  reference?: string;
}

// Gebru et al.: Collection process
export class CollectionProcessDto {
  @NestedListField(() => DataSourceDto, 'Where the data came from: at least one source.', { minItems: 1 })
  sources!: DataSourceDto[];

  @NestedField(() => CollectionPeriodDto, 'The time frame over which the data was collected.', { optional: true })
  collectionPeriod?: CollectionPeriodDto;

  @TextField('Mechanisms and procedures used to collect the data (sensors, surveys, APIs, scraping…).', { optional: true })
  method?: string;

  @TextField('Who collected the data and how they were compensated.', { optional: true })
  collectors?: string;

  @ApiProperty({
    required: false,
    description: 'Countries where the data was collected or its subjects are located (ISO 3166-1 alpha-2), e.g. ["DE", "CN"].',
    type: [String],
    enum: [...ISO_3166_ALPHA2_CODES],
    enumName: 'Iso3166Alpha2Code',
    minItems: 1,
    uniqueItems: true,
    example: ['DE', 'CN'],
  })
  @IsAbsentOrValid()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ISO_3166_ALPHA2_CODES.length)
  @ArrayUnique()
  @IsIso3166Alpha2({ each: true })
  jurisdictions?: string[];

  @NestedField(() => LegalBasisDto, 'Lawful basis for processing the personal data (required for compliance when personal data is present).', {
    optional: true,
  })
  legalBasis?: LegalBasisDto;

  @BooleanField('Whether the data subjects were informed of the collection (GDPR Art. 13/14).', { optional: true })
  dataSubjectsInformed?: boolean;

  @NestedField(() => EthicalReviewDto, 'Ethical review of the collection.', { optional: true })
  ethicalReview?: EthicalReviewDto;

  @TextField('Reference to the data protection impact assessment (GDPR Art. 35).', { optional: true })
  dpiaReference?: string;
}

export class PreprocessingStepDto {
  @EnumField(PREPROCESSING_STEP_KINDS, 'PreprocessingStepKind', 'What kind of step this was.')
  kind!: PreprocessingStepKind;

  @TextField('What was done, to which columns, and why.')
  description!: string;
}

export class LabelingDto {
  @EnumField(LABELING_METHODS, 'LabelingMethod', 'How the labels were produced.')
  method!: LabelingMethod;

  @TextField('Who labelled (and their instructions, agreement, compensation), or which model did.', { optional: true })
  description?: string;
}

// Gebru et al.: Preprocessing / cleaning / labeling
export class PreprocessingDto {
  @NestedListField(() => PreprocessingStepDto, 'Preprocessing, cleaning and labeling steps, in order.', { optional: true })
  steps?: PreprocessingStepDto[];

  @BooleanField('Whether the raw data is kept alongside the preprocessed data.', { optional: true })
  rawDataRetained?: boolean;

  @NestedField(() => LabelingDto, 'How the labels were produced.', { optional: true })
  labeling?: LabelingDto;
}

// Gebru et al.: Uses
export class UsesDto {
  @TextListField('Tasks the dataset is intended for.', { optional: true })
  intendedUses?: string[];

  @TextListField('Tasks the dataset must not be used for.', { optional: true })
  prohibitedUses?: string[];

  @TextListField('Tasks the dataset has already been used for.', { optional: true })
  priorUses?: string[];

  @TextListField('Known gaps and shortcomings that limit its use (EU AI Act Art. 10(2)(h)); [] when none are known.', { optional: true })
  knownLimitations?: string[];

  @TextListField('Known biases, e.g. under-represented groups or historical bias in the labels; [] when none are known.', { optional: true })
  knownBiases?: string[];
}

// Gebru et al.: Distribution
export class DistributionDto {
  @FormattedField(
    'SPDX licence expression: current SPDX ids (no deprecated ones), AND / OR, parentheses; LicenseRef-<name> for bespoke terms.',
    [IsSpdxLicenseExpression()],
    { optional: true, api: { example: 'CC-BY-4.0', maxLength: 500 } },
  )
  licence?: string;

  @UrlField('Where the licence or terms of use can be read; needed for LicenseRef- licences.')
  licenceTermsUrl?: string;

  @BooleanField('Whether the dataset is distributed to third parties outside the organisation.', { optional: true })
  thirdPartyDistribution?: boolean;

  @TextListField('Export controls, regulatory or contractual restrictions on the data.', { optional: true })
  restrictions?: string[];
}

export class ContactDto {
  @NameField('A team or role, not a person: this record is immutable evidence, and a person may ask to be erased (GDPR Art. 17).')
  name!: string;

  @EmailField('A role mailbox for questions about the dataset.')
  email?: string;

  @UrlField('Issue tracker or web page for the dataset.')
  url?: string;
}

export class UpdatePolicyDto {
  @EnumField(UPDATE_CADENCES, 'UpdateCadence', 'Whether and how the dataset is updated.')
  cadence!: UpdateCadence;

  @FormattedField('For periodic updates: the interval, as an ISO 8601 duration (P1M, P1Y).', [IsIsoDuration()], {
    optional: true,
    api: { format: 'duration', pattern: ISO_DURATION_PATTERN, example: 'P1Y' },
  })
  interval?: string;

  @TextField('How updates are communicated and older versions retired.', { optional: true })
  description?: string;
}

export class RetentionDto {
  @FormattedField('How long the data is kept, as an ISO 8601 duration (GDPR Art. 5(1)(e), 13(2)(a)).', [IsIsoDuration()], {
    api: { format: 'duration', pattern: ISO_DURATION_PATTERN, example: 'P5Y' },
  })
  period!: string;

  @TextField('Why this period (legal obligation, purpose).', { optional: true })
  justification?: string;

  @TextField('How the data is deleted or anonymised at the end of the period.', { optional: true })
  deletionProcedure?: string;
}

// Gebru et al.: Maintenance
export class MaintenanceDto {
  @NestedField(() => ContactDto, 'Who maintains the dataset and how to reach them.')
  contact!: ContactDto;

  @NestedField(() => UpdatePolicyDto, 'Update policy.', { optional: true })
  updatePolicy?: UpdatePolicyDto;

  @NestedField(() => RetentionDto, 'Retention limit of the data (required for compliance when personal data is present).', { optional: true })
  retention?: RetentionDto;

  @TextField('How requests from data subjects (access, erasure, objection) are handled for this dataset.', { optional: true })
  dataSubjectRequests?: string;
}

export class DatasheetDto {
  @NestedField(() => MotivationDto, 'Gebru et al.: Motivation.')
  motivation!: MotivationDto;

  @NestedField(() => CompositionDto, 'Gebru et al.: Composition.')
  composition!: CompositionDto;

  @NestedField(() => CollectionProcessDto, 'Gebru et al.: Collection process.')
  collectionProcess!: CollectionProcessDto;

  @NestedField(() => PreprocessingDto, 'Gebru et al.: Preprocessing, cleaning and labeling.')
  preprocessing!: PreprocessingDto;

  @NestedField(() => UsesDto, 'Gebru et al.: Uses.')
  uses!: UsesDto;

  @NestedField(() => DistributionDto, 'Gebru et al.: Distribution.')
  distribution!: DistributionDto;

  @NestedField(() => MaintenanceDto, 'Gebru et al.: Maintenance.')
  maintenance!: MaintenanceDto;
}
