import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../core/service.js';
import { resolveQueue } from '../context.js';
import { InvalidParameterValue, invalidValue, missing, ReceiptHandleIsInvalid } from '../errors.js';
import { messageSize } from '../model/message.js';
import type { Queue, Received, SendInput, SendResult } from '../model/queue.js';
import { decodeReceipt } from '../model/queue.js';
import type { SqsModel } from '../model/registry.js';
import {
  checkBatch,
  checkBatchSize,
  checkBody,
  checkFifoId,
  checkMessageAttributes,
  checkSize,
  checkSystemAttributes,
  intInRange,
  type WireAttributeValue,
} from '../validation.js';
import { shapeMessage } from './receive-output.js';

/** SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility(Batch). */
interface SendFields {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, WireAttributeValue>;
  MessageSystemAttributes?: Record<string, WireAttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

const NOT_FOR_QUEUE_TYPE = 'The request include parameter that is not valid for this queue type.';

/** FIFO/standard rules. inBatch changes one code: a missing group id is InvalidParameterValue there. */
function checkQueueTypeRules(q: Queue, e: SendFields, inBatch: boolean): void {
  if (e.MessageGroupId !== undefined) checkFifoId('MessageGroupId', e.MessageGroupId);
  if (q.fifo) {
    if (e.DelaySeconds !== undefined && e.DelaySeconds !== 0) {
      throw invalidValue('DelaySeconds', e.DelaySeconds, NOT_FOR_QUEUE_TYPE);
    }
    if (e.MessageGroupId === undefined) {
      if (!inBatch) throw missing('MessageGroupId');
      throw new InvalidParameterValue('The request must contain the parameter MessageGroupId.');
    }
    if (e.MessageDeduplicationId !== undefined) checkFifoId('MessageDeduplicationId', e.MessageDeduplicationId);
    else if (q.rec.attributes.ContentBasedDeduplication !== 'true') {
      throw new InvalidParameterValue(
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
  } else if (e.MessageDeduplicationId !== undefined) {
    throw invalidValue('MessageDeduplicationId', e.MessageDeduplicationId, NOT_FOR_QUEUE_TYPE);
  }
}

function toSendInput(q: Queue, e: SendFields, ctx: RequestContext, inBatch: boolean): SendInput {
  const body = checkBody(e.MessageBody);
  intInRange('DelaySeconds', e.DelaySeconds, 0, 900, 'DelaySeconds must be >= 0 and <= 900');
  const attributes = checkMessageAttributes(e.MessageAttributes);
  const systemAttributes = checkSystemAttributes(e.MessageSystemAttributes);
  checkSize(body, attributes, Number(q.rec.attributes.MaximumMessageSize), inBatch);
  const input: SendInput = { body, senderId: ctx.principal };
  if (attributes) input.attributes = attributes;
  if (systemAttributes) input.systemAttributes = systemAttributes;
  if (e.DelaySeconds !== undefined) input.delaySeconds = e.DelaySeconds;
  if (e.MessageGroupId !== undefined) input.groupId = e.MessageGroupId;
  if (e.MessageDeduplicationId !== undefined) input.dedupId = e.MessageDeduplicationId;
  return input;
}

function sendOutput(r: SendResult, Id?: string) {
  return {
    Id,
    MD5OfMessageBody: r.md5Body,
    MD5OfMessageAttributes: r.md5Attributes,
    MD5OfMessageSystemAttributes: r.md5SystemAttributes,
    MessageId: r.id,
    SequenceNumber: r.sequenceNumber,
  };
}

function failure(id: string, err: unknown): BatchFailure {
  if (err instanceof AwsError)
    return { Id: id, SenderFault: err.fault === 'Sender', Code: err.queryCode, Message: err.message };
  throw err;
}

export function messageOperations(model: SqsModel) {
  return {
    SendMessage(input: SendFields & { QueueUrl?: string }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      checkQueueTypeRules(q, input, false);
      return sendOutput(q.send(toSendInput(q, input, ctx, false)));
    },

    SendMessageBatch(input: { QueueUrl?: string; Entries?: Array<SendFields & { Id?: string }> }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      const entries = checkBatch(input.Entries, 'SendMessageBatchRequestEntry');
      let total = 0;
      for (const e of entries) {
        total += messageSize(e.MessageBody ?? '', e.MessageAttributes as never);
        checkQueueTypeRules(q, e, true);
      }
      checkBatchSize(total);
      const Successful: unknown[] = [];
      const Failed: BatchFailure[] = [];
      for (const e of entries) {
        try {
          Successful.push(sendOutput(q.send(toSendInput(q, e, ctx, true)), e.Id));
        } catch (err) {
          Failed.push(failure(e.Id as string, err));
        }
      }
      return { Successful, Failed: Failed.length ? Failed : undefined };
    },

    async ReceiveMessage(
      input: {
        QueueUrl?: string;
        AttributeNames?: string[];
        MessageSystemAttributeNames?: string[];
        MessageAttributeNames?: string[];
        MaxNumberOfMessages?: number;
        VisibilityTimeout?: number;
        WaitTimeSeconds?: number;
        ReceiveRequestAttemptId?: string;
      },
      ctx: RequestContext,
    ) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      intInRange('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, 10, 'Must be between 1 and 10, if provided.');
      intInRange('WaitTimeSeconds', input.WaitTimeSeconds, 0, 20, 'Must be >= 0 and <= 20, if provided.');
      intInRange('VisibilityTimeout', input.VisibilityTimeout, 0, 43_200, 'Must be >= 0 and <= 43200, if provided.');
      const wait = input.WaitTimeSeconds ?? Number(q.rec.attributes.ReceiveMessageWaitTimeSeconds);
      const opts = {
        max: input.MaxNumberOfMessages ?? 1,
        ...(input.VisibilityTimeout !== undefined ? { visibilityTimeout: input.VisibilityTimeout } : {}),
        ...(input.ReceiveRequestAttemptId ? { attemptId: input.ReceiveRequestAttemptId } : {}),
      };
      // Only a long poll needs to know when the client goes away.
      const received: Received[] = wait > 0 ? await q.receiveWait(opts, wait * 1000, ctx.signal) : q.receive(opts);
      if (received.length === 0) return {};
      const systemNames = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
      return { Messages: received.map((r) => shapeMessage(r, q, systemNames, input.MessageAttributeNames ?? [])) };
    },

    DeleteMessage(input: { QueueUrl?: string; ReceiptHandle?: string }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      deleteOne(q, input.ReceiptHandle);
      return {};
    },

    DeleteMessageBatch(
      input: { QueueUrl?: string; Entries?: Array<{ Id?: string; ReceiptHandle?: string }> },
      ctx: RequestContext,
    ) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      const entries = checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
      return eachEntry(entries, (e) => deleteOne(q, e.ReceiptHandle));
    },

    ChangeMessageVisibility(
      input: { QueueUrl?: string; ReceiptHandle?: string; VisibilityTimeout?: number },
      ctx: RequestContext,
    ) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      changeOne(q, input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    },

    ChangeMessageVisibilityBatch(
      input: {
        QueueUrl?: string;
        Entries?: Array<{ Id?: string; ReceiptHandle?: string; VisibilityTimeout?: number }>;
      },
      ctx: RequestContext,
    ) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      const entries = checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
      return eachEntry(entries, (e) => changeOne(q, e.ReceiptHandle, e.VisibilityTimeout));
    },
  };
}

function eachEntry<T extends { Id?: string }>(entries: T[], fn: (e: T) => void) {
  const Successful: Array<{ Id: string }> = [];
  const Failed: BatchFailure[] = [];
  for (const e of entries) {
    try {
      fn(e);
      Successful.push({ Id: e.Id as string });
    } catch (err) {
      Failed.push(failure(e.Id as string, err));
    }
  }
  return { Successful, Failed: Failed.length ? Failed : undefined };
}

function parseHandle(q: Queue, handle: string | undefined) {
  if (handle === undefined || handle === '') throw missing('ReceiptHandle');
  const parsed = decodeReceipt(handle);
  if (!parsed || parsed.queueKey !== q.rec.key) {
    throw new ReceiptHandleIsInvalid(`The input receipt handle "${handle}" is not a valid receipt handle.`);
  }
  return parsed;
}

function deleteOne(q: Queue, handle: string | undefined): void {
  const { id, nonce } = parseHandle(q, handle);
  const rec = q.find(id);
  if (!rec) return; // already deleted: AWS answers 200
  // FIFO rejects a handle whose receive has lapsed; standard queues accept it.
  if (q.fifo && (rec.receipt !== nonce || !q.isInflight(id))) {
    throw invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');
  }
  q.delete(id);
}

function changeOne(q: Queue, handle: string | undefined, timeout: number | undefined): void {
  const { id } = parseHandle(q, handle);
  if (timeout === undefined) throw missing('VisibilityTimeout');
  intInRange('VisibilityTimeout', timeout, 0, 43_200, 'Must be >= 0 and <= 43200, if provided.');
  const rec = q.find(id);
  if (!rec) {
    throw invalidValue(
      'ReceiptHandle',
      handle,
      'Message does not exist or is not available for visibility timeout change.',
    );
  }
  const elapsed = Math.floor((q.now() - (rec.lastReceiveAt ?? rec.sentAt)) / 1000);
  if (elapsed + timeout > 43_200) {
    throw invalidValue(
      'VisibilityTimeout',
      timeout,
      'Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    );
  }
  q.changeVisibility(id, timeout);
}
