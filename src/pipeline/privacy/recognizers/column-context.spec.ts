import { entityTypesFromColumnName, normalizeColumnName } from './column-context';

const types = (name: string) => [...entityTypesFromColumnName(name)].sort();

describe('column-name context', () => {
  it('normalises camelCase, acronyms, punctuation and full-width characters', () => {
    expect(normalizeColumnName('dateOfBirth')).toBe('date_of_birth');
    expect(normalizeColumnName('IPAddress')).toBe('ip_address');
    expect(normalizeColumnName('  Customer-E-Mail ')).toBe('customer_e_mail');
    expect(normalizeColumnName('ＤＯＢ')).toBe('dob');
  });

  it.each([
    ['email', ['EMAIL_ADDRESS']],
    ['Customer E-Mail', ['EMAIL_ADDRESS']],
    ['邮箱', ['EMAIL_ADDRESS']],
    ['phone_number', ['PHONE_NUMBER']],
    ['mobileNo', ['PHONE_NUMBER']],
    ['手机号', ['PHONE_NUMBER']],
    ['cc_number', ['CREDIT_CARD']],
    ['IBAN', ['IBAN_CODE']],
    ['client_ip', ['IP_ADDRESS']],
    ['ipAddress', ['IP_ADDRESS']],
    ['SSN', ['US_SSN']],
    ['social_security_number', ['US_SSN']],
    ['身份证号码', ['CN_RESIDENT_ID']],
    ['id_card_no', ['CN_RESIDENT_ID']],
    ['mac_address', ['MAC_ADDRESS']],
    ['dob', ['DATE_OF_BIRTH']],
    ['BirthDate', ['DATE_OF_BIRTH']],
    ['Geburtsdatum', ['DATE_OF_BIRTH']],
    ['fecha_de_nacimiento', ['DATE_OF_BIRTH']],
    ['出生日期', ['DATE_OF_BIRTH']],
    ['name', ['PERSON']],
    ['full_name', ['PERSON']],
    ['FirstName', ['PERSON']],
    ['surname', ['PERSON']],
    ['patient_last_name', ['PERSON']],
    ['姓名', ['PERSON']],
    ['Vorname', ['PERSON']],
  ])('%s → %j', (name, expected) => {
    expect(types(name)).toEqual(expected);
  });

  it.each([
    'zip',
    'ship_date',
    'product_name',
    'file_name',
    'hostname',
    'company_name',
    'created_at',
    'description',
    'amount',
    'machine',
  ])('%s points to nothing', (name) => {
    expect(types(name)).toEqual([]);
  });
});
