import { InvalidArgument } from '../errors.js';
import type { BucketRecord, NotificationTarget } from '../model/model.js';
import {
  el,
  iso,
  reply,
  requireBucket,
  requireXml,
  type S3Env,
  type S3Op,
  type S3Request,
  unescapeXml,
  xmlAll,
  xmlReply,
  xmlText,
} from './common.js';

/** Where S3 event notifications go; set by the wiring (src/wiring/s3-notifications.ts). */
export interface NotificationSink {
  /** Whether the SQS queue, SNS topic or Lambda function named by arn exists. */
  exists(arn: string): boolean;
  /** Delivers a JSON event (a record set or an s3:TestEvent) to arn; baseUrl is the host the client used. */
  deliver(arn: string, json: string, baseUrl: string): void;
}

/** The mutable slot the wiring fills (like Lambda's `connect`). */
export interface Notifier {
  sink?: NotificationSink;
  sequence: bigint;
}

const KINDS = [
  ['QueueConfiguration', 'Queue'],
  ['TopicConfiguration', 'Topic'],
  ['CloudFunctionConfiguration', 'CloudFunction'],
] as const;

const EVENT =
  /^s3:(ObjectCreated|ObjectRemoved|ObjectRestore|ObjectTagging|ObjectAcl|LifecycleExpiration|LifecycleTransition|Replication|IntelligentTiering|ReducedRedundancyLostObject)(:[A-Za-z*]+)*$/;

function parseConfiguration(xml: string, newId: () => string): NotificationTarget[] {
  const out: NotificationTarget[] = [];
  for (const [element, kind] of KINDS) {
    for (const inner of xmlAll(xml, element)) {
      const arn = xmlText(inner, kind) ?? '';
      const events = xmlAll(inner, 'Event').map((e) => unescapeXml(e).trim());
      if (!arn) throw new InvalidArgument(`${kind} ARN is required`);
      if (events.length === 0) throw new InvalidArgument('At least one event must be specified');
      for (const e of events) {
        if (!EVENT.test(e)) {
          const err = new InvalidArgument('The event is not supported for notifications');
          err.extra.ArgumentName = 'Event';
          err.extra.ArgumentValue = e;
          throw err;
        }
      }
      const t: NotificationTarget = { id: xmlText(inner, 'Id') || newId(), kind, arn, events };
      for (const rule of xmlAll(inner, 'FilterRule')) {
        const name = (xmlText(rule, 'Name') ?? '').trim();
        const value = xmlText(rule, 'Value') ?? '';
        const lower = name.toLowerCase();
        if ((lower !== 'prefix' && lower !== 'suffix') || t[lower] !== undefined) {
          const err = new InvalidArgument('FilterRule name must be either prefix or suffix');
          err.extra.ArgumentName = 'FilterRule.Name';
          err.extra.ArgumentValue = name;
          throw err;
        }
        t[lower] = value;
        t.ruleNames = { ...t.ruleNames, [lower]: name };
      }
      out.push(t);
    }
  }
  return out;
}

function serialize(targets: NotificationTarget[]): string {
  let inner = '';
  for (const [element, kind] of KINDS) {
    for (const t of targets.filter((x) => x.kind === kind)) {
      let filter = '';
      for (const k of ['prefix', 'suffix'] as const) {
        const v = t[k];
        if (v !== undefined) filter += `<FilterRule>${el('Name', t.ruleNames?.[k] ?? k)}${el('Value', v)}</FilterRule>`;
      }
      const events = t.events.map((e) => el('Event', e)).join('');
      inner += `<${element}>${el('Id', t.id)}${el(kind, t.arn)}${events}${filter ? `<Filter><S3Key>${filter}</S3Key></Filter>` : ''}</${element}>`;
    }
  }
  return inner;
}

/** `red flower@1.txt` → `red+flower%401.txt`: form-URL-encoding with `/` kept, as S3 writes keys in records. */
export function encodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

