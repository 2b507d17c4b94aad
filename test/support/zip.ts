import { crc32, createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

/** Just enough ZIP to take a workbook apart and put it back (tests and the hostile soak craft XLSX files with it). */
export type ZipEntries = Map<string, Buffer>;

/** Entries of a ZIP (stored or deflated), read from its central directory, in archive order. */
export function readZip(zip: Buffer): ZipEntries {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntries = new Map();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(data, data + size);
    if (!name.endsWith('/')) entries.set(name, method === 0 ? Buffer.from(raw) : inflateRawSync(raw));
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

/** An entry deflated ahead of time: one far larger than memory should hold, made by deflatedRepeat. */
export interface PackedEntry {
  packed: Buffer;
  size: number;
  crc: number;
}

/** `unit` repeated `times`, deflated as it streams: a 750 MB entry costs 1 MB of memory. */
export async function deflatedRepeat(unit: Buffer, times: number): Promise<PackedEntry> {
  const deflate = createDeflateRaw({ level: 9, memLevel: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = 0;
  for (let i = 0; i < times; i++) {
    crc = crc32(unit, crc);
    if (!deflate.write(unit)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return { packed: Buffer.concat(out), size: unit.length * times, crc };
}

const isPacked = (c: Buffer | string | PackedEntry): c is PackedEntry => typeof c === 'object' && !Buffer.isBuffer(c);

/** A ZIP of the entries in the order given, deflated, sizes in the local headers. */
export function writeZip(entries: [string, Buffer | string | PackedEntry][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    let packed: Buffer, crc: number, size: number;
    if (isPacked(content)) ({ packed, crc, size } = content);
    else {
      const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
      packed = deflateRawSync(data, { level: 9 });
      crc = crc32(data);
      size = data.length;
    }
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The entries with worksheets last, as Excel writes them (exceljs' stream reader is unreliable otherwise). */
export function worksheetsLast(entries: Map<string, Buffer | PackedEntry>): [string, Buffer | PackedEntry][] {
  const rank = (n: string): number => (n.startsWith('xl/worksheets/') ? 1 : 0);
  return [...entries].sort((a, b) => rank(a[0]) - rank(b[0]));
}
