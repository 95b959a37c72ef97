import { crc32 } from 'node:zlib';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  BufferFullError,
  decodeIngestRecord,
  IngestRecord,
  StoredRecord,
  writeIngestRecord,
} from './record';

/** What {@link SegmentLog.readBatch} read. @public */
export interface ReadBatch {
  records: StoredRecord[];
  /** Byte ranges skipped because they held no whole record. */
  corrupt: Array<{ offset: number; nextOffset: number }>;
  /** Where the next read starts: past the records and the skipped ranges. */
  nextOffset: number;
}

/** @public */
export interface SegmentLogOptions {
  directory: string;
  /** A segment is closed and a new one started past this size (default 64 MiB). */
  segmentBytes?: number;
  /** Appends are refused (BufferFullError) while the log holds more than this (default 1 GiB). */
  maxBytes?: number;
}

const HEADER = 8; // u32 payload length, u32 crc32 of the payload
const SEGMENT_DIGITS = 20;
const segmentName = (base: number) =>
  `${String(base).padStart(SEGMENT_DIGITS, '0')}.log`;

type Pending = {
  frame: Buffer;
  resolve: (offset: number) => void;
  reject: (error: Error) => void;
};

/**
 * An append-only log of ingest records in segment files, safe against crashes: `append`
 * resolves only after the record is on disk (fdatasync), and many appends share one sync
 * (group commit). Offsets are byte positions across segments; each segment file is named by
 * the offset of its first byte. Consumers read from a committed offset and commit what they
 * have processed; segments every consumer is past are deleted.
 *
 * @public
 */
export class SegmentLog {
  readonly #dir: string;
  readonly #segmentBytes: number;
  readonly #maxBytes: number;
  #segments: number[] = []; // base offsets, ascending
  #handle?: fs.FileHandle; // the active (last) segment
  #end = 0; // durable end offset: everything below is synced
  #pending: Pending[] = [];
  #pendingBytes = 0;
  #flushing?: Promise<void>;
  #closed = false;

  static async open(options: SegmentLogOptions): Promise<SegmentLog> {
    const log = new SegmentLog(options);
    await log.#init();
    return log;
  }

  private constructor(options: SegmentLogOptions) {
    this.#dir = options.directory;
    this.#segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.#maxBytes = options.maxBytes ?? 1024 * 1024 * 1024;
  }

  /** The offset after the last durable record. */
  get endOffset(): number {
    return this.#end;
  }

  /** Bytes held on disk. */
  get sizeBytes(): number {
    return this.#end - (this.#segments[0] ?? 0);
  }

  async #init() {
    await fs.mkdir(join(this.#dir, 'consumers'), { recursive: true });
    const names = (await fs.readdir(this.#dir)).filter(n =>
      /^\d{20}\.log$/.test(n),
    );
    this.#segments = names
      .map(n => Number(n.slice(0, SEGMENT_DIGITS)))
      .sort((a, b) => a - b);
    if (this.#segments.length === 0) this.#segments = [0];
    const base = this.#segments[this.#segments.length - 1];
    this.#handle = await fs.open(join(this.#dir, segmentName(base)), 'a+');
    // A crash may have left a torn record after the last sync: nothing past it was ever
    // acknowledged, so cut the segment back to its last whole record.
    const valid = await this.#validLength(this.#handle);
    const { size } = await this.#handle.stat();
    if (valid < size) {
      await this.#handle.truncate(valid);
      await this.#handle.datasync();
    }
    this.#end = base + valid;
  }

  async #validLength(handle: fs.FileHandle): Promise<number> {
    const { size } = await handle.stat();
    const header = Buffer.alloc(HEADER);
    let position = 0;
    while (position + HEADER <= size) {
      await handle.read(header, 0, HEADER, position);
      const length = header.readUInt32BE(0);
      if (position + HEADER + length > size) break;
      const payload = Buffer.alloc(length);
      await handle.read(payload, 0, length, position + HEADER);
      if (crc32(payload) !== header.readUInt32BE(4)) break;
      position += HEADER + length;
    }
    return position;
  }

  /** Appends a record; resolves with its offset once it is durable. */
  append(record: IngestRecord): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the log is closed'));
    if (this.sizeBytes + this.#pendingBytes >= this.#maxBytes) {
      return Promise.reject(
        new BufferFullError(
          `the buffer holds ${this.sizeBytes} bytes, its limit is ${
            this.#maxBytes
          }`,
        ),
      );
    }
    const frame = encode(record);
    return new Promise((resolve, reject) => {
      this.#pending.push({ frame, resolve, reject });
      this.#pendingBytes += frame.length;
      if (!this.#flushing) {
        this.#flushing = new Promise(r => setImmediate(r)).then(() =>
          this.#flushLoop(),
        );
      }
    });
  }

