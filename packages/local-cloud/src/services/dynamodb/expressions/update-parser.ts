import { typeOf } from '../values.js';
import { CONDITION_FUNCTIONS, type Path, type SetValue, type UpdateAction, type UpdateOperand } from './ast.js';
import { type Parser, Rank } from './parser.js';
import { checkPaths } from './paths.js';
import type { AttributeValue } from './types.js';

const CLAUSES = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;
type Clause = (typeof CLAUSES)[number];

/** AWS's long type names in ADD/DELETE operand errors. */
const LONG_TYPE: Record<string, string> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  M: 'MAP',
  L: 'LIST',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
};

/** `SET ... REMOVE ... ADD ... DELETE ...`, each clause at most once, in any order. */
export function parseUpdate(p: Parser): UpdateAction[] {
  p.failEmptyIfAtEnd();
  const actions: UpdateAction[] = [];
  const seen = new Set<Clause>();
  while (!p.atEnd()) {
    const t = p.peek();
    const clause = CLAUSES.find((c) => t.type === 'name' && t.text.toUpperCase() === c);
    if (!clause) throw p.syntaxError();
    if (seen.has(clause)) {
      p.report(Rank.section, `The "${clause}" section can only be used once in an update expression;`);
    }
    seen.add(clause);
    p.next();
    actions.push(parseAction(p, clause));
    while (p.isPunct(',')) {
      p.next();
      actions.push(parseAction(p, clause));
    }
  }
  const overlap = checkPaths(actions.map((a) => a.path));
  if (overlap) p.report(Rank.other, overlap);
  p.done();
  return actions;
}

function parseAction(p: Parser, clause: Clause): UpdateAction {
  const path = p.parsePath();
  if (clause === 'SET') {
    p.expectPunct('=');
    return { k: 'SET', path, value: parseSetValue(p) };
  }
  if (clause === 'REMOVE') return { k: 'REMOVE', path };
  const t = p.peek();
  if (t.type !== 'value') throw p.syntaxError();
  p.next();
  const value = p.resolveValue(t);
  checkActionOperand(p, clause, value);
  return { k: clause, path, value };
}

function checkActionOperand(p: Parser, clause: 'ADD' | 'DELETE', value: AttributeValue): void {
  const t = typeOf(value);
  const isSet = t === 'SS' || t === 'NS' || t === 'BS';
  if (isSet || (clause === 'ADD' && t === 'N')) return;
  p.report(
    Rank.other,
    `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${LONG_TYPE[t]}, typeSet: ALLOWED_FOR_${clause}_OPERAND`,
  );
}

/**
 * The type an operand is known to have before any item is read: AWS types function results
 * too, so `if_not_exists(a, :list) + :n` fails with "operand type: L".
 */
function staticType(o: UpdateOperand): string | undefined {
  if (o.k === 'value') return typeOf(o.value);
  if (o.k === 'list_append') return 'L';
  if (o.k === 'if_not_exists') return staticType(o.fallback);
  return undefined;
}

function parseSetValue(p: Parser): SetValue {
  const left = parseUpdateOperand(p);
  if (p.isPunct('+') || p.isPunct('-')) {
    const op = p.next().text as '+' | '-';
    const right = parseUpdateOperand(p);
    for (const o of [left, right]) {
      const t = staticType(o);
      if (t && t !== 'N') p.badOperand(op, t);
    }
    return { k: op, left, right };
  }
  return left;
}

function parseUpdateOperand(p: Parser): UpdateOperand {
  const t = p.peek();
  if (t.type === 'value') {
    p.next();
    return { k: 'value', name: t.text, value: p.resolveValue(t) };
  }
  if (p.isFunctionCall()) return parseUpdateFunction(p);
  if (t.type === 'name' || t.type === 'attr') return { k: 'path', path: p.parsePath() };
  throw p.syntaxError();
}

const PLACEHOLDER: UpdateOperand = { k: 'value', name: '', value: { NULL: true } };

function parseUpdateFunction(p: Parser): UpdateOperand {
  const name = p.next().text;
  const known = name === 'if_not_exists' || name === 'list_append';
  if (!known) {
    const misplaced = name === 'size' || CONDITION_FUNCTIONS.includes(name);
    p.report(
      Rank.function,
      misplaced
        ? `The function is not allowed in an update expression; function: ${name}`
        : `Invalid function name; function: ${name}`,
    );
  }
  const args = p.parseArguments(() => parseUpdateOperand(p));
  if (!known || !p.checkArity(name, args.length)) return PLACEHOLDER;
  const [first, second] = args as [UpdateOperand, UpdateOperand];
  if (name === 'if_not_exists') {
    if (first.k === 'path') return { k: 'if_not_exists', path: first.path, fallback: second };
    p.requirePath(name);
    return PLACEHOLDER;
  }
  for (const o of args) {
    const t = staticType(o);
    if (t && t !== 'L') p.badOperand(name, t);
  }
  return { k: 'list_append', first, second };
}

/** Comma-separated document paths; overlapping or conflicting paths are rejected. */
export function parseProjection(p: Parser): Path[] {
  p.failEmptyIfAtEnd();
  const paths: Path[] = [p.parsePath()];
  while (p.isPunct(',')) {
    p.next();
    paths.push(p.parsePath());
  }
  p.expectEnd();
  const overlap = checkPaths(paths);
  if (overlap) p.report(Rank.other, overlap);
  p.done();
  return paths;
}
