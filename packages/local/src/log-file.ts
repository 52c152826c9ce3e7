import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Where the local stack keeps every log line it prints (JSON, one per line), below its data
 * folder: what CloudWatch Logs holds in AWS. `npm run trace` and the local alarm watch read it.
 */
export const LOCAL_LOG_FILE = join('logs', 'asistone.ndjson');

/** The log file of the local stack whose data folder is `dataDir`. */
export function localLogFile(dataDir: string): string {
  return join(dataDir, LOCAL_LOG_FILE);
}

export interface LogFileWriter {
  file: string;
  /** Stops copying (what the process prints from then on is not kept) and closes the file. */
  stop(): void;
}

type Write = typeof process.stdout.write;

/**
 * Copies every JSON line this process prints, on stdout or stderr, to `file`: what every handler
 * logs through Powertools, whichever logger printed it. Appended with a synchronous write per
 * line, so a crash loses nothing already printed; created owner-only (the lines are masked, but
 * still a business's activity). Text that is not a JSON object (the start banner) is left out.
 */
export function startLogFile(file: string): LogFileWriter {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let fd: number | undefined = openSync(file, 'a', 0o600);
  const copies = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write;
    let partial = '';
    const copying = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      if (fd !== undefined) {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
        const lines = (partial + text).split('\n');
        partial = (lines.pop() ?? '').slice(-1024 * 1024);
        const json = lines.filter((line) => line.startsWith('{'));
        if (json.length > 0) {
          try {
            writeSync(fd, `${json.join('\n')}\n`);
          } catch {
            // A full disk must not stop the process printing; the console still has the line.
          }
        }
      }
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Write;
    stream.write = copying;
    return { stream, original, copying };
  });
  return {
    file,
    stop() {
      for (const { stream, original, copying } of copies) if (stream.write === copying) stream.write = original;
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * The complete JSON lines of `file` from byte `fromByte` on, and the byte to read from next: a
 * trailing line still being written is left for the next read, and lines that are not JSON
 * objects are skipped. A missing file reads as empty; a file shorter than `fromByte` (removed and
 * started again) is read from its beginning.
 *
 * @example
 * let from = 0;
 * const { lines, nextByte } = await readLogLines(localLogFile(dataDir), from);
 * from = nextByte;
 */
export async function readLogLines(
  file: string,
  fromByte: number,
): Promise<{ lines: Record<string, unknown>[]; nextByte: number }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], nextByte: 0 };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = fromByte > size ? 0 : Math.max(0, fromByte);
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const end = buffer.lastIndexOf(0x0a, read - 1);
    if (end < 0) return { lines: [], nextByte: start };
    const lines: Record<string, unknown>[] = [];
    for (const line of buffer.subarray(0, end).toString('utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const parsed: unknown = JSON.parse(line);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          lines.push(parsed as Record<string, unknown>);
      } catch {
        // Not JSON: something else printed a brace first.
      }
    }
    return { lines, nextByte: start + end + 1 };
  } finally {
    await handle.close();
  }
}
