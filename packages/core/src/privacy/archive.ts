import { crc32, deflateRawSync } from 'node:zlib';

/**
 * The archives a person takes their data away in (a contact's export, the account's export):
 * CSV a spreadsheet opens without running anything, and one ZIP holding the files. Written
 * here with Node's own zlib (deflate and CRC-32), so no dependency enters the functions' bundles.
 */

/** MS-DOS time and date of a moment (ZIP's own format), in UTC. */
function dosTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((Math.max(at.getUTCFullYear(), 1980) - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

interface EntryFields {
  /** 0 stored, 8 deflated. */
  method: number;
  time: number;
  date: number;
  crc: number;
  /** As stored in the archive. */
  size: number;
  rawSize: number;
}

/**
 * The fields a file's local header and its central directory entry both hold, in the same order
 * (from "version needed" to the extra field's length): the local header has them from byte 4,
 * the central entry from byte 6, after its "made by".
 */
function writeEntryFields(header: Buffer, at: number, entry: EntryFields, nameLength: number) {
  header.writeUInt16LE(20, at); // version needed: 2.0
  header.writeUInt16LE(0x0800, at + 2); // names in UTF-8
  header.writeUInt16LE(entry.method, at + 4);
  header.writeUInt16LE(entry.time, at + 6);
  header.writeUInt16LE(entry.date, at + 8);
  header.writeUInt32LE(entry.crc, at + 10);
  header.writeUInt32LE(entry.size, at + 14);
  header.writeUInt32LE(entry.rawSize, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
  header.writeUInt16LE(0, at + 24); // no extra field
}

/** One ZIP archive (the files stored or deflated). */
export function zipFiles(files: readonly { name: string; data: string | Uint8Array }[]): Uint8Array {
  const { time, date } = dosTime(new Date());
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const names = new Set<string>();
  for (const file of files) {
    if (!file.name || file.name.startsWith('/') || file.name.includes('..') || names.has(file.name))
      throw new Error(`unusable file name in archive: ${file.name}`);
    names.add(file.name);
    const name = Buffer.from(file.name, 'utf8');
    const raw = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data);
    const deflated = deflateRawSync(raw);
    // Deflate only when it saves something (a media link list may not shrink).
    const stored = deflated.length >= raw.length;
    const body = stored ? raw : deflated;
    const crc = crc32(raw) >>> 0;
    if (offset > 0xffffffff || raw.length > 0xffffffff) throw new Error('archive too large for ZIP32');

    const entry: EntryFields = { method: stored ? 0 : 8, time, date, crc, size: body.length, rawSize: raw.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, entry, name.length);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0
    writeEntryFields(central, 6, entry, name.length);
    // comment, disk, internal and external attributes: 0
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  if (files.length > 0xffff) throw new Error('too many files for ZIP32');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
