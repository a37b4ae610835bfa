import { z } from 'zod';

export interface S3ObjectRef {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  eventName: string;
  eventTime: string;
  sequencer: string;
}

const snsEnvelope = z.object({ Type: z.literal('Notification'), Message: z.string() });

const s3Record = z.object({
  eventName: z.string(),
  eventTime: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().default(0),
      eTag: z.string().default(''),
      sequencer: z.string().default(''),
    }),
  }),
});

const s3Event = z.union([
  z.object({ Records: z.array(s3Record) }),
  // S3 sends one s3:TestEvent when a notification configuration is saved; it names no object.
  z.object({ Event: z.literal('s3:TestEvent') }),
]);

/** S3 event keys are URL-encoded with `+` for spaces (form encoding). */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * Parses an SQS message body that carries an SNS notification (raw delivery off) whose Message is an S3
 * event. Returns the created objects; throws on anything else so the message is retried and dead-lettered.
 */
export function objectsFromSnsMessage(body: string): S3ObjectRef[] {
  const envelope = snsEnvelope.parse(JSON.parse(body));
  const event = s3Event.parse(JSON.parse(envelope.Message));
  if (!('Records' in event)) return [];
  return event.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeS3Key(r.s3.object.key),
    size: r.s3.object.size,
    etag: r.s3.object.eTag,
    eventName: r.eventName,
    eventTime: r.eventTime,
    sequencer: r.s3.object.sequencer,
  }));
}
