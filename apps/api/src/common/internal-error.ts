import type { Lang } from '@matcher/catalog';

/**
 * Texts that come from the runtime or a library rather than from the service: JavaScript errors
 * ("Cannot read properties of undefined (reading 'params')"), zlib ("incorrect header check") and the XML
 * parser. They mean nothing to the person reading a problem response and hint at internals.
 */
const JS_ERROR =
  /Cannot read propert(?:y|ies) of (?:undefined|null)|Cannot set propert(?:y|ies) of|Cannot destructure|is not a function|is not iterable|is not a constructor|is not defined|Cannot convert (?:undefined|null|a Symbol)|Maximum call stack|Invalid array length|Invalid string length|Invalid typed array length|Unexpected token|Unexpected end of JSON input|Cannot access '[^']*' before initialization|\[object Object\]/;
const ZLIB_ERROR =
  /incorrect header check|incorrect data check|incorrect length check|unknown compression method|invalid (?:block type|stored block lengths|distance(?: too far back| code)?|code lengths set|bit length repeat|literal\/lengths set|distances set|literal\/length code|window size)|too many length or distance symbols|unexpected end of file|Z_(?:DATA|BUF|STREAM)_ERROR/;
const XML_ERROR = /^\d+:\d+: |text data outside of root node|unclosed tag|unexpected close tag|disallowed character/;

export type InternalKind = 'program' | 'compression' | 'xml';

/** What kind of internal text this is, if it is one. */
export function internalKind(text: string): InternalKind | undefined {
  if (ZLIB_ERROR.test(text)) return 'compression';
  if (XML_ERROR.test(text)) return 'xml';
  if (JS_ERROR.test(text)) return 'program';
  return undefined;
}

const SENTENCES: Record<InternalKind, Record<Lang, string>> = {
  program: {
    zh: '内容的结构不完整或不符合要求，服务无法读取；请检查后重试。',
    en: 'Its structure is incomplete or not as expected, so the service cannot read it; check it and try again.',
  },
  compression: {
    zh: '文件已损坏：压缩的内容无法解压。请重新保存后再上传。',
    en: 'The file is damaged: its compressed content cannot be unpacked. Save it again and upload it again.',
  },
  xml: {
    zh: '文件中的 XML 格式有误，无法读取。请用 Excel 重新保存后再上传。',
    en: 'The XML inside the file is malformed and cannot be read. Save it again from Excel and upload it again.',
  },
};

/** The plain sentence for an internal text in the user's language; the text itself when it is not internal. */
export function plainText(text: string, lang: Lang): string {
  const kind = internalKind(text);
  return kind ? SENTENCES[kind][lang] : text;
}

/** The plain sentence for a thrown error (anything not an Error, or a runtime error class, counts as internal). */
export function plainReason(err: unknown, lang: Lang): string {
  if (!(err instanceof Error)) return SENTENCES.program[lang];
  if (isZlibError(err)) return SENTENCES.compression[lang];
  if (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError) return SENTENCES.program[lang];
  return plainText(err.message, lang);
}

/** zlib's errors carry a code such as Z_DATA_ERROR. */
export function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
