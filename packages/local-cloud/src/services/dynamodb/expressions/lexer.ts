/** Tokens of DynamoDB's expression languages; positions index into the source text. */
export type TokenType = 'name' | 'attr' | 'value' | 'number' | 'punct' | 'invalid' | 'eof';

export interface Token {
  type: TokenType;
  text: string;
  start: number;
  end: number;
}

const PUNCT2 = ['<>', '<=', '>='];
const PUNCT1 = '=<>(),.[]+-';

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string) => c >= '0' && c <= '9';
const isWordChar = (c: string) => isLetter(c) || isDigit(c) || c === '_';
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function scanWhile(src: string, from: number, pred: (c: string) => boolean): number {
  let i = from;
  while (i < src.length && pred(src[i]!)) i++;
  return i;
}

/**
 * Splits an expression into tokens. An identifier starts with a letter (AWS reports `_x` as a
 * syntax error at "_"); `#name` and `:value` placeholders take letters, digits and underscores.
 * A character that starts no token becomes a one-character `invalid` token.
 */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    i = scanWhile(src, i, isSpace);
    if (i >= src.length) break;
    const c = src[i]!;
    const start = i;
    let type: TokenType;
    if (isLetter(c)) {
      i = scanWhile(src, i + 1, isWordChar);
      type = 'name';
    } else if (isDigit(c)) {
      i = scanWhile(src, i + 1, isDigit);
      type = 'number';
    } else if ((c === '#' || c === ':') && i + 1 < src.length && isWordChar(src[i + 1]!)) {
      i = scanWhile(src, i + 1, isWordChar);
      type = c === '#' ? 'attr' : 'value';
    } else if (PUNCT2.includes(src.slice(i, i + 2))) {
      i += 2;
      type = 'punct';
    } else {
      i += src.codePointAt(i)! > 0xffff ? 2 : 1;
      type = PUNCT1.includes(c) ? 'punct' : 'invalid';
    }
    tokens.push({ type, text: src.slice(start, i), start, end: i });
  }
  const last = tokens[tokens.length - 1];
  const end = last ? last.end : 0;
  tokens.push({ type: 'eof', text: '<EOF>', start: end, end });
  return tokens;
}
