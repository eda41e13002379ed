// A tiny element builder: text goes through textContent only, so data never becomes HTML.

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h(tag: string, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Replace the main area's content and move focus there (keyboard and screen readers). */
export function show(...children: Child[]): void {
  const main = document.getElementById("main")!;
  main.replaceChildren(...(children.filter(Boolean) as (Node | string)[]));
}
