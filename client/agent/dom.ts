/**
 * A small helper to build elements. Text is only ever set as text (text nodes, textContent),
 * never parsed as HTML, so what customers write cannot become markup.
 */

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  className?: string;
  id?: string;
  text?: string;
  attrs?: Record<string, string | number | boolean | null | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className !== undefined) element.className = props.className;
  if (props.id !== undefined) element.id = props.id;
  if (props.text !== undefined) element.textContent = props.text;
  setAttrs(element, props.attrs ?? {});
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    element.addEventListener(type, listener as EventListener);
  }
  element.append(...children.filter((child): child is Node | string => !!child));
  return element;
}

/** Sets each attribute; false, null and undefined remove it, true sets it empty. */
export function setAttrs(element: Element, attrs: ElementProps['attrs'] & object): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) element.removeAttribute(name);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

let nextId = 1;
/** A document-unique id for label and ARIA references. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${nextId++}`;
}
