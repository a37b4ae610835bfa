/**
 * `local-cloud logs <function> [--follow]`: reads /aws/lambda/<function> from a running
 * local-cloud through the CloudWatch Logs API (FilterLogEvents), and keeps polling with --follow.
 */
export interface LogsOptions {
  endpoint: string;
  functionName: string;
  follow: boolean;
  sinceMs: number;
  region: string;
  write(line: string): void;
  /** Stops following (tests). */
  signal?: AbortSignal;
}

interface FilteredEvent {
  eventId: string;
  timestamp: number;
  message: string;
  logStreamName: string;
}

export async function showLogs(o: LogsOptions): Promise<void> {
  const seen = new Set<string>();
  let start = o.sinceMs;
  for (;;) {
    let token: string | undefined;
    do {
      const page = await filter(o, start, token);
      for (const e of page.events) {
        if (seen.has(e.eventId)) continue;
        seen.add(e.eventId);
        start = Math.max(start, e.timestamp);
        o.write(`${new Date(e.timestamp).toISOString()} ${e.message.replace(/\n$/, '')}`);
      }
      token = page.nextToken;
    } while (token);
    if (!o.follow || o.signal?.aborted) return;
    await new Promise((r) => setTimeout(r, 500));
    if (o.signal?.aborted) return;
  }
}

async function filter(o: LogsOptions, startTime: number, nextToken?: string) {
  const res = await fetch(o.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Logs_20140328.FilterLogEvents',
      authorization: `AWS4-HMAC-SHA256 Credential=local-cloud-cli/20260101/${o.region}/logs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify({
      logGroupName: `/aws/lambda/${o.functionName}`,
      startTime,
      ...(nextToken ? { nextToken } : {}),
    }),
  });
  const body = (await res.json()) as {
    events?: FilteredEvent[];
    nextToken?: string;
    message?: string;
    __type?: string;
  };
  if (!res.ok) {
    if (body.__type?.includes('ResourceNotFound')) return { events: [] as FilteredEvent[] };
    throw new Error(body.message ?? `FilterLogEvents failed with ${res.status}`);
  }
  return { events: body.events ?? [], nextToken: body.nextToken };
}

const COLORS = [36, 35, 33, 32, 34, 91, 92, 93, 94, 95, 96];

/** `name | line`, coloured per function when the terminal supports it. */
export function logPrinter(stream: NodeJS.WriteStream): (fn: string, line: string) => void {
  const color = stream.isTTY && !process.env.NO_COLOR;
  return (fn, line) => {
    let h = 0;
    for (const ch of fn) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    const prefix = color ? `\x1b[${COLORS[h % COLORS.length]}m${fn}\x1b[0m` : fn;
    for (const l of line.split('\n')) stream.write(`${prefix} | ${l}\n`);
  };
}
