import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, sqsClient, startManual } from '../helpers.js';
import { drain, eventually, queue, snsClient, verifySnsSignature } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let sns: SNSClient;
let sqs: SQSClient;

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP endpoint that records each POST and answers notifications with `status`. */
let server: Server;
let endpoint: string;
let received: Received[];
let status: number;

beforeAll(async () => {
  cloud = await startManual();
  sns = snsClient(cloud);
  sqs = sqsClient(cloud);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ at: cloud.clock.now(), headers: req.headers, body });
      const notification = req.headers['x-amz-sns-message-type'] === 'Notification';
      res.writeHead(notification ? status : 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await cloud.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(async () => {
  await cloud.reset();
  received = [];
  status = 200;
});

const notifications = () => received.filter((r) => r.headers['x-amz-sns-message-type'] === 'Notification');

async function confirmedTopic(name: string, attributes: Record<string, string> = {}) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'http',
      Endpoint: endpoint,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  await eventually(() => received.length === 1);
  const { Token } = JSON.parse(received[0]?.body as string);
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token }));
  received = [];
  return { topicArn: TopicArn as string, subscriptionArn: SubscriptionArn as string };
}

describe('SNS to HTTP', () => {
  it('confirms through SubscribeURL, then POSTs notifications with the x-amz-sns headers', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'hooks' }));
    const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
    expect(sub.SubscriptionArn).toBe('pending confirmation');
    await eventually(() => received.length === 1);
    const confirmation = received[0] as Received;
    expect(confirmation.headers).toMatchObject({
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-topic-arn': TopicArn,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    const c = JSON.parse(confirmation.body);
    expect(Object.keys(c)).toEqual([
      'Type',
      'MessageId',
      'Token',
      'TopicArn',
      'Message',
      'SubscribeURL',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
    ]);
    expect(c.SubscribeURL).toBe(`${cloud.url}/?Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=${c.Token}`);
    expect(await verifySnsSignature(c)).toBe(true);
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(listed.Subscriptions?.[0]?.SubscriptionArn).toBe('PendingConfirmation');

    // Nothing is delivered to a pending subscription.
    await sns.send(new PublishCommand({ TopicArn, Message: 'too early' }));
    expect(notifications()).toEqual([]);

    // The endpoint visits SubscribeURL: an unsigned GET.
    const res = await fetch(c.SubscribeURL);
    expect(res.status).toBe(200);
    const xml = await res.text();
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1] as string;
    expect(arn).toMatch(new RegExp(`^${TopicArn}:`));
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    expect(Attributes).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'false' });
    expect(JSON.parse(Attributes?.EffectiveDeliveryPolicy as string).healthyRetryPolicy.numRetries).toBe(3);

    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'hello web', Subject: 'Hi' }));
    await eventually(() => notifications().length === 1);
    const n = notifications()[0] as Received;
    expect(n.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': MessageId,
      'x-amz-sns-topic-arn': TopicArn,
      'x-amz-sns-subscription-arn': arn,
    });
    expect(JSON.parse(n.body)).toMatchObject({ Type: 'Notification', MessageId, Message: 'hello web', Subject: 'Hi' });

    const badToken = await awsError(() => sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'nope' })));
    expect(badToken.message).toBe('Invalid parameter: Token');
  });

  it('retries a failing endpoint three times, 20 seconds apart, then sends the message to the DLQ', async () => {
    const dlq = await queue(sqs, 'http-dlq');
    const { topicArn } = await confirmedTopic('flaky', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    status = 500;
    const start = cloud.clock.now();
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'retry me' }));
    for (let attempt = 1; attempt <= 4; attempt++) {
      await eventually(() => notifications().length === attempt);
      if (attempt === 4) break;
      await eventually(() => cloud.clock.pendingTimers() > 0);
      await cloud.clock.advance('19s');
      expect(notifications()).toHaveLength(attempt);
      await cloud.clock.advance('1s');
    }
    expect(notifications().map((r) => (r.at - start) / 1000)).toEqual([0, 20, 40, 60]);
    const dead: Array<{ Body?: string }> = [];
    await eventually(async () => {
      dead.push(...(await drain(sqs, dlq.url)));
      return dead.length === 1;
    });
    expect(JSON.parse(dead[0]?.Body as string)).toMatchObject({ Type: 'Notification', Message: 'retry me' });
  });

  it("follows the subscription's DeliveryPolicy", async () => {
    const dlq = await queue(sqs, 'http-dlq-body');
    const { topicArn } = await confirmedTopic('down', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
      DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 1, minDelayTarget: 5, maxDelayTarget: 5 } }),
    });
    status = 503;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'lost cause' }));
    await eventually(() => notifications().length === 1 && cloud.clock.pendingTimers() > 0);
    await cloud.clock.advance('5s');
    await eventually(() => notifications().length === 2);
    const dead: Array<{ Body?: string }> = [];
    await eventually(async () => {
      dead.push(...(await drain(sqs, dlq.url)));
      return dead.length === 1;
    });
    expect(JSON.parse(dead[0]?.Body as string)).toMatchObject({ Type: 'Notification', Message: 'lost cause' });
    expect(notifications()).toHaveLength(2);
  });

  it('treats a 4xx answer as delivered, and sends raw messages with x-amz-sns-rawdelivery', async () => {
    const { topicArn } = await confirmedTopic('picky', { RawMessageDelivery: 'true' });
    status = 404;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'raw text' }));
    await eventually(() => notifications().length === 1);
    expect(notifications()[0]?.body).toBe('raw text');
    expect(notifications()[0]?.headers['x-amz-sns-rawdelivery']).toBe('true');
    await new Promise((r) => setTimeout(r, 50));
    expect(cloud.clock.pendingTimers()).toBe(0);
  });

  it('tells the endpoint when it is unsubscribed', async () => {
    const { subscriptionArn } = await confirmedTopic('leaving');
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    await eventually(() => received.length === 1);
    expect(received[0]?.headers['x-amz-sns-message-type']).toBe('UnsubscribeConfirmation');
    expect(JSON.parse(received[0]?.body as string).Message).toBe(
      `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
    );
  });
});
