import {
  AddPermissionCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, useManualSqs } from '../helpers.js';

/**
 * Bad inputs and the exact error AWS answers with: name as the SDK surfaces it, HTTP status,
 * legacy query code (x-amzn-query-error) and message. Messages come from AWS recordings
 * (/tmp/research/sqs-wire.md §2) unless a row says otherwise.
 */
let cloud: LocalCloud<ManualClock>;
let sqs: SQSClient;
useManualSqs((c, s) => {
  cloud = c;
  sqs = s;
}, false);

interface Queues {
  /** A standard queue named `std`. */
  std: string;
  stdArn: string;
  /** A FIFO queue named `q.fifo`. */
  fifo: string;
  /** A standard queue named `small` with MaximumMessageSize=1024. */
  small: string;
}
let q: Queues;

async function arnOf(QueueUrl: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return out.Attributes?.QueueArn as string;
}

beforeEach(async () => {
  await cloud.reset();
  const std = (await sqs.send(new CreateQueueCommand({ QueueName: 'std' }))).QueueUrl as string;
  const fifo = (await sqs.send(new CreateQueueCommand({ QueueName: 'q.fifo', Attributes: { FifoQueue: 'true' } })))
    .QueueUrl as string;
  const small = (
    await sqs.send(new CreateQueueCommand({ QueueName: 'small', Attributes: { MaximumMessageSize: '1024' } }))
  ).QueueUrl as string;
  q = { std, stdArn: await arnOf(std), fifo, small };
});

interface Expected {
  name: string;
  status: number;
  code: string;
  message: string | RegExp;
}

const invalidParameter = (message: string | RegExp): Expected => ({
  name: 'InvalidParameterValue',
  status: 400,
  code: 'InvalidParameterValue',
  message,
});
const missingParameter = (message: string): Expected => ({
  name: 'MissingParameter',
  status: 400,
  code: 'MissingParameter',
  message,
});
const sqsError = (
  name: string,
  status: number,
  message: string,
  code = `AWS.SimpleQueueService.${name}`,
): Expected => ({
  name,
  status,
  code,
  message,
});
const plainError = (name: string, message: string): Expected => ({ name, status: 400, code: name, message });

const BATCH_ID_RULE =
  'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.';
// Real AWS production wording (the allowed set uses brackets, and it ends with a period).
const invalidBody = (codePoint: string) =>
  `Invalid binary character '#x${codePoint}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`;

const entries = (n: number): SendMessageBatchRequestEntry[] =>
  Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: `body ${i}` }));

const sendTo = (QueueUrl: string, MessageBody: string, extra: object = {}) =>
  sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, ...extra }));

