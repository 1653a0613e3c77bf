/** `document.getElementById`, or a clear error when the page and the script disagree. */
export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`status page: no #${id} in the page`);
  return element as T;
}

/** A new element with text (never HTML: backend ids and pool names come from outside). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  if (className !== undefined) element.className = className;
  return element;
}

/** Sets text only when it changed, so a live table does not churn the DOM every second. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
