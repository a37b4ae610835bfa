import { connect, type Socket } from 'node:net';

/** One email, as SNS sends it (From: AWS Notifications <no-reply@sns.amazonaws.com>). */
export interface Email {
  to: string;
  subject: string;
  body: string;
  /** Epoch ms for the Date header (the injected clock's time). */
  date: number;
  messageId: string;
}

const FROM = 'no-reply@sns.amazonaws.com';
const TIMEOUT_MS = 10_000;

/** Parses `smtp://host:port` (port 25 by default). */
export function parseSmtpUrl(url: string): { host: string; port: number } {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' || !u.hostname) throw new Error(`Invalid SMTP URL: ${url} (expected smtp://host:port)`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 25 };
}

/** RFC 5322 text: CRLF line ends, dot-stuffed for DATA, UTF-8 subject encoded (RFC 2047). */
export function formatEmail(mail: Email): string {
  const subject = /^[\x20-\x7e]*$/.test(mail.subject)
    ? mail.subject
    : `=?UTF-8?B?${Buffer.from(mail.subject).toString('base64')}?=`;
  const head = [
    `From: AWS Notifications <${FROM}>`,
    `To: ${mail.to}`,
    `Subject: ${subject}`,
    `Date: ${new Date(mail.date).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${mail.messageId}@local-cloud>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  const body = mail.body.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

/** A minimal SMTP client: EHLO (HELO fallback), MAIL, RCPT, DATA, QUIT. No TLS, no AUTH. */
export async function sendEmail(server: { host: string; port: number }, mail: Email): Promise<void> {
  const socket = connect(server.port, server.host);
  socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('SMTP server timed out')));
  const replies = replyReader(socket);
  try {
    await expect(replies, 220);
    socket.write('EHLO local-cloud\r\n');
    if ((await replies()).code !== 250) {
      socket.write('HELO local-cloud\r\n');
      await expect(replies, 250);
    }
    socket.write(`MAIL FROM:<${FROM}>\r\n`);
    await expect(replies, 250);
    socket.write(`RCPT TO:<${mail.to}>\r\n`);
    await expect(replies, 250, 251);
    socket.write('DATA\r\n');
    await expect(replies, 354);
    socket.write(`${formatEmail(mail)}\r\n.\r\n`);
    await expect(replies, 250);
    socket.write('QUIT\r\n');
    await replies().catch(() => undefined);
  } finally {
    socket.destroy();
  }
}

type Replies = () => Promise<{ code: number; text: string }>;

async function expect(replies: Replies, ...codes: number[]): Promise<void> {
  const r = await replies();
  if (!codes.includes(r.code)) throw new Error(`SMTP server answered ${r.code} ${r.text}`);
}

/** Reads complete (possibly multi-line `250-...`) replies in order. */
function replyReader(socket: Socket): Replies {
  let buffer = '';
  const ready: Array<{ code: number; text: string }> = [];
  const waiting: Array<{ resolve: (r: { code: number; text: string }) => void; reject: (e: Error) => void }> = [];
  let failure: Error | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buffer += d;
    for (let eol = buffer.indexOf('\r\n'); eol >= 0; eol = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 2);
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), text: line.slice(4) };
      const w = waiting.shift();
      if (w) w.resolve(reply);
      else ready.push(reply);
    }
  });
  const fail = (e: Error) => {
    failure = e;
    for (const w of waiting.splice(0)) w.reject(e);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('SMTP connection closed')));
  return () => {
    const r = ready.shift();
    if (r) return Promise.resolve(r);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}