const rows: Array<{ title: string; run: () => Promise<unknown>; expected: Expected }> = [
  // ---- ReceiveMessage parameters
  {
    title: 'ReceiveMessage MaxNumberOfMessages=11',
    run: () => sqs.send(new ReceiveMessageCommand({ QueueUrl: q.std, MaxNumberOfMessages: 11 })),
    expected: invalidParameter(
      'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    ),
  },
  {
    title: 'ReceiveMessage WaitTimeSeconds=21',
    run: () => sqs.send(new ReceiveMessageCommand({ QueueUrl: q.std, WaitTimeSeconds: 21 })),
    expected: invalidParameter(
      'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    ),
  },
  {
    title: 'ReceiveMessage WaitTimeSeconds=-1',
    run: () => sqs.send(new ReceiveMessageCommand({ QueueUrl: q.std, WaitTimeSeconds: -1 })),
    expected: invalidParameter(
      'Value -1 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    ),
  },
  // ---- message bodies and sizes
  {
    title: 'SendMessage body containing U+0000',
    run: () => sendTo(q.std, 'before\u0000after'),
    expected: plainError('InvalidMessageContents', invalidBody('0')),
  },
  {
    title: 'SendMessage body containing U+FFFF',
    run: () => sendTo(q.std, 'text\uFFFF'),
    expected: plainError('InvalidMessageContents', invalidBody('FFFF')),
  },
  {
    title: 'SendMessage with an empty body',
    run: () => sendTo(q.std, ''),
    expected: missingParameter('The request must contain the parameter MessageBody.'),
  },
  {
    title: 'SendMessage body longer than 1 MiB',
    run: () => sendTo(q.std, 'a'.repeat(1_048_577)),
    expected: invalidParameter(
      'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    ),
  },
  {
    title: "SendMessage body longer than the queue's MaximumMessageSize=1024",
    run: () => sendTo(q.small, 'a'.repeat(1025)),
    expected: invalidParameter('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.'),
  },
  {
    title: 'SendMessage with 11 message attributes',
    run: () =>
      sendTo(q.std, 'x', {
        MessageAttributes: Object.fromEntries(
          Array.from({ length: 11 }, (_, i) => [`attr${i}`, { DataType: 'String', StringValue: 'v' }]),
        ),
      }),
    // Not in the §2 table; this wording is quoted from AWS by several independent clients and emulators.
    expected: invalidParameter('Number of message attributes [11] exceeds the allowed maximum [10].'),
  },
  // ---- batch envelopes
  {
    title: 'SendMessageBatch with 11 entries',
    run: () => sqs.send(new SendMessageBatchCommand({ QueueUrl: q.std, Entries: entries(11) })),
    expected: sqsError(
      'TooManyEntriesInBatchRequest',
      400,
      'Maximum number of entries per request are 10. You have sent 11.',
    ),
  },
  {
    title: 'SendMessageBatch with no entries',
    run: () => sqs.send(new SendMessageBatchCommand({ QueueUrl: q.std, Entries: [] })),
    // Wording from §2b (moto); AWS only recorded the code.
    expected: sqsError(
      'EmptyBatchRequest',
      400,
      'There should be at least one SendMessageBatchRequestEntry in the request.',
    ),
  },
  {
    title: 'SendMessageBatch with a repeated entry id',
    run: () =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: q.std,
          Entries: [
            { Id: 'x', MessageBody: 'one' },
            { Id: 'x', MessageBody: 'two' },
          ],
        }),
      ),
    expected: sqsError('BatchEntryIdsNotDistinct', 400, 'Id x repeated.'),
  },
  {
    title: 'SendMessageBatch with an invalid entry id',
    run: () =>
      sqs.send(new SendMessageBatchCommand({ QueueUrl: q.std, Entries: [{ Id: 'message:xyz', MessageBody: 'x' }] })),
    expected: sqsError('InvalidBatchEntryId', 400, BATCH_ID_RULE),
  },
  {
    title: 'SendMessageBatch whose entries total more than 1 MiB',
    run: () =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: q.std,
          Entries: [
            { Id: 'a', MessageBody: 'a'.repeat(524_288) },
            { Id: 'b', MessageBody: 'b'.repeat(524_289) },
          ],
        }),
      ),
    expected: sqsError(
      'BatchRequestTooLong',
      400,
      'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
    ),
  },
  // ---- receipt handles and visibility
  {
    title: 'DeleteMessage with a garbage receipt handle',
    run: () => sqs.send(new DeleteMessageCommand({ QueueUrl: q.std, ReceiptHandle: 'garbage' })),
    expected: {
      name: 'ReceiptHandleIsInvalid',
      status: 404,
      code: 'ReceiptHandleIsInvalid',
      message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    },
  },
  {
    title: 'ChangeMessageVisibility beyond 12 hours since the receive',
    run: async () => {
      await sendTo(q.std, 'x');
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.std }));
      await cloud.clock.advance('1h');
      return sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: q.std,
          ReceiptHandle: got.Messages?.[0]?.ReceiptHandle,
          VisibilityTimeout: 43_200,
        }),
      );
    },
    expected: invalidParameter(
      'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    ),
  },
  // ---- queue attributes
  {
    title: 'CreateQueue FifoQueue=true on a name without .fifo',
    run: () => sqs.send(new CreateQueueCommand({ QueueName: 'nofifo', Attributes: { FifoQueue: 'true' } })),
    expected: invalidParameter(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    ),
  },
  {
    title: 'CreateQueue standard with FifoQueue=false',
    run: () => sqs.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: { FifoQueue: 'false' } })),
    expected: plainError('InvalidAttributeName', 'Unknown Attribute FifoQueue.'),
  },
  {
    title: 'SetQueueAttributes FifoQueue=true on a standard queue',
    run: () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.std, Attributes: { FifoQueue: 'true' } })),
    expected: plainError('InvalidAttributeName', 'Unknown Attribute FifoQueue.'),
  },
  {
    title: 'CreateQueue standard with ContentBasedDeduplication',
    run: () =>
      sqs.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: { ContentBasedDeduplication: 'true' } })),
    expected: plainError('InvalidAttributeName', 'Unknown Attribute ContentBasedDeduplication.'),
  },
  {
    title: 'CreateQueue standard with DeduplicationScope',
    run: () =>
      sqs.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: { DeduplicationScope: 'messageGroup' } })),
    expected: plainError(
      'InvalidAttributeName',
      'You can specify the DeduplicationScope only when FifoQueue is set to true.',
    ),
  },
  {
    title: 'CreateQueue VisibilityTimeout=43201',
    run: () => sqs.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: { VisibilityTimeout: '43201' } })),
    expected: plainError('InvalidAttributeValue', 'Invalid value for the parameter VisibilityTimeout.'),
  },
  {
    title: 'CreateQueue on an existing name with a different attribute value',
    run: () => sqs.send(new CreateQueueCommand({ QueueName: 'std', Attributes: { DelaySeconds: '5' } })),
    expected: sqsError(
      'QueueNameExists',
      400,
      'A queue already exists with the same name and a different value for attribute DelaySeconds',
      'QueueAlreadyExists',
    ),
  },
  {
    title: 'CreateQueue within 60 seconds of deleting the same name',
    run: async () => {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: q.std }));
      await cloud.clock.advance('59s');
      return sqs.send(new CreateQueueCommand({ QueueName: 'std' }));
    },
    expected: sqsError(
      'QueueDeletedRecently',
      400,
      'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
    ),
  },
  {
    title: 'CreateQueue RedrivePolicy naming a queue that does not exist',
    run: () =>
      sqs.send(
        new CreateQueueCommand({
          QueueName: 'src',
          Attributes: {
            RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:missing","maxReceiveCount":3}',
          },
        }),
      ),
    expected: invalidParameter(
      'Value {"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:missing","maxReceiveCount":3} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.',
    ),
  },
  {
    title: 'CreateQueue RedrivePolicy with maxReceiveCount 0',
    run: () =>
      sqs.send(
        new CreateQueueCommand({
          QueueName: 'src',
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: q.stdArn, maxReceiveCount: 0 }) },
        }),
      ),
    expected: invalidParameter(
      'Value {"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:std","maxReceiveCount":0} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.',
    ),
  },
  // ---- queue operations
  {
    title: 'PurgeQueue twice within 60 seconds',
    run: async () => {
      await sqs.send(new PurgeQueueCommand({ QueueUrl: q.std }));
      await cloud.clock.advance('59s');
      return sqs.send(new PurgeQueueCommand({ QueueUrl: q.std }));
    },
    expected: sqsError(
      'PurgeQueueInProgress',
      403,
      'Only one PurgeQueue operation on std is allowed every 60 seconds.',
    ),
  },
  {
    title: 'SendMessage to a queue that does not exist',
    run: () => sendTo(q.std.replace(/\/std$/, '/no-such-queue'), 'x'),
    expected: sqsError(
      'QueueDoesNotExist',
      400,
      'The specified queue does not exist.',
      'AWS.SimpleQueueService.NonExistentQueue',
    ),
  },
  {
    title: 'AddPermission with a label that already exists',
    run: async () => {
      const perm = {
        QueueUrl: q.std,
        Label: 'crossaccountpermission',
        AWSAccountIds: ['111122223333'],
        Actions: ['*'],
      };
      await sqs.send(new AddPermissionCommand(perm));
      return sqs.send(new AddPermissionCommand(perm));
    },
    expected: invalidParameter('Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.'),
  },
  {
    title: 'RemovePermission with an unknown label',
    run: async () => {
      await sqs.send(
        new AddPermissionCommand({
          QueueUrl: q.std,
          Label: 'crossaccountpermission',
          AWSAccountIds: ['111122223333'],
          Actions: ['SendMessage'],
        }),
      );
      return sqs.send(new RemovePermissionCommand({ QueueUrl: q.std, Label: 'crossaccountpermission2' }));
    },
    expected: invalidParameter(
      "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
    ),
  },
  {
    title: 'ListQueues MaxResults=0',
    run: () => sqs.send(new ListQueuesCommand({ MaxResults: 0 })),
    // No AWS recording exists for the reason text; assert the common AWS prefix only.
    expected: invalidParameter(/^Value 0 for parameter MaxResults is invalid\./),
  },
];

