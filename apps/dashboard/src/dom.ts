type Child = Node | string | null | undefined | false;

/**
 * Creates an element with attributes and children. Attribute values are set as attributes
 * (strings), except `on*` functions, which become listeners; text is always a text node, so
 * report contents can never inject markup.
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | ((event: Event) => void) | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.slice(2).toLowerCase(), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** Column titles whose cells hold numbers: their headings align right, like the numbers. */
const numericColumns = new Set([
  'sequences/s',
  'GFLOP/s',
  'median ms',
  'before',
  'after',
  'change',
  'memory',
  'worst error',
  'tolerance',
]);

/** A table heading cell, right-aligned when the column is numeric. */
export function columnHeading(title: string): HTMLTableCellElement {
  return element('th', { scope: 'col', class: numericColumns.has(title) ? 'number' : undefined }, title);
}
