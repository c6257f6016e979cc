import { type EntityType } from './entity-types';

/**
 * What a column's name says about its values. Names are normalised (camelCase split, NFKC,
 * lower case, runs of non-alphanumerics → "_") and matched as whole "_"-separated tokens, so
 * "zip" does not read as "ip" and "filename" does not read as a person's name. CJK names are
 * matched as substrings (they have no separators).
 */

export function normalizeColumnName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

interface ContextRule {
  entity: EntityType;
  /** Matched against "_" + normalised name + "_". */
  tokens?: RegExp;
  /** Matched against the whole normalised name. */
  whole?: RegExp;
  /** Lower-case substrings, for scripts without word separators. */
  cjk?: readonly string[];
}

const t = (alternatives: string): RegExp => new RegExp(`_(?:${alternatives})_`);

const RULES: readonly ContextRule[] = [
  {
    entity: 'EMAIL_ADDRESS',
    tokens: t('e_?mail(?:_?addr(?:ess)?)?|mail_?addr(?:ess)?|courriel|correo(?:_electronico)?'),
    cjk: ['邮箱', '电子邮件', '邮件地址', 'メール', '이메일'],
  },
  {
    entity: 'PHONE_NUMBER',
    tokens: t(
      'phone(?:_?(?:no|num(?:ber)?))?|tel(?:ephone)?(?:_?(?:no|nr|num(?:ber)?))?|mobile(?:_?(?:no|num(?:ber)?))?|cell(?:_?phone)?|msisdn|fax|telefon(?:nummer)?|telefono|telephone|handy(?:nummer)?|whatsapp|contact_number',
    ),
    cjk: ['电话', '手机', '联系方式', '電話', '携帯', '전화'],
  },
  {
    entity: 'CREDIT_CARD',
    // "id_card_no" is an identity card.
    tokens: t(
      'credit_?card(?:_?(?:no|num(?:ber)?))?|(?<!id_)card_?(?:no|num(?:ber)?|pan)|cc_?(?:no|num(?:ber)?)|ccnum|pan|kreditkarte(?:nnummer)?|tarjeta',
    ),
    cjk: ['信用卡', '银行卡', '卡号'],
  },
  { entity: 'IBAN_CODE', tokens: t('iban(?:_?(?:no|code|number))?|bank_?account(?:_?(?:no|number))?|account_?iban') },
  {
    entity: 'IP_ADDRESS',
    tokens: t(
      'ip|ipv[46]|ip_?addr(?:ess)?|(?:client|remote|source|src|dest|dst|host|server|user|peer|public|private)_ip|remote_addr',
    ),
    cjk: ['ip地址'],
  },
  {
    entity: 'US_SSN',
    tokens: t('ssn|ssns|social_?security(?:_?(?:no|num(?:ber)?))?|ss_?(?:no|num)|soc_?sec(?:_?no)?'),
  },
  {
    entity: 'CN_RESIDENT_ID',
    tokens: t(
      'id_?card(?:_?(?:no|num(?:ber)?))?|sfz|sfzh|sfzhm|shenfenzheng|resident_?id|citizen_?id|cn_?id|china_?id|id_?number_?cn',
    ),
    cjk: ['身份证', '公民身份号码', '证件号'],
  },
  {
    entity: 'MAC_ADDRESS',
    tokens: t('mac|mac_?addr(?:ess)?|hw_?addr(?:ess)?|hardware_address|bssid|ether(?:net)?_?addr(?:ess)?'),
  },
  {
    entity: 'DATE_OF_BIRTH',
    tokens: t(
      'dob|d_o_b|date_?of_?birth|birth_?(?:date|day|dt)|birthdate|birthday|born(?:_on)?|geburts?_?(?:datum|tag)|geb_?datum|date_?(?:de_?)?naissance|fecha_?(?:de_?)?nacimiento|data_?(?:di_?|de_?)?nasc(?:ita|imento)|geboortedatum|fodelsedatum|syntymaaika|data_urodzenia',
    ),
    cjk: ['出生日期', '出生年月', '生日', '生年月日', '誕生日', '생년월일'],
  },
  {
    entity: 'PERSON',
    // A bare "name" is a person's name only when it is the whole column name: "product_name",
    // "file_name" and "company_name" are not people.
    whole: /^(?:names?|nom|nome|nombre|naam|navn|imie|姓|名)$/,
    tokens: t(
      [
        '(?:first|last|full|given|family|middle|maiden|sur|fore|legal|real|nick)_?names?',
        '(?:customer|client|patient|employee|person|contact|member|student|applicant|holder|cardholder|card_holder|account_holder|passenger|guest|owner|author|recipient|sender|buyer|seller|parent|spouse|beneficiary|insured|subscriber|driver|tenant|borrower|father|mother|physician|doctor)_names?',
        'vorname|nachname|familienname|prenom|nom_de_famille|apellidos?|cognome|voornaam|achternaam',
      ].join('|'),
    ),
    cjk: ['姓名', '名字', '氏名', '성명', '이름'],
  },
];

/** Entity types the column name points to (usually none, sometimes one). */
export function entityTypesFromColumnName(columnName: string): Set<EntityType> {
  const normalized = normalizeColumnName(columnName);
  const delimited = `_${normalized}_`;
  const lower = columnName.toLowerCase();
  const found = new Set<EntityType>();
  for (const rule of RULES) {
    if (
      rule.whole?.test(normalized) === true ||
      rule.tokens?.test(delimited) === true ||
      rule.cjk?.some((word) => lower.includes(word)) === true
    ) {
      found.add(rule.entity);
    }
  }
  return found;
}
