/**
 * The demo's data: loan applications generated with a fixed seed, with two things planted for
 * Assay to find — personal data (applicants' e-mail addresses and phone numbers) and a group
 * disparity (women's applications were labelled "bad" more often at equal income, debt and
 * purpose: a biased historical decision the model would learn if it saw `sex`).
 */
import seedrandom from 'seedrandom';

export const DEMO_LABEL = 'credit_risk';
export const DEMO_FEATURES_ALL = ['age', 'sex', 'income', 'debt', 'purpose'];
export const DEMO_PII_COLUMNS = ['email', 'phone'];

export function demoCreditCsv(rows = 1600, seed = 2026): string {
  const random = seedrandom(String(seed));
  const purposes = ['car', 'house', 'education', 'business'];
  const lines = ['email,phone,age,sex,income,debt,purpose,credit_risk'];
  for (let i = 0; i < rows; i++) {
    const age = 20 + Math.floor(random() * 50);
    const sex = random() < 0.5 ? 'F' : 'M';
    const income = Math.round(20 + random() * 80);
    const debt = Math.round(random() * 60);
    const purpose = purposes[Math.floor(random() * purposes.length)]!;
    const logit = 0.08 * (income - 60) - 0.1 * (debt - 30) + (purpose === 'business' ? -1 : 0.5) + (sex === 'F' ? -1.6 : 0) + (random() - 0.5) * 1.5;
    const email = `applicant${i}.${Math.floor(random() * 1e6)}@example.org`;
    const phone = `+49 30 ${String(1000000 + Math.floor(random() * 8999999))}`;
    lines.push([email, phone, age, sex, random() < 0.02 ? '' : income, debt, purpose, logit > 0 ? 'good' : 'bad'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A datasheet for the applications: personal data declared, lawful basis `withLawfulBasis` or none. */
export function demoDatasheet(options: { pseudonymised: boolean; withLawfulBasis: boolean }) {
  return {
    motivation: {
      purpose: 'Pre-screen consumer loan applications by predicted repayment risk (Assay demo, generated data).',
      creators: ['Assay demo'],
    },
    composition: {
      instances: 'One generated loan application per row with its repayment outcome.',
      labelColumn: DEMO_LABEL,
      sensitiveAttributes: ['sex'],
      quasiIdentifiers: ['age', 'sex'],
      personalData: {
        present: true,
        dataSubjects: ['loan applicants'],
        identifiability: options.pseudonymised ? 'pseudonymised' : 'identified',
        specialCategoryDataPresent: false,
        criminalOffenceDataPresent: false,
        childrenDataPresent: false,
      },
    },
    collectionProcess: {
      sources: [{ name: 'Loan origination system (simulated)', kind: 'collected_directly', description: 'Closed applications.' }],
      collectionPeriod: { start: '2023-01-01', end: '2025-12-31' },
      jurisdictions: ['DE'],
      ...(options.withLawfulBasis
        ? {
            legalBasis: {
              article6: 'contract',
              article10Authorisation: 'Not applicable: no criminal-offence data.',
              legitimateInterestsAssessment: 'LIA-DEMO-1',
            },
            dataSubjectsInformed: true,
            dpiaReference: 'DPIA-DEMO-1',
          }
        : {}),
    },
    preprocessing: options.pseudonymised
      ? { steps: [{ kind: 'anonymisation', description: 'E-mail addresses and phone numbers replaced by keyed pseudonyms (HMAC-SHA-256).' }], rawDataRetained: true }
      : {},
    uses: {
      intendedUses: ['Training and evaluating credit pre-screening models.'],
      prohibitedUses: ['Automated refusal of credit without human review'],
      knownLimitations: ['Declined applicants have no outcome (selection bias).'],
      knownBiases: ['Historical labels disadvantage women at equal income and debt.'],
    },
    distribution: { licence: 'CC0-1.0' },
    maintenance: {
      contact: { name: 'Assay demo', email: 'demo@example.org' },
      retention: { period: 'P1Y', justification: 'Demo data.', deletionProcedure: 'Delete the demo data directory.' },
    },
  };
}