  async #flushLoop(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        this.#pendingBytes = 0;
        await this.#write(batch);
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  async #write(batch: Pending[]) {
    try {
      if (this.#end - this.#activeBase() >= this.#segmentBytes)
        await this.#rotate();
      const start = this.#end;
      const handle = this.#handle!;
      try {
        await handle.writev(batch.map(p => p.frame));
        await handle.datasync();
      } catch (e) {
        // Leave no partial batch behind: nothing in it is acknowledged.
        await handle
          .truncate(start - this.#activeBase())
          .catch(() => undefined);
        throw e;
      }
      let offset = start;
      for (const p of batch) {
        p.resolve(offset);
        offset += p.frame.length;
      }
      this.#end = offset;
    } catch (e) {
      const error =
        (e as NodeJS.ErrnoException).code === 'ENOSPC' ||
        (e as NodeJS.ErrnoException).code === 'EDQUOT'
          ? new BufferFullError('the disk holding the buffer is full')
          : (e as Error);
      for (const p of batch) p.reject(error);
    }
  }

  #activeBase() {
    return this.#segments[this.#segments.length - 1];
  }

  async #rotate() {
    await this.#handle!.close();
    this.#segments.push(this.#end);
    this.#handle = await fs.open(join(this.#dir, segmentName(this.#end)), 'a+');
    await syncDirectory(this.#dir);
  }

  /**
   * Reads durable records from `fromOffset` on, up to `maxRecords` or about `maxBytes`.
   * An offset before the oldest segment (deleted by retention) starts at the oldest.
   */
  async read(
    fromOffset: number,
    limits: { maxRecords?: number; maxBytes?: number } = {},
  ): Promise<StoredRecord[]> {
    return (await this.readBatch(fromOffset, limits)).records;
  }

  /**
   * Like {@link SegmentLog.read}, and says where it stopped and which byte ranges it skipped
   * because they did not hold a whole record (a disk error, a file edited by hand): a reader
   * goes on past them instead of failing on the same bytes forever.
   */
  async readBatch(
    fromOffset: number,
    limits: { maxRecords?: number; maxBytes?: number } = {},
  ): Promise<ReadBatch> {
    return readSegments(
      this.#dir,
      this.#segments,
      this.#end,
      fromOffset,
      limits,
    );
  }

