/** Small checks shared by the report validators: what a JSON value holds, said in words. */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a value for a problem message: `"ok"`, `an array`, `null`, `3`. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * What each field must hold: a `typeof` name, `number|null`, `number[]` (an array of numbers),
 * `string[]`, or the list of allowed values.
 */
export type FieldExpectation = string | readonly string[];

/** Checks that `value` is an array of `itemType` (`number`, `string`); returns the problem, if any. */
export function expectArrayOf(
  where: string,
  value: unknown,
  itemType: 'number' | 'string',
): string | undefined {
  if (!Array.isArray(value)) return `${where} is ${describe(value)}; expected an array of ${itemType}s`;
  const index = value.findIndex((item) => typeof item !== itemType);
  if (index >= 0) return `${where}[${index}] is ${describe(value[index])}; expected a ${itemType}`;
  return undefined;
}

/** Checks the fields a reader uses; returns the first problem found, or undefined. */
export function expectFields(
  where: string,
  item: unknown,
  fields: Record<string, FieldExpectation>,
): string | undefined {
  if (!isObject(item)) return `${where} is ${describe(item)}; expected an object`;
  for (const [name, expected] of Object.entries(fields)) {
    const value = item[name];
    if (Array.isArray(expected)) {
      if (!expected.includes(value as string)) {
        return `${where}.${name} is ${describe(value)}; expected one of ${expected.join(', ')}`;
      }
    } else if (expected === 'number|null') {
      if (value !== null && typeof value !== 'number')
        return `${where}.${name} is ${describe(value)}; expected a number or null`;
    } else if (expected === 'number[]' || expected === 'string[]') {
      const problem = expectArrayOf(`${where}.${name}`, value, expected === 'number[]' ? 'number' : 'string');
      if (problem) return problem;
    } else if (typeof value !== expected) {
      return `${where}.${name} is ${describe(value)}; expected a ${expected}`;
    }
  }
  return undefined;
}

/** Checks that `value` is an array and each item passes `check`; returns the first problem. */
export function expectEach(
  where: string,
  value: unknown,
  check: (itemWhere: string, item: unknown) => string | undefined,
): string | undefined {
  if (!Array.isArray(value)) return `${where} is ${describe(value)}; expected an array`;
  for (const [index, item] of value.entries()) {
    const problem = check(`${where}[${index}]`, item);
    if (problem) return problem;
  }
  return undefined;
}