describe('SQS input validation', () => {
  it.each(rows)('rejects $title', async ({ run, expected }) => {
    const err = await awsError(run);
    const { message, ...rest } = expected;
    expect({ name: err.name, status: err.status, code: err.code, type: err.type }).toEqual({ ...rest, type: 'Sender' });
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });

  it('fails only the oversized entry of a SendMessageBatch and sends the others', async () => {
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.small,
        Entries: [
          { Id: 'ok1', MessageBody: 'fine' },
          { Id: 'big', MessageBody: 'a'.repeat(1025) },
          { Id: 'ok2', MessageBody: 'also fine' },
        ],
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((out.Successful ?? []).map((e) => e.Id)).toEqual(['ok1', 'ok2']);
    expect(out.Failed).toEqual([
      {
        Id: 'big',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
      },
    ]);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.small, MaxNumberOfMessages: 10 }));
    expect((got.Messages ?? []).map((m) => m.Body).sort()).toEqual(['also fine', 'fine']);
  });

  it('allows re-creating a deleted queue name once 60 seconds have passed', async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: q.std }));
    await cloud.clock.advance('59s');
    expect((await awsError(() => sqs.send(new CreateQueueCommand({ QueueName: 'std' })))).name).toBe(
      'QueueDeletedRecently',
    );
    await cloud.clock.advance('1s');
    const again = await sqs.send(new CreateQueueCommand({ QueueName: 'std' }));
    expect(again.QueueUrl).toBe(q.std);
  });

  it('allows another PurgeQueue once 60 seconds have passed', async () => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: q.std }));
    await cloud.clock.advance('59s');
    expect((await awsError(() => sqs.send(new PurgeQueueCommand({ QueueUrl: q.std })))).name).toBe(
      'PurgeQueueInProgress',
    );
    await cloud.clock.advance('1s');
    await sendTo(q.std, 'doomed');
    const out = await sqs.send(new PurgeQueueCommand({ QueueUrl: q.std }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: q.std, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('0');
  });
});
