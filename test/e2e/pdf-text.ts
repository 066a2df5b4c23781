/**
 * Just enough PDF reading to check what Chromium's `page.pdf()` printed: the page objects and the
 * text each page draws, decoded through each font's ToUnicode CMap (Skia writes Type 0 and Type 3
 * fonts with hex strings, uncompressed object tables and Flate streams). Not a general parser.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  readonly dict: string;
  readonly stream: Buffer | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const head = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = head.exec(text))) {
    const start = m.index + m[0].length;
    let end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const streamAt = body.search(/\bstream\r?\n/);
    let stream: Buffer | null = null;
    let dict = body;
    if (streamAt >= 0) {
      dict = body.slice(0, streamAt);
      const dataStart = start + streamAt + body.slice(streamAt).indexOf('\n') + 1;
      // A direct length only: `/Length 12 0 R` names an object, not a length.
      const length = Number(/\/Length (\d+)(?!\d| \d+ R)/.exec(dict)?.[1] ?? NaN);
      const dataEnd = Number.isFinite(length) ? dataStart + length : text.indexOf('endstream', dataStart);
      // Compressed bytes may happen to spell `endobj`: the object ends after its stream.
      end = text.indexOf('endobj', dataEnd);
      if (end < 0) break;
      const raw = pdf.subarray(dataStart, dataEnd);
      stream = /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw;
    }
    objects.set(Number(m[1]), { dict, stream });
    head.lastIndex = end;
  }
  return objects;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

function utf16(hex: string): string {
  let out = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
}

interface CMap {
  readonly bytes: number;
  readonly map: Map<number, string>;
}

function parseCMap(source: string): CMap {
  const range = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(source);
  const bytes = range ? range[1]!.length / 2 : 2;
  const map = new Map<number, string>();
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) map.set(parseInt(src!, 16), utf16(dst!));
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst, list] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]*)>|\[([^\]]*)\])/g)) {
      const from = parseInt(lo!, 16);
      const to = parseInt(hi!, 16);
      if (dst !== undefined) {
        const base = utf16(dst);
        const last = base.charCodeAt(base.length - 1);
        for (let c = from; c <= to; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(last + c - from));
      } else {
        const items = [...list!.matchAll(/<([0-9A-Fa-f]*)>/g)].map((x) => utf16(x[1]!));
        items.forEach((s, i) => map.set(from + i, s));
      }
    }
  }
  return { bytes, map };
}

function decode(hex: string, cmap: CMap | undefined): string {
  const width = (cmap?.bytes ?? 1) * 2;
  let out = '';
  for (let i = 0; i + width <= hex.length; i += width) {
    const code = parseInt(hex.slice(i, i + width), 16);
    out += cmap?.map.get(code) ?? '\uFFFD';
  }
  return out;
}

/** A dictionary entry's value: `<< … >>` written in place, or the dictionary of the object it refers to. */
function subDict(objects: Map<number, PdfObject>, dict: string, key: string): string {
  const at = dict.search(new RegExp(`/${key}(?![A-Za-z])`));
  if (at < 0) return '';
  const rest = dict.slice(at + key.length + 1).trimStart();
  const indirect = /^(\d+) 0 R/.exec(rest);
  if (indirect) return objects.get(Number(indirect[1]))?.dict ?? '';
  if (!rest.startsWith('<<')) return '';
  let depth = 0;
  for (let i = 0; i < rest.length - 1; i++) {
    if (rest.startsWith('<<', i)) { depth++; i++; }
    else if (rest.startsWith('>>', i)) { depth--; i++; if (depth === 0) return rest.slice(2, i - 1); }
  }
  return rest.slice(2);
}

/** A page's resources: its own, or the nearest ancestor's in the page tree (PDF 32000-1, 7.7.3.4). */
function pageResources(objects: Map<number, PdfObject>, page: PdfObject): string {
  let node: PdfObject | undefined = page;
  for (let hops = 0; node && hops < 32; hops++) {
    const resources = subDict(objects, node.dict, 'Resources');
    if (resources) return resources;
    const parent = ref(node.dict, 'Parent');
    node = parent === null ? undefined : objects.get(parent);
  }
  return '';
}

interface Reader {
  readonly objects: Map<number, PdfObject>;
  readonly lines: string[];
  line: string;
}

/**
 * Reads one content stream with its resources: text objects through their fonts' ToUnicode CMaps,
 * and form XObjects (`/Name Do`) with their own resources, where Chromium may draw a page's
 * content instead of in the page's stream.
 */
