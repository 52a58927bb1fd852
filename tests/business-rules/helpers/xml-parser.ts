/**
 * A strict, minimal XML 1.0 well-formedness parser for the tests (no DTDs, no namespaces checks):
 * one root, matched tags, quoted unique attributes, no raw `<` or `&` in text or attributes, only the
 * five predefined entities and character references, legal XML characters only. Throws with the
 * offset on the first violation; returns the element tree with decoded text.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

const NAME = /[A-Za-z_:][A-Za-z0-9_.:-]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function legalChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

export function parseXml(xml: string): XmlElement {
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`XML not well-formed at offset ${pos}: ${why} (near ${JSON.stringify(xml.slice(pos, pos + 40))})`);
  };
  for (const ch of xml) if (!legalChar(ch.codePointAt(0)!)) fail(`illegal character U+${ch.codePointAt(0)!.toString(16)}`);

  const ws = () => {
    while (pos < xml.length && ' \t\r\n'.includes(xml[pos]!)) pos++;
  };
  const name = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(xml);
    if (!m) fail('expected a name');
    pos += m![0].length;
    return m![0];
  };
  const decode = (raw: string, inAttribute: boolean): string =>
    raw.replace(/&([^;]*);?/g, (all, ref: string) => {
      if (!all.endsWith(';')) fail(`unterminated reference "${all}"`);
      if (ref in ENTITIES) return ENTITIES[ref]!;
      const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ref);
      if (!m) fail(`unknown entity "&${ref};"`);
      const cp = m![1] ? parseInt(m![1], 16) : parseInt(m![2]!, 10);
      if (!legalChar(cp)) fail(`illegal character reference ${all}`);
      return String.fromCodePoint(cp);
    }).replace(inAttribute ? /[\t\n\r]/g : /$^/g, ' ');
  const skipUntil = (end: string, what: string): string => {
    const i = xml.indexOf(end, pos);
    if (i < 0) fail(`unterminated ${what}`);
    const body = xml.slice(pos, i);
    pos = i + end.length;
    return body;
  };
  const misc = (): boolean => {
    if (xml.startsWith('<!--', pos)) {
      pos += 4;
      if (skipUntil('-->', 'comment').includes('--')) fail('"--" inside a comment');
      return true;
    }
    if (xml.startsWith('<?', pos)) {
      pos += 2;
      if (name().toLowerCase() === 'xml') fail('XML declaration not at the start');
      skipUntil('?>', 'processing instruction');
      return true;
    }
    if (xml.startsWith('<!', pos)) fail('DTDs and other declarations are not supported');
    return false;
  };

  const element = (): XmlElement => {
    if (xml[pos] !== '<') fail('expected "<"');
    pos++;
    const el: XmlElement = { name: name(), attributes: {}, children: [] };
    for (;;) {
      const before = pos;
      ws();
      if (xml.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (xml[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) fail('expected whitespace before an attribute');
      const attr = name();
      ws();
      if (xml[pos] !== '=') fail('expected "="');
      pos++;
      ws();
      const quote = xml[pos];
      if (quote !== '"' && quote !== "'") fail('attribute value must be quoted');
      pos++;
      const raw = skipUntil(quote!, 'attribute value');
      if (raw.includes('<')) fail('"<" in an attribute value');
      if (attr in el.attributes) fail(`duplicate attribute ${attr}`);
      el.attributes[attr] = decode(raw, true);
    }
    for (;;) {
      if (pos >= xml.length) fail(`unclosed element <${el.name}>`);
      if (xml.startsWith('</', pos)) {
        pos += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        ws();
        if (xml[pos] !== '>') fail('expected ">"');
        pos++;
        return el;
      }
      if (xml.startsWith('<![CDATA[', pos)) {
        pos += 9;
        el.children.push(skipUntil(']]>', 'CDATA section'));
      } else if (misc()) {
        // comment or processing instruction
      } else if (xml[pos] === '<') {
        el.children.push(element());
      } else {
        const end = xml.indexOf('<', pos);
        const raw = xml.slice(pos, end < 0 ? xml.length : end);
        if (raw.includes(']]>')) fail('"]]>" in text');
        el.children.push(decode(raw, false));
        pos += raw.length;
      }
    }
  };

  if (xml.charCodeAt(0) === 0xfeff) pos = 1;
  if (xml.startsWith('<?xml', pos)) {
    const decl = skipUntil('?>', 'XML declaration');
    if (!/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*$/.test(decl)) {
      fail('malformed XML declaration');
    }
  }
  do ws(); while (misc());
  const root = element();
  do ws(); while (misc());
  if (pos !== xml.length) fail('content after the root element');
  return root;
}

/** The element children of `el` named `name`. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** The one child named `name` (throws if there is not exactly one). */
export function child(el: XmlElement, name: string): XmlElement {
  const found = childrenNamed(el, name);
  if (found.length !== 1) throw new Error(`<${el.name}> has ${found.length} <${name}> children`);
  return found[0]!;
}

/** The text content of an element (decoded, CDATA included). */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
