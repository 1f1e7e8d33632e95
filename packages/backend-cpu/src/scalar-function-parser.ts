/**
 * A small parser for the scalar-function subset that core's pointwise steps are written in
 * (see `PointwiseStep` in core's `backend.ts`), read from `fn.toString()`:
 *
 *   function name(a, b) { const t = …; let u = …; u = …; if (…) { return …; } else { … } return …; }
 *   (a, b) => expression        a => { … }
 *
 * Expressions: number literals, names, `true`/`false`, `Math.*` constants and calls, calls of
 * other functions by name, unary `- + !`, `** * / % + -`, comparisons, `&& ||`, `? :`, and
 * parentheses. Anything else (strings, objects, arrays, loops, comma and assignment
 * expressions, `void`, bitwise operators, closures' free variables …) makes {@link parseScalarFunction}
 * throw {@link UnsupportedFunctionError}; the WebAssembly compiler then leaves that kernel to
 * the JavaScript loops. Minified sources parse too (`!0`, missing semicolons before `}`), and
 * so do helpers called through an import namespace as bundlers and Vite emit them
 * (`(0, module.helper)(…)`, `module.helper(…)`): the call names the helper `helper`.
 */

import { UnsupportedFunctionError } from './scalar-function-errors.js';
import { type Token, tokenize } from './scalar-function-tokenizer.js';

export { UnsupportedFunctionError };

export type Expression =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'unary'; readonly operator: '-' | '+' | '!'; readonly operand: Expression }
  | {
      readonly kind: 'binary';
      readonly operator: string;
      readonly left: Expression;
      readonly right: Expression;
    }
  | {
      readonly kind: 'conditional';
      readonly test: Expression;
      readonly then: Expression;
      readonly otherwise: Expression;
    }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Expression[] };

export type Statement =
  | { readonly kind: 'declare'; readonly name: string; readonly value: Expression }
  | { readonly kind: 'assign'; readonly name: string; readonly operator: string; readonly value: Expression }
  | { readonly kind: 'return'; readonly value: Expression }
  | {
      readonly kind: 'if';
      readonly test: Expression;
      readonly then: readonly Statement[];
      readonly otherwise: readonly Statement[];
    }
  | { readonly kind: 'block'; readonly body: readonly Statement[] };

export interface ParsedFunction {
  readonly name: string;
  readonly params: readonly string[];
  readonly body: readonly Statement[];
}

const reserved = new Set(
  'function return if else const let var true false new this typeof void delete in instanceof for while do switch throw try class yield await null undefined'.split(
    ' ',
  ),
);