function readContent(reader: Reader, content: string, resources: string, depthLeft: number): void {
  const { objects } = reader;
  const fonts = new Map<string, CMap | undefined>();
  for (const [, name, num] of subDict(objects, resources, 'Font').matchAll(/\/([^\s/]+)\s+(\d+) 0 R/g)) {
    const font = objects.get(Number(num));
    const toUnicode = font ? ref(font.dict, 'ToUnicode') : null;
    const cmapStream = toUnicode === null ? null : objects.get(toUnicode)?.stream;
    fonts.set(name!, cmapStream ? parseCMap(cmapStream.toString('latin1')) : undefined);
  }
  const forms = new Map<string, PdfObject>();
  for (const [, name, num] of subDict(objects, resources, 'XObject').matchAll(/\/([^\s/]+)\s+(\d+) 0 R/g)) {
    const xobject = objects.get(Number(num));
    if (xobject?.stream && /\/Subtype\s*\/Form/.test(xobject.dict)) forms.set(name!, xobject);
  }
  let font: CMap | undefined;
  let lastName: string | null = null;
  // Marked content: Skia wraps a glyph whose code point it cannot name exactly (月 drawn with the
  // glyph it shares with the radical ⽉) in `/Span <</ActualText <FEFF6708>>> BDC … EMC`. The
  // ActualText is the text; the glyphs inside the span are not read again.
  let depth = 0;
  let actualAt: number | null = null;
  let expectActual = false;
  for (const [token] of content.matchAll(/\/[^\s/<>[\]()]+|<[0-9A-Fa-f\s]*>|\[|\]|[A-Za-z'"*]+|[-+.\d]+/g)) {
    if (token.startsWith('/')) {
      lastName = token.slice(1);
      if (token === '/ActualText') expectActual = true;
      else if (fonts.has(lastName)) font = fonts.get(lastName);
      continue;
    }
    if (token.startsWith('<')) {
      const hex = token.slice(1, -1).replace(/\s/g, '');
      if (expectActual) {
        reader.line += utf16(hex.replace(/^FEFF/i, ''));
        expectActual = false;
        actualAt = depth + 1; // the span opens with the BDC that follows its dictionary
      } else if (actualAt === null) {
        reader.line += decode(hex, font);
      }
    } else if (token === 'BDC' || token === 'BMC') {
      depth++;
    } else if (token === 'EMC') {
      if (actualAt === depth) actualAt = null;
      depth = Math.max(0, depth - 1);
    } else if (token === 'ET') {
      reader.lines.push(reader.line);
      reader.line = '';
    } else if (token === 'Do' && lastName !== null && depthLeft > 0) {
      const form = forms.get(lastName);
      // A form without resources of its own uses those of the stream that draws it.
      if (form) readContent(reader, form.stream!.toString('latin1'), subDict(objects, form.dict, 'Resources') || resources, depthLeft - 1);
    }
    lastName = null;
  }
}

/** The text of each page, in drawing order, one line per text object (BT … ET). */
export function pdfPages(pdf: Buffer): string[] {
  const objects = readObjects(pdf);
  const pages = [...objects.values()].filter((o) => /\/Type\s*\/Page(?![a-zA-Z])/.test(o.dict));
  return pages.map((page) => {
    const contentRefs = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? '';
    const content = [...contentRefs.matchAll(/(\d+) 0 R/g)]
      .map((r) => objects.get(Number(r[1]))?.stream?.toString('latin1') ?? '')
      .join('\n');
    const reader: Reader = { objects, lines: [], line: '' };
    readContent(reader, content, pageResources(objects, page), 8);
    return reader.lines.filter(Boolean).join('\n');
  });
}

/** What a PDF holds, for a test's failure message when the text read back is not what it expects. */
export function pdfOutline(pdf: Buffer): string {
  const objects = readObjects(pdf);
  const count = (re: RegExp) => [...objects.values()].filter((o) => re.test(o.dict)).length;
  return `${pdf.length} bytes, ${objects.size} objects, ${count(/\/Type\s*\/Page(?![a-zA-Z])/)} pages, ` +
    `${count(/\/Type\s*\/Font(?![a-zA-Z])/)} fonts, ${count(/\/Subtype\s*\/Form/)} form XObjects, ${count(/\/Subtype\s*\/Image/)} images`;
}
