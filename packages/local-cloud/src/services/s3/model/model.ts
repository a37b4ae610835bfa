import { once } from 'node:events';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../../core/clock.js';
import type { IdGenerator } from '../../../core/ids.js';
import type { Collection, Store } from '../../../core/storage.js';

export interface BucketRecord {
  name: string;
  region: string;
  account: string;
  created: number;
  tags?: Array<{ Key: string; Value: string }>;
  policy?: string;
  /** The bucket's event notification configuration (PutBucketNotificationConfiguration). */
  notifications?: NotificationTarget[];
}

/** One QueueConfiguration, TopicConfiguration or CloudFunctionConfiguration. */
export interface NotificationTarget {
  id: string;
  kind: 'Queue' | 'Topic' | 'CloudFunction';
  arn: string;
  /** e.g. `s3:ObjectCreated:*`. */
  events: string[];
  prefix?: string;
  suffix?: string;
  /** FilterRule names as the client spelled them (prefix / Prefix), echoed by Get. */
  ruleNames?: { prefix?: string; suffix?: string };
}

export interface ObjectRecord {
  bucket: string;
  key: string;
  size: number;
  /** Quoted, as sent in the ETag header. */
  etag: string;
  lastModified: number;
  /** Content-Type, Content-Disposition, ... as given on upload (lower-case names). */
  headers: Record<string, string>;
  /** x-amz-meta-* without the prefix. */
  meta: Record<string, string>;
  /** algorithm → base64 checksum of the whole object. */
  checksums: Record<string, string>;
  /** File name under the objects directory (objects larger than INLINE_MAX). */
  file?: string;
  /** The bytes themselves, base64, for small objects: kept in the record (and the journal), no file. */
  inline?: string;
}

/**
 * Objects up to this size live in their record instead of a file of their own: creating and
 * unlinking a file cost 190-600 µs of kernel CPU here, more than the rest of a PutObject.
 */
export const INLINE_MAX = 4 * 1024;

/** Where an object's bytes are: a file or the record itself. */
export type ObjectContent = { file: string; inline?: undefined } | { inline: string; file?: undefined };

export interface PartRecord {
  number: number;
  etag: string;
  size: number;
  lastModified: number;
  file: string;
}

export interface UploadRecord {
  id: string;
  bucket: string;
  key: string;
  initiated: number;
  headers: Record<string, string>;
  meta: Record<string, string>;
  parts: Record<string, PartRecord>;
}

interface Bucket {
  rec: BucketRecord;
  objects: Map<string, ObjectRecord>;
}

/**
 * All buckets, objects and multipart uploads. Object bytes are files under `dir` (one per object
 * version written, one per uploaded part); metadata goes through Store collections.
 */
export class S3Model {
  private readonly buckets = new Map<string, Bucket>();
  private readonly uploads = new Map<string, UploadRecord>();
  private readonly bucketCol: Collection<BucketRecord>;
  private readonly objectCol: Collection<ObjectRecord>;
  private readonly uploadCol: Collection<UploadRecord>;
  private readonly objectsDir: string;

  constructor(
    store: Store,
    dir: string,
    readonly clock: Clock,
    readonly ids: IdGenerator,
  ) {
    this.objectsDir = join(dir, 'objects');
    mkdirSync(this.objectsDir, { recursive: true });
    this.bucketCol = store.collection<BucketRecord>('s3.buckets', () =>
      [...this.buckets.values()].map((b) => [b.rec.name, b.rec] as [string, BucketRecord]),
    );
    this.objectCol = store.collection<ObjectRecord>('s3.objects', () => this.dumpObjects());
    this.uploadCol = store.collection<UploadRecord>('s3.uploads', () =>
      [...this.uploads.values()].map((u) => [u.id, u] as [string, UploadRecord]),
    );
  }

  private *dumpObjects(): Iterable<[string, ObjectRecord]> {
    for (const b of this.buckets.values()) for (const o of b.objects.values()) yield [`${o.bucket}/${o.key}`, o];
  }

  load(): void {
    for (const [, rec] of this.bucketCol.load()) this.buckets.set(rec.name, { rec, objects: new Map() });
    for (const [, o] of this.objectCol.load()) this.buckets.get(o.bucket)?.objects.set(o.key, o);
    for (const [, u] of this.uploadCol.load()) this.uploads.set(u.id, u);
  }

  reset(): void {
    this.buckets.clear();
    this.uploads.clear();
    rmSync(this.objectsDir, { recursive: true, force: true });
    mkdirSync(this.objectsDir, { recursive: true });
  }

  // Buckets

  bucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name)?.rec;
  }

  allBuckets(): BucketRecord[] {
    return [...this.buckets.values()].map((b) => b.rec).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  createBucket(rec: BucketRecord): void {
    this.buckets.set(rec.name, { rec, objects: new Map() });
    this.bucketCol.put(rec.name, rec);
  }

  saveBucket(rec: BucketRecord): void {
    this.bucketCol.put(rec.name, rec);
  }

  objectCount(name: string): number {
    return this.buckets.get(name)?.objects.size ?? 0;
  }

  deleteBucket(name: string): void {
    this.buckets.delete(name);
    this.bucketCol.delete(name);
    for (const u of [...this.uploads.values()]) if (u.bucket === name) this.abortUpload(u.id);
  }

  // Objects

  object(bucket: string, key: string): ObjectRecord | undefined {
    return this.buckets.get(bucket)?.objects.get(key);
  }

  /** Keys of a bucket in UTF-8 binary order (as S3 lists them). */
  sortedKeys(bucket: string): string[] {
    const keys = [...(this.buckets.get(bucket)?.objects.keys() ?? [])];
    return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  newFile(): string {
    return this.ids.uuid();
  }

  writeFile(file: string, data: Buffer): void {
    writeFileSync(join(this.objectsDir, file), data);
  }

  copyFile(from: string, to: string): void {
    copyFileSync(join(this.objectsDir, from), join(this.objectsDir, to));
  }

  read(file: string): Buffer {
    return readFileSync(join(this.objectsDir, file));
  }

  /** An object's bytes, from its record or its file. */
  readObject(o: ObjectRecord): Buffer {
    return o.inline !== undefined ? Buffer.from(o.inline, 'base64') : this.read(o.file as string);
  }

  /** A copy of an object's content for another record (CopyObject): inline stays inline, files are copied. */
  copyContent(o: ObjectRecord): ObjectContent {
    if (o.inline !== undefined) return { inline: o.inline };
    const file = this.newFile();
    this.copyFile(o.file as string, file);
    return { file };
  }

  /** Where a file's bytes live (uploads and large downloads stream to and from it). */
  path(file: string): string {
    return join(this.objectsDir, file);
  }

  /** Writes the files one after another into a new file (completing a multipart upload), streaming. */
  async concat(files: string[], to: string): Promise<void> {
    const out = createWriteStream(this.path(to));
    try {
      for (const f of files) {
        for await (const chunk of createReadStream(this.path(f), { highWaterMark: 1024 * 1024 })) {
          if (!out.write(chunk)) await once(out, 'drain');
        }
      }
      out.end();
      await once(out, 'finish');
    } catch (err) {
      out.destroy();
      this.discardFile(to);
      throw err;
    }
  }

  /** Deletes a file no record refers to (a failed upload). */
  discardFile(file: string): void {
    this.removeFile(file);
  }

  private removeFile(file: string): void {
    rmSync(join(this.objectsDir, file), { force: true });
  }

  putObject(o: ObjectRecord): void {
    const b = this.buckets.get(o.bucket);
    if (!b) return;
    const old = b.objects.get(o.key);
    b.objects.set(o.key, o);
    this.objectCol.put(`${o.bucket}/${o.key}`, o);
    if (old?.file && old.file !== o.file) this.removeFile(old.file);
  }

  deleteObject(bucket: string, key: string): boolean {
    const b = this.buckets.get(bucket);
    const old = b?.objects.get(key);
    if (!b || !old) return false;
    b.objects.delete(key);
    this.objectCol.delete(`${bucket}/${key}`);
    if (old.file) this.removeFile(old.file);
    return true;
  }

  // Multipart uploads

  upload(id: string): UploadRecord | undefined {
    return this.uploads.get(id);
  }

  uploadsOf(bucket: string): UploadRecord[] {
    return [...this.uploads.values()]
      .filter((u) => u.bucket === bucket)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated - b.initiated));
  }

  saveUpload(u: UploadRecord): void {
    this.uploads.set(u.id, u);
    this.uploadCol.put(u.id, u);
  }

  putPart(u: UploadRecord, part: PartRecord): void {
    const old = u.parts[String(part.number)];
    u.parts[String(part.number)] = part;
    this.uploadCol.put(u.id, u);
    if (old && old.file !== part.file) this.removeFile(old.file);
  }

  /** Removes the upload; its part files too unless `keep` names files now owned by an object. */
  abortUpload(id: string): void {
    const u = this.uploads.get(id);
    if (!u) return;
    this.uploads.delete(id);
    this.uploadCol.delete(id);
    for (const p of Object.values(u.parts)) this.removeFile(p.file);
  }
}
