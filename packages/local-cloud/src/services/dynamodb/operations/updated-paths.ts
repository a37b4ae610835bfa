import { createScope } from '../engine.js';
import type { Item, Projection } from '../expressions/types.js';

/**
 * ReturnValues UPDATED_OLD / UPDATED_NEW return only the paths an UpdateExpression writes. The
 * expression contract exposes top-level names only, so the written paths are read back from the
 * (already validated) expression text: the left-hand sides of SET, the paths of REMOVE, ADD and
 * DELETE. They are then applied as a projection by the expression engine.
 */
const CLAUSE = /(?<![#:.\w])(SET|REMOVE|ADD|DELETE)(?!\w)/gi;

export function updatedPaths(expression: string): string[] {
  const marks = [...expression.matchAll(CLAUSE)];
  const paths: string[] = [];
  marks.forEach((m, i) => {
    const kind = (m[1] as string).toUpperCase();
    const body = expression.slice((m.index ?? 0) + m[0].length, marks[i + 1]?.index ?? expression.length);
    for (const part of splitTopLevel(body)) {
      if (kind === 'SET') paths.push((part.split('=')[0] ?? '').trim());
      else if (kind === 'REMOVE') paths.push(part.trim());
      else paths.push(part.replace(/\s*:\w+\s*$/, '').trim());
    }
  });
  return paths.filter(Boolean);
}

function splitTopLevel(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

/** A projection of the paths an update expression writes, or undefined if it cannot be built. */
export function updatedProjection(
  expression: string,
  names: Record<string, string> | undefined,
): Projection | undefined {
  const paths = updatedPaths(expression);
  if (paths.length === 0) return undefined;
  try {
    return createScope(names, undefined).projection(paths.join(', '));
  } catch {
    return undefined;
  }
}

export function applyProjection(p: Projection, item: Item | undefined): Item | undefined {
  return item ? p.apply(item) : undefined;
}
