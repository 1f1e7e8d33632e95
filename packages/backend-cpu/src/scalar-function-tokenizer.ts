/**
 * Splits the source of a scalar function into tokens: numbers (decimal, exponent, hex, binary,
 * octal), words, and the punctuators of the subset `scalar-function-parser.ts` reads. Comments
 * are skipped; anything else (strings, template literals, brackets, bitwise operators) throws
 * {@link UnsupportedFunctionError}.
 */
import { UnsupportedFunctionError } from './scalar-function-errors.js';

export type Token =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'word' | 'punct'; readonly text: string };

/** Longest first, so `===` is not read as `==` and `=`. */
const punctuators =
  '=== !== **= => == != <= >= && || ** += -= *= /= < > ! * / % + - ? : ( ) { } , ; = .'.split(' ');

const numberPattern = /^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;
const wordPattern = /^[A-Za-z_$][\w$]*/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (source.startsWith('//', index)) {
      const end = source.indexOf('\n', index);
      index = end < 0 ? source.length : end;
      continue;
    }
    if (source.startsWith('/*', index)) {
      const end = source.indexOf('*/', index + 2);
      if (end < 0) throw new UnsupportedFunctionError('unterminated comment');
      index = end + 2;
      continue;
    }
    const rest = source.slice(index, index + 64);
    const number = /^[\d.]/.test(char) ? numberPattern.exec(rest) : null;
    if (number) {
      if (wordPattern.test(source.slice(index + number[0].length, index + number[0].length + 1))) {
        throw new UnsupportedFunctionError(`unsupported literal near '${rest.slice(0, 12)}'`);
      }
      tokens.push({ type: 'number', value: Number(number[0]) });
      index += number[0].length;
      continue;
    }
    const word = wordPattern.exec(rest);
    if (word) {
      // Words longer than the window are read whole.
      const whole = wordPattern.exec(source.slice(index))![0];
      tokens.push({ type: 'word', text: whole });
      index += whole.length;
      continue;
    }
    const punct = punctuators.find((candidate) => source.startsWith(candidate, index));
    if (!punct) throw new UnsupportedFunctionError(`unsupported character '${char}'`);
    tokens.push({ type: 'punct', text: punct });
    index += punct.length;
  }
  return tokens;
}
