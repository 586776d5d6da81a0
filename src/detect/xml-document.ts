import { DOMParser, type Element } from '@xmldom/xmldom';

/** An element of an XML file as detect reads it: its text (trimmed) and the 1-based line its start tag is on. */
export interface XmlElement {
  text: string;
  line: number;
}

/** An XML file's root element, read with @xmldom/xmldom (positions kept; comments and CDATA handled by it). */
export interface XmlDocument {
  /** The root element's tag name (`VirtualHost`, `RaiseFault`). */
  root: string;
  /** The root element's line (1-based). */
  rootLine: number;
  /** An attribute of the root element, or undefined when it is not written. */
  attribute(name: string): string | undefined;
  /** Every element named `name` below the root, in document order. */
  elements(name: string): XmlElement[];
}

/**
 * Parses `text` as XML (Apigee proxy bundles and environment files). Undefined when it is not well-formed XML
 * (the parser's fatal errors: mismatched tags, no root element); warnings and recoverable errors are ignored.
 * Never throws.
 */
export function parseXml(text: string): XmlDocument | undefined {
  let root: Element | null;
  try {
    const document = new DOMParser({ onError: () => undefined }).parseFromString(text, 'text/xml');
    root = document.documentElement;
  } catch {
    return undefined;
  }
  if (!root) return undefined;
  const element = root;
  return {
    root: element.tagName,
    rootLine: element.lineNumber ?? 1,
    attribute: (name) => (element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined),
    elements: (name) =>
      Array.from(element.getElementsByTagName(name), (found) => ({
        text: (found.textContent ?? '').trim(),
        line: found.lineNumber ?? 1,
      })),
  };
}
