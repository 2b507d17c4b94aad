/**
 * U+0000 is valid in JSON and JavaScript strings but not in PostgreSQL text or jsonb: one such character in a
 * stored value fails the whole INSERT. No field of the product needs it, so it is refused (JSON, query, path,
 * form fields) or stripped (file names, spreadsheet cells) at the edge.
 */
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

const NUL = '\u0000';

export function hasNul(text: string): boolean {
  return text.includes(NUL);
}

export function stripNul(text: string): string {
  return text.includes(NUL) ? text.replaceAll(NUL, '') : text;
}

const key = (prefix: string, k: string): string => {
  const safe = k.replaceAll(NUL, '\\u0000');
  return prefix ? `${prefix}.${safe}` : safe;
};

/** The path of the first string or key holding U+0000 ("profile.name", "profiles[2].sectors[0]"), or null. Iterative: any depth. */
export function findNul(value: unknown, prefix = ''): string | null {
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes(NUL)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, inner] = entries[i];
        if (k.includes(NUL)) return key(path, k);
        stack.push([inner, key(path, k)]);
      }
    }
  }
  return null;
}

/** Strips U+0000 from every string and key of a JSON value (a copy; the input is left alone). */
export function stripNulDeep<T>(value: T): T {
  if (typeof value === 'string') return stripNul(value) as T;
  if (Array.isArray(value)) return value.map((v) => stripNulDeep(v)) as T;
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripNul(k), stripNulDeep(v)])) as T;
  }
  return value;
}
