import type { DocumentRecord } from '../measures/measure.types';
import { EXTENSION_CODES, EXTENSION_FIELDS, type ExtensionCode } from '../profile/profile-extensions';
import { allowedCodes } from '../taxonomy/taxonomy';

/** The documented profile extension (libs/catalog/src/data/profile-extensions.json): codes v1 truly lacks. */
export function extensionFindings(documents: ReadonlyMap<string, DocumentRecord>, codes: readonly ExtensionCode[] = EXTENSION_CODES): string[] {
  const out: string[] = [];
  for (const c of codes) {
    const at = `profile extension ${c.code}`;
    const expected = (EXTENSION_FIELDS as Record<string, { extends: string } | undefined>)[c.field]?.extends;
    if (!expected) out.push(`${at}: field ${c.field} is not an extension field`);
    else if (c.extends !== expected) out.push(`${at}: ${c.field} extends ${expected}, not ${c.extends}`);
    if (allowedCodes(c.extends).includes(c.code)) out.push(`${at}: already a ${c.extends} code of profile v1`);
    if (!documents.has(c.documentId)) out.push(`${at}: document ${c.documentId} is not in seeds/catalog/documents.json`);
    if (c.parent !== undefined && (c.extends !== 'sectors' || !allowedCodes('sectors').includes(c.parent) || !c.code.startsWith(`${c.parent}/`)))
      out.push(`${at}: parent ${c.parent} is not a v1 sector it lies beneath`);
    if (![c.zh, c.en, c.why].every((t) => typeof t === 'string' && t.trim())) out.push(`${at}: zh, en and why are required`);
  }
  const keys = codes.map((c) => `${c.extends}:${c.code}`);
  for (const dup of new Set(keys.filter((c, i) => keys.indexOf(c) !== i))) out.push(`profile extension ${dup.split(':')[1]} is listed twice`);
  return out;
}
