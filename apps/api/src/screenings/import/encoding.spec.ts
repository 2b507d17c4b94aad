import { TextDecoder } from 'node:util';
import { detectEncoding, UnsupportedEncodingError } from './row-sources';

/** Encodings of an uploaded CSV: UTF-8 (BOM or not), UTF-16 by BOM, GB18030/GBK; Big5 and Latin-1 refused. */

const TEXT = '企业名称,注册地,所属行业\n上海甲生物科技有限公司,静安,生物医药\n乙软件有限公司,徐汇区,软件开发\n';
// The same text as Excel on Chinese Windows saves it (GB18030), and a traditional-Chinese list in Big5.
const GB18030 = Buffer.from(
  'c6f3d2b5c3fbb3c62cd7a2b2e1b5d82ccbf9caf4d0d0d2b50ac9cfbaa3bcd7c9faceefbfc6bcbcd3d0cfdeb9abcbbe2cbeb2b0b22cc9faceefd2bdd2a90ad2d2c8edbcfed3d0cfdeb9abcbbe2cd0ecbbe3c7f82cc8edbcfebfaab7a20a',
  'hex',
);
const BIG5 = Buffer.from(
  'a5f8b77ea657bad92ca9d2a662b0cf2ca6e6b77e0aa457aefca5d2a5cdaaabaceca7dea6b3adada4bda5712cc052a6772ca5cdaaabc2e5c3c40aa441b36ea5f3a6b3adada4bda5712cae7db6d7b0cf2cb36ea5f3b67db56f0a',
  'hex',
);
const LATIN1 = Buffer.from('name,district\nM\u00fcller Caf\u00e9 GmbH,jingan\nSoci\u00e9t\u00e9 G\u00e9n\u00e9rale,xuhui\n', 'latin1');

describe('detectEncoding', () => {
  test('UTF-8 with and without BOM', () => {
    expect(detectEncoding(Buffer.from(TEXT, 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]))).toBe('utf-8');
  });

  test('GB18030/GBK is detected and decodes to the same text', () => {
    expect(detectEncoding(GB18030)).toBe('gb18030');
    expect(new TextDecoder('gb18030').decode(GB18030)).toBe(TEXT);
  });

  test('UTF-16 by its BOM', () => {
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]))).toBe('utf-16le');
  });

  test('Big5 and Latin-1 are refused, not read as garbled GB18030', () => {
    expect(() => detectEncoding(BIG5)).toThrow(UnsupportedEncodingError);
    expect(() => detectEncoding(LATIN1)).toThrow(UnsupportedEncodingError);
  });
});
