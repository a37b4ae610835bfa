/** The text formats CloudWatch uses in state reasons and notifications (Java-flavoured). */

/** Java's Double.toString: 1.0, 0.25, 1.0E7. */
export function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(n) ? n.toFixed(1) : String(n);
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2026-01-01T00:01:00.000+0000`, as StateChangeTime and reason data show times. */
export function isoOffset(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `01/01/26 00:01:00` (dd/MM/yy HH:mm:ss, UTC), as datapoints appear in state reasons. */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A number that JSON output prints the Java way (1.0 rather than 1). */
export class JavaDouble {
  constructor(readonly value: number) {}
}

const MARK = '\u0001D';

/** JSON.stringify, except JavaDouble values print as Java doubles. */
export function javaJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (v instanceof JavaDouble ? `${MARK}${javaDouble(v.value)}` : v));
  return text.replace(/"\\u0001D([^"]*)"/g, '$1');
}

const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-south-2': 'Asia Pacific (Hyderabad)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-southeast-3': 'Asia Pacific (Jakarta)',
  'ap-southeast-4': 'Asia Pacific (Melbourne)',
  'ca-central-1': 'Canada (Central)',
  'ca-west-1': 'Canada West (Calgary)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-central-2': 'EU (Zurich)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-north-1': 'EU (Stockholm)',
  'eu-south-1': 'EU (Milan)',
  'eu-south-2': 'EU (Spain)',
  'il-central-1': 'Israel (Tel Aviv)',
  'me-south-1': 'Middle East (Bahrain)',
  'me-central-1': 'Middle East (UAE)',
  'sa-east-1': 'South America (Sao Paulo)',
};

/** The region's display name, as alarm notifications name it ("US East (N. Virginia)"). */
export function regionName(region: string): string {
  return REGION_NAMES[region] ?? region;
}
