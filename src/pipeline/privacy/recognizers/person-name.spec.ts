import { isPersonNameLike } from './person-name';

describe('name-like values', () => {
  it.each([
    'Ada Lovelace',
    "Conan O'Brien",
    'J. R. R. Tolkien',
    'Lovelace, Ada',
    'José García-Márquez',
    '张伟',
    'Nguyễn Văn An',
    'Zoë',
  ])('accepts %s', (v) => {
    expect(isPersonNameLike(v)).toBe(true);
  });

  it.each(['', 'n/a', 'Unknown', 'R2-D2', 'user_123', 'a@b.com', 'one two three four five six seven', '42', '-'])(
    'rejects %s',
    (v) => {
      expect(isPersonNameLike(v)).toBe(false);
    },
  );
});
