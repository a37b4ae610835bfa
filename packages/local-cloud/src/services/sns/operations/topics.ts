import type { RequestContext } from '../../../core/service.js';
import { checkTopicAttribute, defaultPolicy, topicAttributes } from '../attributes.js';
import { checkArn, InvalidParameter, invalid, ResourceNotFound, TagLimitExceeded } from '../errors.js';
import { isFifoTopic, type Tag, type TopicRecord } from '../model/records.js';
import type { SnsModel } from '../model/registry.js';
import { findTopic, paginate } from './common.js';

/** Topic lifecycle, attributes, permissions, tags and data-protection policies. */
const NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const MAX_TAGS = 50;

function checkName(name: string | undefined, fifo: boolean): string {
  if (!name) throw invalid('Name');
  if (fifo && !FIFO_NAME.test(name)) {
    throw new InvalidParameter(
      'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
    );
  }
  if (!fifo && !NAME.test(name)) throw invalid('Topic Name');
  return name;
}

function checkTags(tags: Tag[] | undefined): Tag[] {
  const list = (tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
  if (new Set(list.map((t) => t.Key)).size < list.length) throw invalid('Duplicated keys are not allowed.');
  for (const t of list) {
    if (t.Key.length < 1 || t.Key.length > 128) throw invalid('Tags Reason: Tag key must be 1 to 128 characters');
    if (t.Value.length > 256) throw invalid('Tags Reason: Tag value must be 0 to 256 characters');
  }
  return list;
}

function mergeTags(topic: TopicRecord, tags: Tag[]): void {
  const merged = new Map(topic.tags.map((t) => [t.Key, t.Value]));
  for (const t of tags) merged.set(t.Key, t.Value);
  if (merged.size > MAX_TAGS)
    throw new TagLimitExceeded('Could not complete request: tag quota of per resource exceeded');
  topic.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** Tags are only on topics; another ARN is a resource that does not exist. */
function taggedTopic(model: SnsModel, arn: string | undefined): TopicRecord {
  const topic = model.topic(checkArn('ResourceArn', arn));
  if (!topic) throw new ResourceNotFound('Resource does not exist');
  return topic;
}

function sameAttributes(topic: TopicRecord, wanted: Record<string, string>): boolean {
  const current = topicAttributes(topic, []);
  return Object.entries(wanted).every(([k, v]) => {
    if (k === 'FifoTopic') return v === String(isFifoTopic(topic));
    return (current[k] ?? '') === v;
  });
}

function policyStatements(topic: TopicRecord): { Version?: string; Statement: Array<Record<string, unknown>> } {
  const doc = JSON.parse(topic.attributes.Policy ?? defaultPolicy(topic));
  if (!Array.isArray(doc.Statement)) doc.Statement = doc.Statement ? [doc.Statement] : [];
  return doc;
}

export function topicOperations(model: SnsModel) {
  return {
    CreateTopic(
      input: { Name?: string; Attributes?: Record<string, string>; Tags?: Tag[]; DataProtectionPolicy?: string },
      ctx: RequestContext,
    ) {
      const attrs = { ...(input.Attributes ?? {}) };
      const fifo = attrs.FifoTopic === 'true';
      const name = checkName(input.Name, fifo);
      const tags = checkTags(input.Tags);
      if (tags.length > MAX_TAGS) {
        throw new TagLimitExceeded('Could not complete request: tag quota of per resource exceeded');
      }
      for (const [k, v] of Object.entries(attrs)) checkTopicAttribute(k, v, fifo, true);
      const existing = model.topic(`arn:aws:sns:${ctx.scope.region}:${ctx.scope.accountId}:${name}`);
      if (existing) {
        if (!sameAttributes(existing, attrs)) {
          throw invalid('Attributes Reason: Topic already exists with different attributes');
        }
        const have = new Map(existing.tags.map((t) => [t.Key, t.Value]));
        if (tags.some((t) => have.get(t.Key) !== t.Value)) {
          throw invalid('Tags Reason: Topic already exists with different tags');
        }
        return { TopicArn: existing.arn };
      }
      // A standard topic does not keep an explicit FifoTopic=false.
      if (!fifo) delete attrs.FifoTopic;
      const topic = model.createTopic(ctx.scope, name, attrs, []);
      mergeTags(topic, tags);
      if (input.DataProtectionPolicy) topic.dataProtectionPolicy = input.DataProtectionPolicy;
      model.saveTopic(topic);
      return { TopicArn: topic.arn };
    },

    DeleteTopic(input: { TopicArn?: string }) {
      const topic = model.topic(checkArn('TopicArn', input.TopicArn));
      if (topic) model.deleteTopic(topic);
    },

    GetTopicAttributes(input: { TopicArn?: string }) {
      const topic = findTopic(model, input.TopicArn);
      return { Attributes: topicAttributes(topic, model.subscriptionsOf(topic.arn)) };
    },

    SetTopicAttributes(input: { TopicArn?: string; AttributeName?: string; AttributeValue?: string }) {
      const topic = findTopic(model, input.TopicArn);
      const name = input.AttributeName ?? '';
      const value = input.AttributeValue ?? '';
      checkTopicAttribute(name, value, isFifoTopic(topic), false);
      if (value === '' && name !== 'DisplayName') delete topic.attributes[name];
      else topic.attributes[name] = value;
      model.saveTopic(topic);
    },

    ListTopics(input: { NextToken?: string }, ctx: RequestContext) {
      const { page, next } = paginate(model.listTopics(ctx.scope), (t) => t.arn, input.NextToken);
      return { Topics: page.map((t) => ({ TopicArn: t.arn })), NextToken: next };
    },

    AddPermission(input: { TopicArn?: string; Label?: string; AWSAccountId?: string[]; ActionName?: string[] }) {
      const topic = findTopic(model, input.TopicArn);
      if (!input.Label) throw invalid('Label');
      if (!input.AWSAccountId?.length) throw invalid('AWSAccountId');
      if (!input.ActionName?.length) throw invalid('ActionName');
      const doc = policyStatements(topic);
      if (doc.Statement.some((s) => s.Sid === input.Label)) throw invalid('Statement already exists');
      doc.Statement.push({
        Sid: input.Label,
        Effect: 'Allow',
        Principal: { AWS: input.AWSAccountId.map((a) => (/^\d{12}$/.test(a) ? `arn:aws:iam::${a}:root` : a)) },
        Action: input.ActionName.map((a) => `SNS:${a}`),
        Resource: topic.arn,
      });
      topic.attributes.Policy = JSON.stringify(doc);
      model.saveTopic(topic);
    },

    RemovePermission(input: { TopicArn?: string; Label?: string }) {
      const topic = findTopic(model, input.TopicArn);
      const doc = policyStatements(topic);
      doc.Statement = doc.Statement.filter((s) => s.Sid !== input.Label);
      topic.attributes.Policy = JSON.stringify(doc);
      model.saveTopic(topic);
    },

    TagResource(input: { ResourceArn?: string; Tags?: Tag[] }) {
      const topic = taggedTopic(model, input.ResourceArn);
      mergeTags(topic, checkTags(input.Tags));
      model.saveTopic(topic);
      return {};
    },

    UntagResource(input: { ResourceArn?: string; TagKeys?: string[] }) {
      const topic = taggedTopic(model, input.ResourceArn);
      const drop = new Set(input.TagKeys ?? []);
      topic.tags = topic.tags.filter((t) => !drop.has(t.Key));
      model.saveTopic(topic);
      return {};
    },

    ListTagsForResource(input: { ResourceArn?: string }) {
      return { Tags: taggedTopic(model, input.ResourceArn).tags };
    },

    GetDataProtectionPolicy(input: { ResourceArn?: string }) {
      return { DataProtectionPolicy: findTopic(model, input.ResourceArn, 'ResourceArn').dataProtectionPolicy ?? '' };
    },

    PutDataProtectionPolicy(input: { ResourceArn?: string; DataProtectionPolicy?: string }) {
      const topic = findTopic(model, input.ResourceArn, 'ResourceArn');
      topic.dataProtectionPolicy = input.DataProtectionPolicy ?? '';
      model.saveTopic(topic);
    },
  };
}
