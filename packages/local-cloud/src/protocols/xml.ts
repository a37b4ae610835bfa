import type { AwsError } from '../core/errors.js';
import type { Shape, StructureShape } from './shapes.js';

/** XML output for awsQuery (and later restXml): elements named by each member's Query/XML name. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c] ?? c);
}
// A raw CR would be turned into LF by every XML parser, so it is sent as a character reference.
const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
};

export function encodeXmlMembers(shape: StructureShape, value: Record<string, unknown>): string {
  let out = '';
  for (const [name, member] of Object.entries(shape.members)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    out += encodeXmlMember(member, member.q ?? name, v);
  }
  return out;
}

function encodeXmlMember(shape: Shape, tag: string, v: unknown): string {
  switch (shape.type) {
    case 'structure':
      return `<${tag}>${encodeXmlMembers(shape, v as Record<string, unknown>)}</${tag}>`;
    case 'list': {
      const items = v as unknown[];
      if (shape.flattened) return items.map((i) => encodeXmlMember(shape.member, tag, i)).join('');
      const m = shape.memberName ?? 'member';
      return `<${tag}>${items.map((i) => encodeXmlMember(shape.member, m, i)).join('')}</${tag}>`;
    }
    case 'map': {
      const keyName = shape.keyName ?? (shape.flattened ? 'Name' : 'key');
      const valueName = shape.valueName ?? (shape.flattened ? 'Value' : 'value');
      const entries = Object.entries(v as object).map(
        ([k, val]) => `<${keyName}>${escapeXml(k)}</${keyName}>${encodeXmlMember(shape.value, valueName, val)}`,
      );
      if (shape.flattened) return entries.map((e) => `<${tag}>${e}</${tag}>`).join('');
      return `<${tag}>${entries.map((e) => `<entry>${e}</entry>`).join('')}</${tag}>`;
    }
    case 'blob':
      return `<${tag}>${(v as Buffer).toString('base64')}</${tag}>`;
    default:
      return `<${tag}>${escapeXml(String(v))}</${tag}>`;
  }
}

export function queryResponse(
  op: string,
  ns: string,
  shape: StructureShape,
  output: Record<string, unknown>,
  requestId: string,
): string {
  const members = encodeXmlMembers(shape, output);
  const result = Object.keys(shape.members).length > 0 ? `<${op}Result>${members}</${op}Result>` : '';
  return `<?xml version="1.0"?><${op}Response xmlns="${ns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`;
}

export function queryError(err: AwsError, ns: string, requestId: string): string {
  return `<?xml version="1.0"?><ErrorResponse xmlns="${ns}"><Error><Type>${err.fault}</Type><Code>${escapeXml(err.queryCode)}</Code><Message>${escapeXml(err.queryMessage ?? err.message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
