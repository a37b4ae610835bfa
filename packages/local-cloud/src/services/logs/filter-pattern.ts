import { invalid } from './errors.js';

/**
 * CloudWatch Logs filter patterns (FilterLogEvents, and later metric and subscription filters):
 *
 * - `''` matches every event;
 * - terms: `ERROR "disk full"` (every term must appear), `?ERROR ?WARN` (any of them), `ERROR -retry`
 *   (not this one). Terms are case-sensitive and match whole words: `ERROR` matches `[ERROR] x` but not `ERRORS`;
 * - `%regex%`;
 * - JSON: `{ $.level = "ERROR" && ($.latency > 100 || $.user.id = 1) }` with =, !=, <, >, <=, >=, `*` wildcards
 *   in strings, `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS`, `$.a[0]` and `$.a[*]`.
 *
 * Space-delimited patterns (`[ip, user, ...]`) are not supported (see GAPS.md).
 */
export type Matcher = (message: string) => boolean;

const ALL: Matcher = () => true;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? '').trim();
  if (p === '') return ALL;
  if (p.startsWith('{')) return compileJson(p);
  if (p.startsWith('[')) throw invalid('Space-delimited filter patterns ([...]) are not supported by local-cloud.');
  if (p.length > 1 && p.startsWith('%') && p.endsWith('%')) return compileRegex(p.slice(1, -1));
  return compileTerms(p);
}

// ---- terms --------------------------------------------------------------------------------------

function compileTerms(p: string): Matcher {
  const all: Matcher[] = [];
  const any: Matcher[] = [];
  const none: Matcher[] = [];
  let i = 0;
  while (i < p.length) {
    if (/\s/.test(p[i] as string)) {
      i++;
      continue;
    }
    let kind: 'all' | 'any' | 'none' = 'all';
    if (p[i] === '?' || p[i] === '-') {
      kind = p[i] === '?' ? 'any' : 'none';
      i++;
    }
    let term: string;
    if (p[i] === '"') {
      const end = closingQuote(p, i);
      term = p.slice(i + 1, end).replace(/\\(.)/g, '$1');
      i = end + 1;
    } else {
      const start = i;
      while (i < p.length && !/\s/.test(p[i] as string)) i++;
      term = p.slice(start, i);
    }
    if (term === '') throw invalidPattern(p);
    const m = termMatcher(term);
    (kind === 'all' ? all : kind === 'any' ? any : none).push(m);
  }
  return (msg) =>
    all.every((m) => m(msg)) && (any.length === 0 || any.some((m) => m(msg))) && !none.some((m) => m(msg));
}

function closingQuote(p: string, open: number): number {
  for (let j = open + 1; j < p.length; j++) {
    if (p[j] === '\\') j++;
    else if (p[j] === '"') return j;
  }
  throw invalidPattern(p);
}

const WORD = /[\p{L}\p{N}]/u;
const isWord = (c: string | undefined) => c !== undefined && WORD.test(c);

/** The term occurs in the message, not glued to other letters or digits at a word-character edge. */
function termMatcher(term: string): Matcher {
  const open = isWord(term[0]);
  const close = isWord(term.at(-1));
  return (msg) => {
    for (let at = msg.indexOf(term); at >= 0; at = msg.indexOf(term, at + 1)) {
      if ((!open || !isWord(msg[at - 1])) && (!close || !isWord(msg[at + term.length]))) return true;
    }
    return false;
  };
}

function compileRegex(source: string): Matcher {
  try {
    const re = new RegExp(source);
    return (msg) => re.test(msg);
  } catch {
    throw invalidPattern(`%${source}%`);
  }
}

// ---- JSON ---------------------------------------------------------------------------------------

type Node =
  | { op: '&&' | '||'; left: Node; right: Node }
  | { op: 'cmp'; path: PathStep[]; cmp: string; value: string | number }
  | { op: 'is'; path: PathStep[]; what: 'NULL' | 'TRUE' | 'FALSE' | 'NOT EXISTS' };
type PathStep = string | number | '*';

const TOKEN = /\s*(\|\||&&|!=|<=|>=|=|<|>|\(|\)|"(?:[^"\\]|\\.)*"|\$[^\s()=!<>&|]*|[^\s()=!<>&|"]+)/y;

