export interface SourceParagraph {
  /** Text before the quote within its paragraph. */
  before: string;
  /** The quote as it stands in the document (line breaks of the extracted PDF removed). */
  quote: string;
  after: string;
}

const BREAK_BETWEEN_WORDS = /(?<=[^\sA-Za-z0-9])\s*\n\s*(?=[^\sA-Za-z0-9])/g;

/**
 * Where a quote stands in a document, whitespace aside (the PDFs were extracted with line breaks mid-sentence):
 * [start, end) offsets in the text as stored, or null when the quote is not in it.
 */
export function locateQuote(text: string, quote: string): [number, number] | null {
  const compactQuote = quote.replace(/\s+/g, '');
  if (!compactQuote) return null;
  // Map each non-whitespace character back to its offset in the original text.
  const offsets: number[] = [];
  let compact = '';
  for (let i = 0; i < text.length; i++) {
    if (!/\s/.test(text[i])) {
      offsets.push(i);
      compact += text[i];
    }
  }
  const at = compact.indexOf(compactQuote);
  if (at < 0) return null;
  return [offsets[at], offsets[at + compactQuote.length - 1] + 1];
}

/** The quote with the surrounding paragraph, or null when the quote is not in the text. */
export function sourceParagraph(text: string, quote: string, context = 240): SourceParagraph | null {
  const range = locateQuote(text, quote);
  if (!range) return null;
  const [start, end] = range;
  const tidy = (s: string): string => s.replace(BREAK_BETWEEN_WORDS, '').replace(/[ \t]+/g, ' ');
  // A paragraph ends at a blank line followed by a heading-like or indented line; cap the context either way.
  const from = Math.max(0, start - context * 3);
  const head = tidy(text.slice(from, start));
  const tail = tidy(text.slice(end, end + context * 3));
  const beforeBreak = Math.max(head.lastIndexOf('\n\n'), head.lastIndexOf('。\n'), -1);
  const afterBreak = tail.search(/\n\s*\n|。\s*\n/);
  const before = (beforeBreak >= 0 ? head.slice(beforeBreak).replace(/^。?\s+/, '') : head).slice(-context).trimStart();
  const after = (afterBreak >= 0 ? tail.slice(0, afterBreak + 1) : tail).slice(0, context).trimEnd();
  return { before, quote: tidy(text.slice(start, end)), after };
}
