import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  BucketNotEmpty,
  InvalidBucketName,
  MalformedPolicy,
  MalformedXML,
  NoSuchBucketPolicy,
  NoSuchTagSet,
  noSuchBucket,
} from '../errors.js';
import {
  el,
  iso,
  owner,
  reply,
  requireBucket,
  requireXml,
  type S3Env,
  type S3Op,
  unescapeXml,
  xmlAll,
  xmlReply,
  xmlText,
} from './common.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function validBucketName(name: string): boolean {
  return BUCKET_NAME.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}

export function bucketOperations(env: S3Env): Record<string, S3Op> {
  const { model } = env;
  return {
    ListBuckets(req) {
      const items = model
        .allBuckets()
        .map(
          (b) =>
            `<Bucket>${el('Name', b.name)}${el('CreationDate', iso(b.created))}${el('BucketRegion', b.region)}</Bucket>`,
        )
        .join('');
      return xmlReply(req, 'ListAllMyBucketsResult', `${owner(req)}<Buckets>${items}</Buckets>`);
    },

    CreateBucket(req) {
      const name = req.bucket as string;
      if (!validBucketName(name)) {
        const e = new InvalidBucketName('The specified bucket is not valid.');
        e.extra.BucketName = name;
        throw e;
      }
      let region = 'us-east-1';
      if (req.body.length > 0) {
        const xml = req.body.toString('utf8');
        const lc = xmlText(xml, 'LocationConstraint');
        if (lc) region = lc;
      }
      const existing = model.bucket(name);
      if (existing) {
        if (existing.account !== req.ctx.scope.accountId) {
          const e = new BucketAlreadyExists(
            'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
          );
          e.extra.BucketName = name;
          throw e;
        }
        // us-east-1 (the legacy global endpoint) answers a repeat create with 200.
        if (existing.region === 'us-east-1' && region === 'us-east-1') {
          return reply(req, 200, { location: `/${name}` });
        }
        const e = new BucketAlreadyOwnedByYou(
          'Your previous request to create the named bucket succeeded and you already own it.',
        );
        e.extra.BucketName = name;
        throw e;
      }
      model.createBucket({ name, region, account: req.ctx.scope.accountId, created: env.now() });
      return reply(req, 200, { location: `/${name}` });
    },

    HeadBucket(req) {
      const b = requireBucket(env, req);
      return reply(req, 200, { 'x-amz-bucket-region': b.region, 'x-amz-access-point-alias': 'false' });
    },

    DeleteBucket(req) {
      const b = requireBucket(env, req);
      if (model.objectCount(b.name) > 0) {
        const e = new BucketNotEmpty('The bucket you tried to delete is not empty');
        e.extra.BucketName = b.name;
        throw e;
      }
      model.deleteBucket(b.name);
      return reply(req, 204);
    },

    GetBucketLocation(req) {
      const b = requireBucket(env, req);
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${b.region === 'us-east-1' ? '' : b.region}</LocationConstraint>`;
      return reply(req, 200, { 'content-type': 'application/xml' }, body);
    },

    PutBucketTagging(req) {
      const b = requireBucket(env, req);
      const xml = requireXml(req.body, 'Tagging');
      const tags = xmlAll(xml, 'Tag').map((t) => ({
        Key: unescapeXml(xmlAll(t, 'Key')[0] ?? ''),
        Value: unescapeXml(xmlAll(t, 'Value')[0] ?? ''),
      }));
      if (new Set(tags.map((t) => t.Key)).size !== tags.length) {
        throw new MalformedXML('Cannot provide multiple Tags with the same key');
      }
      b.tags = tags;
      model.saveBucket(b);
      return reply(req, 204);
    },

    GetBucketTagging(req) {
      const b = requireBucket(env, req);
      if (!b.tags) {
        const e = new NoSuchTagSet('The TagSet does not exist');
        e.extra.BucketName = b.name;
        throw e;
      }
      const tags = b.tags.map((t) => `<Tag>${el('Key', t.Key)}${el('Value', t.Value)}</Tag>`).join('');
      return xmlReply(req, 'Tagging', `<TagSet>${tags}</TagSet>`);
    },

    DeleteBucketTagging(req) {
      const b = requireBucket(env, req);
      delete b.tags;
      model.saveBucket(b);
      return reply(req, 204);
    },

    PutBucketPolicy(req) {
      const b = requireBucket(env, req);
      const text = req.body.toString('utf8');
      try {
        JSON.parse(text);
      } catch {
        throw new MalformedPolicy("Policies must be valid JSON and the first byte must be '{'");
      }
      b.policy = text;
      model.saveBucket(b);
      return reply(req, 204);
    },

    GetBucketPolicy(req) {
      const b = requireBucket(env, req);
      if (b.policy === undefined) {
        const e = new NoSuchBucketPolicy('The bucket policy does not exist');
        e.extra.BucketName = b.name;
        throw e;
      }
      return reply(req, 200, { 'content-type': 'application/json' }, b.policy);
    },

    DeleteBucketPolicy(req) {
      const b = requireBucket(env, req);
      delete b.policy;
      model.saveBucket(b);
      return reply(req, 204);
    },
  };
}

export { noSuchBucket };
