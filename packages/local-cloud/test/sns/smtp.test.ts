import { createServer, type Server } from 'node:net';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../../src/index.js';
import { formatEmail } from '../../src/wiring/smtp.js';
import { eventually, snsClient } from './helpers.js';

/** A tiny SMTP server that accepts everything and records each message's envelope and data. */
function fakeSmtp(): { server: Server; mails: Array<{ from: string; to: string; data: string }> } {
  const mails: Array<{ from: string; to: string; data: string }> = [];
  const server = createServer((socket) => {
    let from = '';
    let to = '';
    let data: string | undefined;
    let buf = '';
    socket.write('220 fake ESMTP\r\n');
    socket.on('data', (d) => {
      buf += d.toString();
      for (let eol = buf.indexOf('\r\n'); eol >= 0; eol = buf.indexOf('\r\n')) {
        const line = buf.slice(0, eol);
        buf = buf.slice(eol + 2);
        if (data !== undefined) {
          if (line === '.') {
            mails.push({ from, to, data });
            data = undefined;
            socket.write('250 queued\r\n');
          } else data += `${line}\n`;
        } else if (line.startsWith('EHLO')) socket.write('250-fake\r\n250 8BITMIME\r\n');
        else if (line.startsWith('MAIL FROM:')) {
          from = line.slice(10);
          socket.write('250 ok\r\n');
        } else if (line.startsWith('RCPT TO:')) {
          to = line.slice(8);
          socket.write('250 ok\r\n');
        } else if (line === 'DATA') {
          data = '';
          socket.write('354 go ahead\r\n');
        } else if (line === 'QUIT') socket.end('221 bye\r\n');
      }
    });
  });
  return { server, mails };
}

describe('--smtp: SNS email relayed to a real SMTP server', () => {
  const smtp = fakeSmtp();
  let cloud: LocalCloud<ManualClock>;
  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as { port: number };
    cloud = await startLocalCloud({ clock: 'manual', persistence: 'memory', smtp: `smtp://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await cloud.stop();
    smtp.server.close();
  });

  it('sends the email notification with its subject to the subscribed address', async () => {
    const sns = snsClient(cloud);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ops-alerts' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    await sns.send(
      new PublishCommand({ TopicArn, Subject: 'Queue depth alarm', Message: 'feedback-dlq has 3 messages' }),
    );
    await eventually(() => smtp.mails.some((m) => m.data.includes('feedback-dlq has 3 messages')));
    const mail = smtp.mails.find((m) => m.data.includes('feedback-dlq has 3 messages'));
    expect(mail?.to).toBe('<ops@example.com>');
    expect(mail?.from).toBe('<no-reply@sns.amazonaws.com>');
    expect(mail?.data).toContain('Subject: Queue depth alarm');
    expect(mail?.data).toContain('From: AWS Notifications <no-reply@sns.amazonaws.com>');
  });

  it('dot-stuffs lines that start with a dot and encodes non-ASCII subjects', () => {
    const text = formatEmail({ to: 'a@b.c', subject: 'Größe', body: '.hidden\nok', date: 0, messageId: 'm' });
    expect(text).toContain('Subject: =?UTF-8?B?');
    expect(text).toContain('\r\n\r\n..hidden\r\nok');
  });
});
