import type { RequestContext } from '../../../core/service.js';
import {
  BatchEntryIdsNotDistinct,
  BatchRequestTooLong,
  checkArn,
  EmptyBatchRequest,
  InvalidBatchEntryId,
  invalid,
  TooManyEntriesInBatchRequest,
  topicNotFound,
} from '../errors.js';
import { isFifoTopic, type TopicRecord } from '../model/records.js';
import type { PublishInput, SnsModel } from '../model/registry.js';
import {
  checkFifoFields,
  checkMessage,
  checkMessageAttributes,
  checkSubject,
  isE164,
  MAX_MESSAGE_BYTES,
  parseStructure,
  publishSize,
  type WireAttribute,
} from '../validation.js';
import { baseUrl } from './common.js';

/** Publish and PublishBatch. */
interface PublishFields {
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, WireAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

interface BatchEntry extends PublishFields {
  Id?: string;
}

const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** Validates one message against its topic (or none, for SMS) and returns what the model publishes. */
function prepare(
  e: PublishFields,
  topic: TopicRecord | undefined,
  ctx: RequestContext,
  position?: number,
): { input: PublishInput; size: number } {
  checkSubject(e.Subject);
  const message = checkMessage(e.Message);
  const attributes = checkMessageAttributes(e.MessageAttributes, position);
  const size = publishSize(message, attributes);
  if (position === undefined && size > MAX_MESSAGE_BYTES) throw invalid('Message too long');
  const fifo = topic ? isFifoTopic(topic) : false;
  checkFifoFields(e, fifo, topic?.attributes.ContentBasedDeduplication === 'true');
  const perProtocol = parseStructure(e.MessageStructure, message);
  const input: PublishInput = { message, baseUrl: baseUrl(ctx) };
  if (perProtocol) input.perProtocol = perProtocol;
  if (e.Subject !== undefined) input.subject = e.Subject;
  if (attributes) input.attributes = attributes;
  if (e.MessageGroupId !== undefined) input.groupId = e.MessageGroupId;
  if (e.MessageDeduplicationId !== undefined) input.dedupId = e.MessageDeduplicationId;
  return { input, size };
}

/** Publishing goes to a topic in the caller's region; another region's ARN is an invalid parameter. */
function publishTopic(model: SnsModel, arn: string, ctx: RequestContext, param = 'TopicArn'): TopicRecord {
  checkArn(param, arn);
  const topic = model.topic(arn);
  if (!topic) {
    if (arn.split(':')[3] !== ctx.scope.region) throw invalid(param);
    throw topicNotFound();
  }
  return topic;
}

export function publishOperations(model: SnsModel) {
  return {
    Publish(
      input: PublishFields & { TopicArn?: string; TargetArn?: string; PhoneNumber?: string },
      ctx: RequestContext,
    ) {
      if (input.PhoneNumber !== undefined && input.TopicArn === undefined && input.TargetArn === undefined) {
        if (!isE164(input.PhoneNumber)) {
          throw invalid(`PhoneNumber Reason: ${input.PhoneNumber} is not valid to publish to`);
        }
        const { input: msg } = prepare(input, undefined, ctx);
        return { MessageId: model.publishSms(input.PhoneNumber, msg) };
      }
      const arn = input.TopicArn ?? input.TargetArn;
      if (arn === undefined) throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
      const param = input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn';
      if (param === 'TargetArn' && /:endpoint\//.test(arn)) {
        throw invalid('TargetArn Reason: No endpoint found for the target arn specified');
      }
      const topic = publishTopic(model, arn, ctx, param);
      const { input: msg } = prepare(input, topic, ctx);
      const r = model.publish(topic, msg);
      return { MessageId: r.id, SequenceNumber: r.sequenceNumber };
    },

    PublishBatch(input: { TopicArn?: string; PublishBatchRequestEntries?: BatchEntry[] }, ctx: RequestContext) {
      const topic = publishTopic(model, input.TopicArn ?? '', ctx);
      const entries = input.PublishBatchRequestEntries ?? [];
      if (entries.length === 0) throw new EmptyBatchRequest("The batch request doesn't contain any entries.");
      if (entries.length > 10) {
        throw new TooManyEntriesInBatchRequest('The batch request contains more entries than permissible.');
      }
      const ids = new Set<string>();
      for (const e of entries) {
        if (!e.Id || !BATCH_ID.test(e.Id)) {
          throw new InvalidBatchEntryId(
            "The Id of a batch entry in a batch request doesn't abide by the specification.",
          );
        }
        if (ids.has(e.Id))
          throw new BatchEntryIdsNotDistinct('Two or more batch entries in the request have the same Id.');
        ids.add(e.Id);
      }
      // AWS rejects the whole batch when an entry is malformed; nothing is published until all pass.
      let total = 0;
      const prepared = entries.map((e, i) => {
        const p = prepare(e, topic, ctx, i + 1);
        total += p.size;
        return { id: e.Id as string, input: p.input };
      });
      if (total > MAX_MESSAGE_BYTES) {
        throw new BatchRequestTooLong('The length of all the messages put together is more than the limit.');
      }
      const Successful = prepared.map((p) => {
        const r = model.publish(topic, p.input);
        return { Id: p.id, MessageId: r.id, SequenceNumber: r.sequenceNumber };
      });
      return { Successful, Failed: [] };
    },
  };
}
