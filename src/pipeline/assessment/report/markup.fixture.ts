/**
 * A strict, small markup parser for the specs (no XML or HTML parser is installed): it accepts
 * what this library writes and rejects what would not parse as XML — unbalanced or crossed tags,
 * unquoted or duplicate attributes, a raw `<` or `&` in text or attribute values, unknown entity
 * references. `html` mode also accepts the doctype, void elements and the raw text of `<style>`
 * (and of `<script>`, so a spec can find one). Test support, not used by the library.
 */
export interface MarkupElement {
  name: string;
  attributes: Record<string, string>;
  children: (MarkupElement | string)[];
}

const ENTITY = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;
const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['style', 'script']);

function checkText(text: string, where: string): void {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) throw new Error(`bad entity reference in ${where}: ${JSON.stringify(text.slice(i, i + 12))}`);
  }
  if (text.includes('<')) throw new Error(`raw < in ${where}`);
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity in named) return named[entity] as string;
    return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

export function parseMarkup(source: string, mode: 'xml' | 'html'): MarkupElement {
  const root: MarkupElement = { name: '#document', attributes: {}, children: [] };
  const stack: MarkupElement[] = [root];
  let at = 0;
  if (mode === 'html') {
    const doctype = /^<!DOCTYPE html>\s*/i.exec(source);
    if (!doctype) throw new Error('no <!DOCTYPE html>');
    at = doctype[0].length;
  }
  while (at < source.length) {
    const top = stack[stack.length - 1] as MarkupElement;
    const next = source.indexOf('<', at);
    const text = source.slice(at, next < 0 ? source.length : next);
    if (text !== '') {
      checkText(text, `text of <${top.name}>`);
      top.children.push(decode(text));
    }
    if (next < 0) break;
    at = next;
    if (source.startsWith('<!--', at)) {
      const end = source.indexOf('-->', at);
      if (end < 0) throw new Error('unterminated comment');
      at = end + 3;
      continue;
    }
    const close = /^<\/([A-Za-z][\w:-]*)\s*>/.exec(source.slice(at));
    if (close) {
      if (top.name !== close[1]) throw new Error(`</${close[1]}> closes <${top.name}>`);
      stack.pop();
      at += close[0].length;
      continue;
    }
    const open = /^<([A-Za-z][\w:-]*)/.exec(source.slice(at));
    if (!open) throw new Error(`raw < at ${at}: ${JSON.stringify(source.slice(at, at + 20))}`);
    const element: MarkupElement = { name: open[1] as string, attributes: {}, children: [] };
    at += open[0].length;
    for (;;) {
      const attribute = /^\s+([^\s=/>"'<]+)="([^"]*)"/.exec(source.slice(at));
      if (!attribute) break;
      const [whole, name, value] = attribute as unknown as [string, string, string];
      if (name in element.attributes) throw new Error(`duplicate attribute ${name} on <${element.name}>`);
      checkText(value, `attribute ${name} of <${element.name}>`);
      element.attributes[name] = decode(value);
      at += whole.length;
    }
    const end = /^\s*(\/?)>/.exec(source.slice(at));
    if (!end) throw new Error(`malformed tag <${element.name}> at ${at}: ${JSON.stringify(source.slice(at, at + 30))}`);
    at += end[0].length;
    top.children.push(element);
    const selfClosing = end[1] === '/' || (mode === 'html' && VOID.has(element.name));
    if (selfClosing) continue;
    if (mode === 'html' && RAW_TEXT.has(element.name)) {
      const endTag = source.indexOf(`</${element.name}>`, at);
      if (endTag < 0) throw new Error(`unterminated <${element.name}>`);
      element.children.push(source.slice(at, endTag));
      at = endTag + element.name.length + 3;
      continue;
    }
    stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${(stack[stack.length - 1] as MarkupElement).name}>`);
  const elements = root.children.filter((child): child is MarkupElement => typeof child !== 'string');
  if (elements.length !== 1) throw new Error(`${elements.length} root elements`);
  if (root.children.some((child) => typeof child === 'string' && child.trim() !== '')) throw new Error('text outside the root element');
  return elements[0] as MarkupElement;
}

/** Every element under `node` (itself included) that satisfies `test`, in document order. */
export function findElements(node: MarkupElement, test: (element: MarkupElement) => boolean): MarkupElement[] {
  const found: MarkupElement[] = test(node) ? [node] : [];
  for (const child of node.children) if (typeof child !== 'string') found.push(...findElements(child, test));
  return found;
}

/** The text content of `node`, decoded. */
export function textOf(node: MarkupElement): string {
  return node.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
}

/** The `<g class="… role-mark <name>_marks">` group Vega drew a named mark into, and how many items it holds. */
export function markItems(svg: MarkupElement, markName: string): number {
  const groups = findElements(svg, (e) => e.name === 'g' && (e.attributes.class ?? '').split(' ').includes(`${markName}_marks`));
  return groups.reduce((sum, group) => sum + group.children.filter((child) => typeof child !== 'string').length, 0);
}

/** Text as a reader sees it: elements separated by a space, runs of white space collapsed (the page's source is formatted by Prettier). */
export function readableText(node: MarkupElement): string {
  const pieces = node.children.map((child) => (typeof child === 'string' ? child : ` ${readableText(child)} `));
  return pieces.join('').replace(/\s+/g, ' ').trim();
}
