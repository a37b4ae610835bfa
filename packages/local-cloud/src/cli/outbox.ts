/** `local-cloud outbox`: prints the email, email-json and SMS messages SNS has "sent" (GET /_local-cloud/outbox). */
export interface OutboxOptions {
  endpoint: string;
  write(line: string): void;
}

interface Entry {
  time: string;
  protocol: string;
  endpoint: string;
  subject?: string;
  body: string;
}

export async function showOutbox(o: OutboxOptions): Promise<void> {
  const res = await fetch(`${o.endpoint.replace(/\/$/, '')}/_local-cloud/outbox`);
  if (!res.ok) throw new Error(`GET /_local-cloud/outbox answered ${res.status}: ${await res.text()}`);
  const { messages } = (await res.json()) as { messages: Entry[] };
  if (messages.length === 0) return o.write('The outbox is empty.');
  for (const m of messages) {
    o.write(`${m.time} ${m.protocol} to ${m.endpoint}${m.subject !== undefined ? `: ${m.subject}` : ''}`);
    for (const line of m.body.split('\n')) o.write(`  ${line}`);
  }
}
