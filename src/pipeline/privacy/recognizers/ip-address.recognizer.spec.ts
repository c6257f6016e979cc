import fc from 'fast-check';
import { parseIpv4, parseIpv6 } from './ip-address.recognizer';
import { recognizeValue } from './recognize-value';

const ips = (text: string) => recognizeValue(text).filter((f) => f.entity === 'IP_ADDRESS');
const spans = (text: string) => ips(text).map((f) => text.slice(f.start, f.end));

describe('IPv4', () => {
  it('accepts strict octets only', () => {
    expect(parseIpv4('255.255.255.255')).toEqual([255, 255, 255, 255]);
    expect(parseIpv4('0.0.0.0')).toEqual([0, 0, 0, 0]);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.-4', '1..3.4', '1.2.3.4a'])
      expect(parseIpv4(bad)).toBeUndefined();
    expect(spans('from 192.168.01.1 to 10.1.2.3')).toEqual(['10.1.2.3']);
  });

  it('round-trips every address fast-check can produce', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => expect(spans(`host ${ip} up`)).toEqual([ip])));
  });

  it('keeps a valid CIDR prefix and drops an invalid one', () => {
    expect(spans('10.0.0.0/8 10.0.0.0/33 10.0.0.0/08')).toEqual(['10.0.0.0/8', '10.0.0.0', '10.0.0.0']);
  });
});

describe('IPv6 (RFC 4291 §2.2)', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7::', [1, 2, 3, 4, 5, 6, 7, 0]],
    ['::2:3:4:5:6:7:8', [0, 2, 3, 4, 5, 6, 7, 8]],
    ['2001:db8::8a2e:370:7334', [0x2001, 0xdb8, 0, 0, 0, 0x8a2e, 0x370, 0x7334]],
    ['2001:0DB8:0000:0000:0000:0000:1428:57ab', [0x2001, 0xdb8, 0, 0, 0, 0, 0x1428, 0x57ab]],
    ['::ffff:192.0.2.1', [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]],
    ['::192.0.2.1', [0, 0, 0, 0, 0, 0, 0xc000, 0x0201]],
    ['64:ff9b::198.51.100.1', [0x64, 0xff9b, 0, 0, 0, 0, 0xc633, 0x6401]],
    ['1:2:3:4:5:6:1.2.3.4', [1, 2, 3, 4, 5, 6, 0x0102, 0x0304]],
  ])('parses %s', (text, groups) => {
    expect(parseIpv6(text)).toEqual(groups);
  });

  it.each([
    ':::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1::2::3',
    '12345::1',
    'g::1',
    ':1::2',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::ffff:256.0.0.1',
    '::ffff:1.2.3',
    '1:2:3:4:5:6:7:8:',
  ])('rejects %s', (text) => {
    expect(parseIpv6(text)).toBeUndefined();
  });

  it('finds compressed, mapped, zoned, bracketed and prefixed addresses with exact spans', () => {
    expect(spans('gw fe80::1%eth0, [2001:db8::1]:443, http://[::1]/x, ::ffff:10.0.0.1 and 2001:db8::/32.')).toEqual([
      'fe80::1%eth0',
      '2001:db8::1',
      '::1',
      '::ffff:10.0.0.1',
      '2001:db8::/32',
    ]);
  });

  it('round-trips every address fast-check can produce', () => {
    fc.assert(fc.property(fc.ipV6(), (ip) => expect(spans(`addr ${ip} ok`)).toEqual([ip])));
  });

  it('does not read C++ scopes, times, ratios or MAC addresses as IPv6', () => {
    for (const text of [
      'std::cout',
      'Foo::bar()',
      '12:34:56',
      '1:2:3:4',
      'aa:bb:cc:dd:ee:ff',
      'a::b::c',
      'text2001:db8::1',
    ]) {
      expect(ips(text)).toEqual([]);
    }
  });

  it('gives the unspecified address a token score', () => {
    expect(ips('bind ::').map((f) => f.score)).toEqual([0.1]);
    expect(ips('::/0').map((f) => f.score)).toEqual([0.1]);
    expect(ips('0:0:0:0:0:0:0:0').map((f) => f.score)).toEqual([0.1]);
    expect(ips('::1').map((f) => f.score)).toEqual([0.75]);
  });
});
