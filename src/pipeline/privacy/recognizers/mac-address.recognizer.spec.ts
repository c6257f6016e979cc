import { maskValue } from './mask';
import { recognizeValue } from './recognize-value';

const macs = (text: string) => recognizeValue(text).filter((f) => f.entity === 'MAC_ADDRESS');

describe('MAC-48 / EUI-48 addresses', () => {
  it.each(['00:1A:2B:3C:4D:5E', '00-1a-2b-3c-4d-5e', '001a.2b3c.4d5e', 'a4:83:e7:0b:7c:11'])('recognises %s', (mac) => {
    expect(macs(`device ${mac} joined`)).toEqual([
      { entity: 'MAC_ADDRESS', start: 7, end: 7 + mac.length, score: 0.8 },
    ]);
  });

  it.each([
    '00:1A-2B:3C:4D:5E',
    '00:1A:2B:3C:4D',
    '00:1a:2b:3c:4d:5e:6f',
    '00:1a:2b:3c:4d:5g',
    '0:1a:2b:3c:4d:5e',
    '001a.2b3c.4d5e.6f70',
    'x00:1a:2b:3c:4d:5e',
    '12:34:56',
  ])('rejects %s', (text) => {
    expect(macs(text)).toEqual([]);
  });

  it('gives the all-zero and broadcast addresses, and digit-only dotted triplets, low scores', () => {
    expect(macs('ff:ff:ff:ff:ff:ff')[0]?.score).toBe(0.1);
    expect(macs('00-00-00-00-00-00')[0]?.score).toBe(0.1);
    expect(macs('1234.5678.9012')[0]?.score).toBe(0.4);
  });

  it('is not mistaken for IPv6, and masks to the OUI', () => {
    expect(recognizeValue('aa:bb:cc:dd:ee:ff').map((f) => f.entity)).toEqual(['MAC_ADDRESS']);
    expect(maskValue('MAC_ADDRESS', '00:1A:2B:3C:4D:5E')).toBe('00:1A:2B:**:**:**');
    expect(maskValue('MAC_ADDRESS', '00-1a-2b-3c-4d-5e')).toBe('00-1a-2b-**-**-**');
    expect(maskValue('MAC_ADDRESS', '001a.2b3c.4d5e')).toBe('001a.2b**.****');
  });
});
