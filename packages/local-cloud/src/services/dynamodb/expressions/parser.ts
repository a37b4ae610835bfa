import { validation } from '../errors.js';
import { compareValues, typeOf } from '../values.js';
import {
  CONDITION_FUNCTIONS,
  type Comparator,
  type ConditionFunction,
  type ConditionNode,
  type ExpressionKind,
  type Operand,
  type Path,
  UPDATE_FUNCTIONS,
} from './ast.js';
import { type Token, tokenize } from './lexer.js';
import { formatPath, samePath } from './paths.js';
import { isReserved } from './reserved.js';
import type { AttributeValue } from './types.js';

/** Looks up placeholders, recording their use; undefined when not defined. */
export interface Resolver {
  name(placeholder: string): string | undefined;
  value(placeholder: string): AttributeValue | undefined;
}

const COMPARATORS: readonly string[] = ['=', '<>', '<', '<=', '>', '>='];
const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];
const ARITY: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
  if_not_exists: 2,
  list_append: 2,
};

/** AWS's rendering of a literal in BETWEEN messages, e.g. `AttributeValue: {N:1}`. */
export function describeValue(v: AttributeValue): string {
  const t = typeOf(v);
  const inner = t === 'S' || t === 'N' || t === 'B' ? String(v[t]) : JSON.stringify(v[t]);
  return `AttributeValue: {${t}:${inner}}`;
}

/**
 * Ranks of semantic problems. AWS reports a syntax error anywhere in the expression first, then
 * reserved words, bad function names, repeated clauses, undefined names, undefined values, and
 * only then everything else; so these are collected while parsing and thrown by done().
 */
export const Rank = { reserved: 1, function: 2, section: 3, name: 4, value: 5, other: 6 } as const;

/** A stand-in for an operand that already produced an error; never evaluated. */
const PLACEHOLDER: AttributeValue = { NULL: true };

