import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { showOutbox } from '../../src/cli/outbox.js';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../../src/index.js';
import { awsError, startManual } from '../helpers.js';
import { outbox, snsClient } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let sns: SNSClient;

beforeAll(async () => {
  cloud = await startManual();
  sns = snsClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

describe('the outbox (email, email-json, sms)', () => {
  it('records the confirmation and each message, readable at GET /_local-cloud/outbox', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    const email = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    // AWS answers as it does before a person clicks the link; locally the subscription is confirmed.
    expect(email.SubscriptionArn).toBe('pending confirmation');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email-json', Endpoint: 'bot@example.com' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' }));
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions ?? [];
    expect(subs.every((s) => s.SubscriptionArn?.startsWith(`${TopicArn}:`))).toBe(true);
    const emailSub = subs.find((s) => s.Protocol === 'email')?.SubscriptionArn as string;
    const attrs = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: emailSub }));
    expect(attrs.Attributes?.PendingConfirmation).toBe('false');

    const confirmations = await outbox(cloud);
    expect(confirmations.map((m) => [m.type, m.protocol, m.endpoint])).toEqual([
      ['SubscriptionConfirmation', 'email', 'ops@example.com'],
      ['SubscriptionConfirmation', 'email-json', 'bot@example.com'],
      ['SubscriptionConfirmation', 'sms', '+15555550100'],
    ]);
    expect(confirmations[0]?.subject).toBe('AWS Notification - Subscription Confirmation');
    expect(confirmations[0]?.body).toContain(`${cloud.url}/?Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=`);
    expect(JSON.parse(confirmations[1]?.body as string).Type).toBe('SubscriptionConfirmation');

    await cloud.clock.advance('1m');
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'disk full', Subject: 'Alarm' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'no subject' }));

    const mail = await outbox(cloud, '?endpoint=ops@example.com');
    expect(mail.map((m) => m.type)).toEqual(['SubscriptionConfirmation', 'Notification', 'Notification']);
    const [, first, second] = mail;
    expect(first).toMatchObject({
      time: new Date(cloud.clock.now()).toISOString(),
      protocol: 'email',
      endpoint: 'ops@example.com',
      subject: 'Alarm',
      topicArn: TopicArn,
      messageId: MessageId,
    });
    expect(first?.body).toMatch(/^disk full\n\n--\nIf you wish to stop receiving notifications/);
    expect(first?.body).toContain(`${cloud.url}/?Action=Unsubscribe&SubscriptionArn=${emailSub}`);
    expect(second?.subject).toBe('AWS Notification Message');

    const json = (await outbox(cloud, '?protocol=email-json')).filter((m) => m.type === 'Notification');
    expect(JSON.parse(json[0]?.body as string)).toMatchObject({
      Type: 'Notification',
      MessageId,
      Message: 'disk full',
    });
    const sms = (await outbox(cloud, '?protocol=sms')).filter((m) => m.type === 'Notification');
    expect(sms.map((m) => [m.body, m.subject])).toEqual([
      ['disk full', undefined],
      ['no subject', undefined],
    ]);
  });

  it('records a direct SMS (Publish with PhoneNumber) and rejects a number that is not E.164', async () => {
    const { MessageId } = await sns.send(
      new PublishCommand({ PhoneNumber: '+442071838750', Message: 'Your code: 1234' }),
    );
    expect(await outbox(cloud)).toMatchObject([
      { protocol: 'sms', endpoint: '+442071838750', body: 'Your code: 1234', messageId: MessageId },
    ]);
    const bad = await awsError(() => sns.send(new PublishCommand({ PhoneNumber: '12', Message: 'x' })));
    expect(bad.message).toBe('Invalid parameter: PhoneNumber Reason: 12 is not valid to publish to');
  });

  it('prints the outbox with `local-cloud outbox`', async () => {
    await sns.send(new PublishCommand({ PhoneNumber: '+15555550123', Message: 'line one\nline two' }));
    const lines: string[] = [];
    await showOutbox({ endpoint: cloud.url, write: (l) => lines.push(l) });
    expect(lines).toEqual([
      `${new Date(cloud.clock.now()).toISOString()} sms to +15555550123`,
      '  line one',
      '  line two',
    ]);
  });
});

describe('persistence', () => {
  it('keeps topics, subscriptions and the outbox across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sns-persist-'));
    try {
      const first = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
      const a = snsClient(first);
      const { TopicArn } = await a.send(new CreateTopicCommand({ Name: 'kept', Attributes: { DisplayName: 'Kept' } }));
      await a.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'email',
          Endpoint: 'me@example.com',
          Attributes: { FilterPolicy: '{"level":["high"]}' },
        }),
      );
      await first.stop();

      const second = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
      const b = snsClient(second);
      const subs = (await b.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions ?? [];
      expect(subs.map((s) => s.Endpoint)).toEqual(['me@example.com']);
      const publish = (level: string) =>
        b.send(
          new PublishCommand({
            TopicArn,
            Message: level,
            MessageAttributes: { level: { DataType: 'String', StringValue: level } },
          }),
        );
      await publish('low');
      await publish('high');
      const entries = await outbox(second);
      expect(entries.map((m) => m.type)).toEqual(['SubscriptionConfirmation', 'Notification']);
      expect(entries[1]?.body).toMatch(/^high\n/);
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