/** Binary operator precedence (higher binds tighter); `**` is right-associative. */
const precedence: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '===': 3,
  '!==': 3,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
  '**': 7,
};

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.position + offset];
  }

  private isPunct(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.type === 'punct' && token.text === text;
  }

  private isWord(text: string): boolean {
    const token = this.peek();
    return token?.type === 'word' && token.text === text;
  }

  private fail(what: string): never {
    const token = this.peek();
    const got =
      token === undefined ? 'end of source' : token.type === 'number' ? String(token.value) : token.text;
    throw new UnsupportedFunctionError(`${what}; got '${got}'`);
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail(`expected '${text}'`);
    this.position++;
  }

  private identifier(): string {
    const token = this.peek();
    if (token?.type !== 'word' || reserved.has(token.text)) this.fail('expected a name');
    this.position++;
    return token.text;
  }

  atEnd(): boolean {
    return this.position >= this.tokens.length;
  }

  parseFunction(): ParsedFunction {
    if (this.isWord('function')) {
      this.position++;
      const name = this.peek()?.type === 'word' ? this.identifier() : '';
      const params = this.parameterList();
      return { name, params, body: this.block() };
    }
    // Arrow function: `x => …` or `(a, b) => …`.
    const params = this.peek()?.type === 'word' ? [this.identifier()] : this.parameterList();
    this.expectPunct('=>');
    if (this.isPunct('{')) return { name: '', params, body: this.block() };
    return { name: '', params, body: [{ kind: 'return', value: this.expression() }] };
  }

  private parameterList(): string[] {
    this.expectPunct('(');
    const params: string[] = [];
    while (!this.isPunct(')')) {
      params.push(this.identifier());
      if (!this.isPunct(')')) this.expectPunct(',');
    }
    this.position++;
    return params;
  }

  private block(): Statement[] {
    this.expectPunct('{');
    const body: Statement[] = [];
    while (!this.isPunct('}')) {
      if (this.atEnd()) this.fail("expected '}'");
      body.push(...this.statement());
    }
    this.position++;
    return body;
  }

  /** Ends a simple statement: `;`, or (automatic semicolon insertion) before `}` or at the end. */
  private endStatement(): void {
    if (this.isPunct(';')) this.position++;
    else if (!this.isPunct('}') && !this.atEnd()) this.fail("expected ';'");
  }

  /** One statement (a declaration list gives one statement per name; `;` gives none). */
  private statement(): Statement[] {
    if (this.isPunct(';')) {
      this.position++;
      return [];
    }
    if (this.isPunct('{')) return [{ kind: 'block', body: this.block() }];
    if (this.isWord('return')) {
      this.position++;
      const value = this.expression();
      this.endStatement();
      return [{ kind: 'return', value }];
    }
    if (this.isWord('if')) {
      this.position++;
      this.expectPunct('(');
      const test = this.expression();
      this.expectPunct(')');
      const then = this.branch();
      let otherwise: Statement[] = [];
      if (this.isWord('else')) {
        this.position++;
        otherwise = this.branch();
      }
      return [{ kind: 'if', test, then, otherwise }];
    }
    if (this.isWord('const') || this.isWord('let') || this.isWord('var')) {
      this.position++;
      const declarations: Statement[] = [];
      for (;;) {
        const name = this.identifier();
        this.expectPunct('=');
        declarations.push({ kind: 'declare', name, value: this.expression() });
        if (!this.isPunct(',')) break;
        this.position++;
      }
      this.endStatement();
      return declarations;
    }
    const name = this.identifier();
    const operator = this.peek();
    if (operator?.type !== 'punct' || !['=', '+=', '-=', '*=', '/=', '**='].includes(operator.text)) {
      this.fail('expected a statement');
    }
    this.position++;
    const value = this.expression();
    this.endStatement();
    return [{ kind: 'assign', name, operator: operator.text, value }];
  }

  /** The body of `if`/`else`: a block, or one statement. */
  private branch(): Statement[] {
    if (this.isPunct('{')) return this.block();
    return this.statement();
  }

  expression(): Expression {
    const test = this.binary(1);
    if (!this.isPunct('?')) return test;
    this.position++;
    const then = this.expression();
    this.expectPunct(':');
    const otherwise = this.expression();
    return { kind: 'conditional', test, then, otherwise };
  }

  private binary(minimum: number): Expression {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      const level = token?.type === 'punct' ? precedence[token.text] : undefined;
      if (token?.type !== 'punct' || level === undefined || level < minimum) return left;
      this.position++;
      if (token.text === '**' && left.kind === 'unary') this.fail('unary operand of ** needs parentheses');
      const right = token.text === '**' ? this.binary(level) : this.binary(level + 1);
      left = { kind: 'binary', operator: token.text, left, right };
    }
  }

  private unary(): Expression {
    const token = this.peek();
    if (token?.type === 'punct' && (token.text === '-' || token.text === '+' || token.text === '!')) {
      this.position++;
      return { kind: 'unary', operator: token.text, operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expression {
    const token = this.peek();
    if (token === undefined) this.fail('expected an expression');
    if (token.type === 'number') {
      this.position++;
      return { kind: 'number', value: token.value };
    }
    if (token.type === 'punct') {
      if (token.text !== '(') this.fail('expected an expression');
      const imported = this.importedCallee();
      if (imported) return this.call(imported);
      this.position++;
      const inner = this.expression();
      this.expectPunct(')');
      return inner;
    }
    if (token.text === 'true' || token.text === 'false') {
      this.position++;
      return { kind: 'boolean', value: token.text === 'true' };
    }
    let name = this.identifier();
    if (this.isPunct('.')) {
      this.position++;
      const member = this.identifier();
      if (name === 'Math') name = `Math.${member}`;
      else {
        // `module.helper(…)`: a helper reached through an import namespace, called by its name.
        if (!this.isPunct('(')) this.fail('member access is outside the subset');
        name = member;
      }
    }
    if (this.isPunct('.')) this.fail('member access is outside the subset');
    if (!this.isPunct('(')) return { kind: 'name', name };
    return this.call(name);
  }

  /**
   * `(0, module.helper)(…)` — how bundlers and Vite's module runner call an imported function
   * without a `this` — gives `helper`; anything else leaves the position unchanged.
   */
  private importedCallee(): string | null {
    const [zero, comma, namespace, dot, member, close, open] = [1, 2, 3, 4, 5, 6, 7].map((offset) =>
      this.peek(offset),
    );
    const matches =
      zero?.type === 'number' &&
      zero.value === 0 &&
      comma?.type === 'punct' &&
      comma.text === ',' &&
      namespace?.type === 'word' &&
      dot?.type === 'punct' &&
      dot.text === '.' &&
      member?.type === 'word' &&
      close?.type === 'punct' &&
      close.text === ')' &&
      open?.type === 'punct' &&
      open.text === '(';
    if (!matches || member.type !== 'word' || namespace.text === 'Math') return null;
    this.position += 7; // to the argument list's `(`
    return member.text;
  }

  /** The argument list after a callee (at its `(`). */
  private call(callee: string): Expression {
    this.expectPunct('(');
    const args: Expression[] = [];
    while (!this.isPunct(')')) {
      args.push(this.expression());
      if (!this.isPunct(')')) this.expectPunct(',');
    }
    this.position++;
    return { kind: 'call', callee, args };
  }
}

/** Parses one function's source; throws {@link UnsupportedFunctionError} outside the subset. */
export function parseScalarFunction(source: string): ParsedFunction {
  const parser = new Parser(tokenize(source));
  const parsed = parser.parseFunction();
  if (!parser.atEnd()) throw new UnsupportedFunctionError('text after the function');
  return parsed;
}