function compileJson(p: string): Matcher {
  if (!p.endsWith('}')) throw invalidPattern(p);
  const tokens: string[] = [];
  const body = p.slice(1, -1);
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(body);
    if (!m) {
      if (body.slice(at).trim() === '') break;
      throw invalidPattern(p);
    }
    tokens.push(m[1] as string);
  }
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (t === undefined) throw invalidPattern(p);
    return t;
  };
  const expr = (): Node => {
    let left = and();
    while (peek() === '||') {
      pos++;
      left = { op: '||', left, right: and() };
    }
    return left;
  };
  const and = (): Node => {
    let left = unary();
    while (peek() === '&&') {
      pos++;
      left = { op: '&&', left, right: unary() };
    }
    return left;
  };
  const unary = (): Node => {
    if (peek() === '(') {
      pos++;
      const inner = expr();
      if (next() !== ')') throw invalidPattern(p);
      return inner;
    }
    const sel = next();
    if (!sel.startsWith('$')) throw invalidPattern(p);
    const path = parsePath(sel, p);
    const op = next();
    if (op === 'IS') {
      const what = next();
      if (what !== 'NULL' && what !== 'TRUE' && what !== 'FALSE') throw invalidPattern(p);
      return { op: 'is', path, what };
    }
    if (op === 'NOT') {
      if (next() !== 'EXISTS') throw invalidPattern(p);
      return { op: 'is', path, what: 'NOT EXISTS' };
    }
    if (!['=', '!=', '<', '>', '<=', '>='].includes(op)) throw invalidPattern(p);
    const raw = next();
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : numberOrWord(raw);
    if (typeof value === 'string' && op !== '=' && op !== '!=') throw invalidPattern(p);
    return { op: 'cmp', path, cmp: op, value };
  };
  const tree = expr();
  if (pos !== tokens.length) throw invalidPattern(p);
  return (msg) => {
    const doc = parseJson(msg);
    return doc !== undefined && evaluate(tree, doc);
  };
}

function numberOrWord(raw: string): string | number {
  return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : raw;
}

function parsePath(sel: string, p: string): PathStep[] {
  const steps: PathStep[] = [];
  const re = /\.([^.[\]]+)|\[(\d+|\*)\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < sel.length) {
    const m = re.exec(sel);
    if (!m) throw invalidPattern(p);
    if (m[1] !== undefined) steps.push(m[1]);
    else steps.push(m[2] === '*' ? '*' : Number(m[2]));
  }
  return steps;
}

function parseJson(msg: string): unknown {
  const t = msg.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(msg);
  } catch {
    return undefined;
  }
}

/** Every value the path selects (none: the field does not exist). */
function select(doc: unknown, path: PathStep[]): unknown[] {
  let current: unknown[] = [doc];
  for (const step of path) {
    const out: unknown[] = [];
    for (const v of current) {
      if (step === '*') {
        if (Array.isArray(v)) out.push(...v);
      } else if (typeof step === 'number') {
        if (Array.isArray(v) && step < v.length) out.push(v[step]);
      } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, step)) {
        out.push((v as Record<string, unknown>)[step]);
      }
    }
    current = out;
  }
  return current;
}

function evaluate(node: Node, doc: unknown): boolean {
  switch (node.op) {
    case '&&':
      return evaluate(node.left, doc) && evaluate(node.right, doc);
    case '||':
      return evaluate(node.left, doc) || evaluate(node.right, doc);
    case 'is': {
      const values = select(doc, node.path);
      if (node.what === 'NOT EXISTS') return values.length === 0;
      const want = node.what === 'NULL' ? null : node.what === 'TRUE';
      return values.some((v) => v === want);
    }
    case 'cmp':
      return select(doc, node.path).some((v) => compare(v, node.cmp, node.value));
  }
}

function compare(field: unknown, op: string, value: string | number): boolean {
  if (typeof value === 'number') {
    const n = typeof field === 'number' ? field : typeof field === 'string' && field !== '' ? Number(field) : NaN;
    if (Number.isNaN(n)) return false;
    switch (op) {
      case '=':
        return n === value;
      case '!=':
        return n !== value;
      case '<':
        return n < value;
      case '>':
        return n > value;
      case '<=':
        return n <= value;
      default:
        return n >= value;
    }
  }
  if (typeof field !== 'string' && typeof field !== 'number' && typeof field !== 'boolean') return false;
  const matched = glob(value).test(String(field));
  return op === '=' ? matched : !matched;
}

const globs = new Map<string, RegExp>();
function glob(value: string): RegExp {
  let re = globs.get(value);
  if (!re) {
    re = new RegExp(`^${value.split('*').map(escapeRegex).join('.*')}$`, 's');
    if (globs.size > 1000) globs.clear();
    globs.set(value, re);
  }
  return re;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function invalidPattern(p: string) {
  return invalid(`Invalid filter pattern: ${p}`);
}