function eventMatches(configured: string, eventName: string): boolean {
  const name = `s3:${eventName}`;
  if (configured === name) return true;
  return configured.endsWith(':*') && name.startsWith(configured.slice(0, -1));
}

function baseUrl(req: S3Request): string {
  return `${req.ctx.scheme}://${req.ctx.host}`;
}

export interface ObjectEvent {
  eventName:
    | 'ObjectCreated:Put'
    | 'ObjectCreated:Copy'
    | 'ObjectCreated:CompleteMultipartUpload'
    | 'ObjectRemoved:Delete';
  key: string;
  size?: number;
  /** Quoted, as stored. */
  etag?: string;
}

/** Sends the records of one S3 change to every destination of the bucket whose events and filters match. */
export function emitObjectEvent(env: S3Env, req: S3Request, bucket: BucketRecord, ev: ObjectEvent): void {
  const { notifier } = env;
  const sink = notifier.sink;
  const targets = bucket.notifications;
  if (!sink || !targets?.length) return;
  notifier.sequence += 1n;
  const sequencer = ((BigInt(env.now()) << 20n) + notifier.sequence).toString(16).toUpperCase().padStart(18, '0');
  for (const t of targets) {
    if (!t.events.some((e) => eventMatches(e, ev.eventName))) continue;
    if (t.prefix !== undefined && !ev.key.startsWith(t.prefix)) continue;
    if (t.suffix !== undefined && !ev.key.endsWith(t.suffix)) continue;
    const object: Record<string, unknown> = { key: encodeKey(ev.key) };
    if (ev.size !== undefined) object.size = ev.size;
    if (ev.etag !== undefined) object.eTag = ev.etag.replace(/^"|"$/g, '');
    object.sequencer = sequencer;
    const record = {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: bucket.region,
      eventTime: iso(env.now()),
      eventName: ev.eventName,
      userIdentity: { principalId: `AWS:${req.ctx.principal}` },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': req.ctx.requestId, 'x-amz-id-2': req.hostId },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: t.id,
        bucket: {
          name: bucket.name,
          ownerIdentity: { principalId: bucket.account },
          arn: `arn:aws:s3:::${bucket.name}`,
        },
        object,
      },
    };
    sink.deliver(t.arn, JSON.stringify({ Records: [record] }), baseUrl(req));
  }
}

export function notificationOperations(env: S3Env): Record<string, S3Op> {
  const { model } = env;
  return {
    PutBucketNotificationConfiguration(req) {
      const b = requireBucket(env, req);
      const xml = requireXml(req.body, 'NotificationConfiguration');
      const targets = parseConfiguration(xml, () => model.ids.uuid());
      const sink = env.notifier.sink;
      const missing = targets.filter((t) => !sink?.exists(t.arn));
      if (missing.length > 0) {
        const e = new InvalidArgument('Unable to validate the following destination configurations');
        missing.forEach((t, i) => {
          e.extra[`ArgumentName${i + 1}`] = t.arn;
          e.extra[`ArgumentValue${i + 1}`] =
            t.kind === 'CloudFunction'
              ? `Not authorized to invoke function [${t.arn}]`
              : `Permissions on the destination ${t.kind === 'Queue' ? 'queue' : 'topic'} do not allow S3 to publish notifications from this bucket`;
        });
        throw e;
      }
      if (targets.length > 0) b.notifications = targets;
      else delete b.notifications;
      model.saveBucket(b);
      const test = JSON.stringify({
        Service: 'Amazon S3',
        Event: 's3:TestEvent',
        Time: iso(env.now()),
        Bucket: b.name,
        RequestId: req.ctx.requestId,
        HostId: req.hostId,
      });
      for (const arn of new Set(targets.filter((t) => t.kind !== 'CloudFunction').map((t) => t.arn))) {
        sink?.deliver(arn, test, baseUrl(req));
      }
      return reply(req, 200);
    },

    GetBucketNotificationConfiguration(req) {
      const b = requireBucket(env, req);
      return xmlReply(req, 'NotificationConfiguration', serialize(b.notifications ?? []));
    },
  };
}
