/**
 * The one way the toolbox builds DOM: elements, attributes and text nodes. Text is always a text
 * node, so nothing from an agent, a visitor or a resource file is ever parsed as HTML.
 */

export type Child = Node | string | false | null | undefined;
type Attributes = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, ...children);
  return element;
}

/** `false` and `undefined` remove an attribute, `true` sets it empty. */
export function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined) element.removeAttribute(name);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces what an element shows. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

let nextId = 0;
/** Ids unique within the shadow root, for labels and aria references. */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `cc-${prefix}-${nextId}`;
}

const svgNs = 'http://www.w3.org/2000/svg';

/** A decorative icon: hidden from assistive technology, the control carries the label. */
export function icon(path: string, className?: string): SVGSVGElement {
  const svg = document.createElementNS(svgNs, 'svg');
  setAttributes(svg, {
    viewBox: '0 0 24 24',
    'aria-hidden': 'true',
    focusable: 'false',
    class: className,
  });
  const shape = document.createElementNS(svgNs, 'path');
  shape.setAttribute('d', path);
  svg.appendChild(shape);
  return svg;
}

export const icons = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
  minimise: 'M5 11h14v2H5z',
  close:
    'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z',
  attach:
    'M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z',
  send: 'M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z',
};