  /** The offset a consumer has committed (0 when it never has). */
  async committed(consumer: string): Promise<number> {
    try {
      const text = await fs.readFile(this.#consumerFile(consumer), 'utf8');
      return Number(JSON.parse(text).offset) || 0;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
  }

  /** Durably records that a consumer has processed everything before `offset`. */
  async commit(consumer: string, offset: number): Promise<void> {
    const file = this.#consumerFile(consumer);
    const temp = `${file}.tmp`;
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify({ offset }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
    await syncDirectory(join(this.#dir, 'consumers'));
  }

  #consumerFile(consumer: string) {
    if (!/^[a-zA-Z0-9_-]+$/.test(consumer)) {
      throw new Error(`invalid consumer name '${consumer}'`);
    }
    return join(this.#dir, 'consumers', `${consumer}.json`);
  }

  /**
   * Deletes closed segments that every consumer in `consumers` has read past.
   * Returns how many were deleted.
   */
  async retain(consumers: string[]): Promise<number> {
    if (consumers.length === 0) return 0;
    const floor = Math.min(
      ...(await Promise.all(consumers.map(c => this.committed(c)))),
    );
    let deleted = 0;
    while (this.#segments.length > 1 && this.#segments[1] <= floor) {
      await fs.rm(join(this.#dir, segmentName(this.#segments[0])), {
        force: true,
      });
      this.#segments.shift();
      deleted++;
    }
    if (deleted > 0) await syncDirectory(this.#dir);
    return deleted;
  }

  /** Waits for appends in flight, then closes the active segment. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#flushing) await this.#flushing;
    await this.#handle?.close();
    this.#handle = undefined;
  }
}

/**
 * Reads a {@link SegmentLog}'s records from its files without owning it: for a reader in
 * another thread or process, told by the log's owner how far the log is durable (`endOffset`).
 * It never writes, truncates or deletes.
 * @public
 */
export class SegmentReader {
  constructor(private readonly directory: string) {}

  /** Like {@link SegmentLog.readBatch}, up to `endOffset`. */
  async readBatch(
    fromOffset: number,
    endOffset: number,
    limits: { maxRecords?: number; maxBytes?: number } = {},
  ): Promise<ReadBatch> {
    const names = await fs.readdir(this.directory);
    const segments = names
      .filter(n => /^\d{20}\.log$/.test(n))
      .map(n => Number(n.slice(0, SEGMENT_DIGITS)))
      .sort((a, b) => a - b);
    if (segments.length === 0) {
      return { records: [], corrupt: [], nextOffset: fromOffset };
    }
    return readSegments(
      this.directory,
      segments,
      endOffset,
      fromOffset,
      limits,
    );
  }
}

async function readSegments(
  dir: string,
  segments: readonly number[],
  end: number,
  fromOffset: number,
  limits: { maxRecords?: number; maxBytes?: number },
): Promise<ReadBatch> {
  const maxRecords = limits.maxRecords ?? 1000;
  const maxBytes = limits.maxBytes ?? 8 * 1024 * 1024;
  const records: StoredRecord[] = [];
  const corrupt: ReadBatch['corrupt'] = [];
  let offset = Math.max(fromOffset, segments[0] ?? 0);
  let bytes = 0;
  while (offset < end && records.length < maxRecords && bytes < maxBytes) {
    const index = segmentIndexOf(segments, offset);
    const base = segments[index];
    const segmentEnd = index + 1 < segments.length ? segments[index + 1] : end;
    if (offset >= segmentEnd) break;
    const length = Math.min(
      segmentEnd - offset,
      Math.max(maxBytes - bytes, 64 * 1024),
    );
    const handle = await fs.open(join(dir, segmentName(base)), 'r');
    let position = 0;
    let chunk = Buffer.alloc(length);
    try {
      await handle.read(chunk, 0, length, offset - base);
      while (position + HEADER <= chunk.length && records.length < maxRecords) {
        const size = HEADER + chunk.readUInt32BE(position);
        const at = offset + position;
        if (at + size > segmentEnd) {
          // A length no record of this segment can have: the header is damaged.
          const next = await resync(handle, base, at, segmentEnd);
          corrupt.push({ offset: at, nextOffset: next });
          position = next - offset;
          break;
        }
        if (position + size > chunk.length) {
          if (position > 0) break; // the next read starts at this record
          // A record larger than the chunk: read exactly it.
          chunk = Buffer.alloc(size);
          await handle.read(chunk, 0, size, at - base);
        }
        const record = decode(chunk, position, at);
        if (!record) {
          const next = await resync(handle, base, at, segmentEnd);
          corrupt.push({ offset: at, nextOffset: next });
          position = next - offset;
          break;
        }
        records.push(record);
        position += size;
      }
    } finally {
      await handle.close();
    }
    offset += position;
    bytes += position;
    if (position === 0) break;
    if (offset === segmentEnd && index + 1 < segments.length) {
      offset = segments[index + 1];
    }
  }
  return { records, corrupt, nextOffset: offset };
}

/**
 * The offset of the first whole record after damaged bytes at `from` (its length fits the
 * segment and its checksum matches), or the segment's end when none follows.
 */
async function resync(
  handle: fs.FileHandle,
  base: number,
  from: number,
  segmentEnd: number,
): Promise<number> {
  const rest = Buffer.alloc(segmentEnd - from);
  await handle.read(rest, 0, rest.length, from - base);
  for (let p = 1; p + HEADER <= rest.length; p++) {
    const length = rest.readUInt32BE(p);
    if (p + HEADER + length > rest.length) continue;
    const payload = rest.subarray(p + HEADER, p + HEADER + length);
    if (crc32(payload) === rest.readUInt32BE(p + 4) && isRecord(payload)) {
      return from + p;
    }
  }
  return segmentEnd;
}

function segmentIndexOf(segments: readonly number[], offset: number): number {
  let index = 0;
  for (let i = 0; i < segments.length; i++) {
    if (segments[i] <= offset) index = i;
  }
  return index;
}

function encode(record: IngestRecord): Buffer {
  const frame = writeIngestRecord(record, HEADER);
  const payload = frame.subarray(HEADER);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32(payload), 4);
  return frame;
}

/** The record framed at `position`, or undefined when its bytes are damaged. */
function decode(
  chunk: Buffer,
  position: number,
  offset: number,
): StoredRecord | undefined {
  const length = chunk.readUInt32BE(position);
  const payload = chunk.subarray(position + HEADER, position + HEADER + length);
  if (crc32(payload) !== chunk.readUInt32BE(position + 4)) return undefined;
  let record: IngestRecord;
  try {
    record = decodeIngestRecord(payload);
  } catch {
    return undefined;
  }
  return { ...record, offset, nextOffset: offset + HEADER + length };
}

/** Whether a payload whose checksum matches reads as an ingest record. */
function isRecord(payload: Buffer): boolean {
  try {
    decodeIngestRecord(payload);
    return true;
  } catch {
    return false;
  }
}

async function syncDirectory(directory: string) {
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems do not sync directories; the data files themselves are synced.
  } finally {
    await handle.close();
  }
}
