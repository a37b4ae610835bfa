import type { Outbox } from '../services/sns/model/outbox.js';
import { parseSmtpUrl, sendEmail } from './smtp.js';

/**
 * `--smtp smtp://host:port`: every email and email-json entry that lands in the SNS outbox is also
 * sent to a real SMTP server (MailHog, Mailpit, a company relay), one at a time, in order. A failed
 * send is logged and not retried; the outbox keeps the message either way.
 */
export function relayEmail(outbox: Outbox, url: string, log: (line: string) => void = console.error): () => void {
  const server = parseSmtpUrl(url);
  let chain = Promise.resolve();
  return outbox.onAdd((entry) => {
    if (entry.protocol !== 'email' && entry.protocol !== 'email-json') return;
    const mail = {
      to: entry.endpoint,
      subject: entry.subject ?? 'AWS Notification Message',
      body: entry.body,
      date: Date.parse(entry.time),
      messageId: entry.messageId ?? `outbox-${entry.seq}`,
    };
    chain = chain
      .then(() => sendEmail(server, mail))
      .catch((err: Error) => log(`[local-cloud] SMTP relay to ${url} failed for ${entry.endpoint}: ${err.message}`));
  });
}