/** Recursive-descent parser over one expression; errors carry the `Invalid <kind>: ` prefix. */
export class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private readonly issues: { rank: number; message: string }[] = [];

  constructor(
    readonly source: string,
    readonly kind: ExpressionKind,
    private readonly resolver: Resolver,
  ) {
    this.tokens = tokenize(source);
  }

  // ── tokens ──────────────────────────────────────────────────────────────

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.pos++;
    return t;
  }

  atEnd(): boolean {
    return this.peek().type === 'eof';
  }

  isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'punct' && t.text === text;
  }

  isKeyword(word: string): boolean {
    const t = this.peek();
    return t.type === 'name' && t.text.toUpperCase() === word;
  }

  expectPunct(text: string): void {
    if (!this.isPunct(text)) throw this.syntaxError();
    this.next();
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.syntaxError();
  }

  fail(message: string): Error {
    return validation(`Invalid ${this.kind}: ${message}`);
  }

  /** Records a semantic problem; parsing goes on so that a later syntax error still wins. */
  report(rank: number, message: string): void {
    this.issues.push({ rank, message });
  }

  /** Throws the highest-ranked (then earliest) problem recorded, if any. */
  done(): void {
    if (this.issues.length === 0) return;
    const first = this.issues.reduce((a, b) => (b.rank < a.rank ? b : a));
    throw this.fail(first.message);
  }

  /** AWS's syntax error: the offending token and the text from the token before to the token after. */
  syntaxError(token: Token = this.peek()): Error {
    const i = this.tokens.indexOf(token);
    const before = this.tokens[i - 1] ?? token;
    const after = token.type === 'eof' ? token : (this.tokens[i + 1] ?? token);
    const near = this.source.slice(before.start, after.type === 'eof' ? after.start : after.end);
    return this.fail(`Syntax error; token: "${token.text}", near: "${near}"`);
  }

  failEmptyIfAtEnd(): void {
    if (this.atEnd()) throw this.fail('The expression can not be empty;');
  }

  // ── placeholders and paths ─────────────────────────────────────────────

  resolveValue(token: Token): AttributeValue {
    const value = this.resolver.value(token.text);
    if (value) return value;
    this.report(
      Rank.value,
      `An expression attribute value used in expression is not defined; attribute value: ${token.text}`,
    );
    return PLACEHOLDER;
  }

  private pathName(token: Token): string {
    if (token.type === 'attr') {
      const name = this.resolver.name(token.text);
      if (name !== undefined) return name;
      this.report(
        Rank.name,
        `An expression attribute name used in the document path is not defined; attribute name: ${token.text}`,
      );
      return token.text;
    }
    if (token.type !== 'name') throw this.syntaxError(token);
    if (isReserved(token.text)) {
      this.report(Rank.reserved, `Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
    }
    return token.text;
  }

  /** `name`, `#name`, then any of `.name`, `.#name`, `[n]`. */
  parsePath(): Path {
    const path: Path = [{ name: this.pathName(this.next()) }];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        path.push({ name: this.pathName(this.next()) });
      } else if (this.isPunct('[')) {
        this.next();
        const n = this.next();
        if (n.type !== 'number') throw this.syntaxError(n);
        this.expectPunct(']');
        path.push({ index: Number(n.text) });
      } else return path;
    }
  }

  isFunctionCall(): boolean {
    return this.peek().type === 'name' && this.isPunct('(', 1);
  }

  /** False (with the problem recorded) when a function has the wrong number of arguments. */
  checkArity(name: string, count: number): boolean {
    if (ARITY[name] === undefined || ARITY[name] === count) return true;
    this.report(
      Rank.other,
      `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
    );
    return false;
  }

  requirePath(name: string): void {
    this.report(Rank.other, `Operator or function requires a document path; operator or function: ${name}`);
  }

  badOperand(name: string, type: string): void {
    this.report(
      Rank.other,
      `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
    );
  }

  /** Reads a call that is not allowed where it stands (the problem is already recorded). */
  skipCall(): { k: 'value'; name: string; value: AttributeValue } {
    this.next();
    this.parseArguments(() => this.parseOperand());
    return { k: 'value', name: '', value: PLACEHOLDER };
  }

  /** `( a, b, ... )` with each argument read by `read`. */
  parseArguments<T>(read: () => T): T[] {
    this.expectPunct('(');
    const args: T[] = [];
    if (!this.isPunct(')')) {
      args.push(read());
      while (this.isPunct(',')) {
        this.next();
        args.push(read());
      }
    }
    this.expectPunct(')');
    return args;
  }

  // ── conditions ─────────────────────────────────────────────────────────

  /** A whole condition: precedence NOT > AND > OR, parentheses, comparisons, functions. */
  parseConditionExpression(): ConditionNode {
    this.failEmptyIfAtEnd();
    const node = this.parseOr();
    this.expectEnd();
    this.done();
    return node;
  }

  private parseOr(): ConditionNode {
    let left = this.parseAnd();
    while (this.isKeyword('OR')) {
      this.next();
      left = { k: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): ConditionNode {
    let left = this.parseNot();
    while (this.isKeyword('AND')) {
      this.next();
      left = { k: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): ConditionNode {
    if (this.isKeyword('NOT')) {
      this.next();
      return { k: 'not', cond: this.parseNot() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ConditionNode {
    if (this.isPunct('(')) {
      this.next();
      const cond = this.parseOr();
      this.expectPunct(')');
      if (cond.k === 'paren') this.report(Rank.other, 'The expression has redundant parentheses;');
      return { k: 'paren', cond };
    }
    if (this.isFunctionCall() && CONDITION_FUNCTIONS.includes(this.peek().text)) {
      const fn = this.parseConditionFunction();
      if (this.peek().type === 'punct' && COMPARATORS.includes(this.peek().text)) {
        this.misused(fn.name);
        this.next();
        this.parseOperand();
      }
      return fn;
    }
    const call = this.isFunctionCall();
    const operand = this.parseOperand();
    const t = this.peek();
    if (t.type === 'punct' && COMPARATORS.includes(t.text)) {
      this.next();
      return this.comparison(t.text as Comparator, operand, this.parseOperand());
    }
    if (this.isKeyword('BETWEEN')) return this.parseBetween(operand);
    if (this.isKeyword('IN')) return this.parseIn(operand);
    // A call standing alone: size() is misused; any other name was already reported.
    if (operand.k === 'size') this.misused('size');
    else if (!call) throw this.syntaxError();
    return { k: 'fn', name: 'attribute_exists', args: [operand] };
  }

  private misused(name: string): void {
    this.report(Rank.function, `The function is not allowed to be used this way in an expression; function: ${name}`);
  }

  private comparison(op: Comparator, left: Operand, right: Operand): ConditionNode {
    this.checkDistinct(op, left, [right]);
    if (op !== '=' && op !== '<>') for (const o of [left, right]) this.checkOrderable(op, o);
    return { k: 'cmp', op, left, right };
  }

  private checkDistinct(op: string, first: Operand, rest: Operand[]): void {
    if (first.k !== 'path') return;
    if (rest.some((o) => o.k === 'path' && samePath(o.path, first.path))) {
      this.report(
        Rank.other,
        `The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${formatPath(first.path)}`,
      );
    }
  }

  private checkOrderable(op: string, o: Operand): void {
    if (o.k !== 'value') return;
    const t = typeOf(o.value);
    if (t !== 'S' && t !== 'N' && t !== 'B') this.badOperand(op, t);
  }

  private parseBetween(operand: Operand): ConditionNode {
    this.next();
    const low = this.parseOperand();
    if (!this.isKeyword('AND')) throw this.syntaxError();
    this.next();
    const high = this.parseOperand();
    this.checkDistinct('BETWEEN', operand, [low, high]);
    for (const o of [operand, low, high]) this.checkOrderable('BETWEEN', o);
    if (low.k === 'value' && high.k === 'value') {
      const bounds = `lower bound operand: ${describeValue(low.value)}, upper bound operand: ${describeValue(high.value)}`;
      const c = compareValues(low.value, high.value);
      if (c === undefined) {
        this.report(Rank.other, `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
      } else if (c > 0) {
        this.report(
          Rank.other,
          `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
        );
      }
    }
    return { k: 'between', operand, low, high };
  }

  private parseIn(operand: Operand): ConditionNode {
    this.next();
    if (!this.isPunct('(')) throw this.syntaxError();
    const list = this.parseArguments(() => this.parseOperand());
    if (list.length === 0) throw this.syntaxError(this.tokens[this.pos - 1]);
    if (list.length > 100) {
      this.report(Rank.other, `The IN operator is provided with too many operands; number of operands: ${list.length}`);
    }
    this.checkDistinct('IN', operand, list);
    return { k: 'in', operand, list };
  }

  private parseConditionFunction(): Extract<ConditionNode, { k: 'fn' }> {
    const name = this.next().text as ConditionFunction;
    const args = this.parseArguments(() => this.parseOperand());
    const node = { k: 'fn' as const, name, args };
    if (!this.checkArity(name, args.length)) return node;
    const [first, second] = args as [Operand, Operand];
    if (name !== 'begins_with' && name !== 'contains' && first.k !== 'path') this.requirePath(name);
    else if (name === 'attribute_type') this.checkTypeName(second);
    else if (name === 'begins_with') {
      for (const a of args) {
        const t = a.k === 'value' ? typeOf(a.value) : a.k === 'size' ? 'N' : 'S';
        if (t !== 'S' && t !== 'B') this.badOperand(name, t);
      }
    } else if (name === 'contains') this.checkDistinct('contains', first, [second]);
    return node;
  }

  private checkTypeName(o: Operand): void {
    const t = o.k === 'value' ? typeOf(o.value) : o.k === 'size' ? 'N' : 'PATH';
    if (t !== 'S') this.badOperand('attribute_type', t);
    else if (o.k === 'value' && !ATTRIBUTE_TYPES.includes(o.value.S!)) {
      this.report(
        Rank.other,
        `Invalid attribute type name found; type: ${o.value.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
      );
    }
  }

  /** A condition operand: a path, a `:value` or `size(path)`. */
  parseOperand(): Operand {
    const t = this.peek();
    if (t.type === 'value') {
      this.next();
      return { k: 'value', name: t.text, value: this.resolveValue(t) };
    }
    if (this.isFunctionCall()) {
      if (t.text !== 'size') {
        this.unexpectedFunction(t.text);
        return this.skipCall();
      }
      this.next();
      const args = this.parseArguments(() => this.parseOperand());
      const arg = args[0];
      if (!this.checkArity('size', args.length) || !arg) return { k: 'size', path: [] };
      if (arg.k === 'path') return { k: 'size', path: arg.path };
      this.requirePath('size');
      return { k: 'size', path: [] };
    }
    if (t.type === 'name' || t.type === 'attr') return { k: 'path', path: this.parsePath() };
    throw this.syntaxError();
  }

  private unexpectedFunction(name: string): void {
    if (CONDITION_FUNCTIONS.includes(name)) this.misused(name);
    else
      this.report(
        Rank.function,
        UPDATE_FUNCTIONS.includes(name)
          ? `The function is not allowed in a condition expression; function: ${name}`
          : `Invalid function name; function: ${name}`,
      );
  }
}
