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
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const streamAt = body.search(/\bstream\r?\n/);
    let stream: Buffer | null = null;
    let dict = body;
    if (streamAt >= 0) {
      dict = body.slice(0, streamAt);
      const dataStart = start + streamAt + body.slice(streamAt).indexOf('\n') + 1;
      const length = Number(/\/Length (\d+)(?! \d+ R)/.exec(dict)?.[1] ?? NaN);
      const raw = Number.isFinite(length) ? pdf.subarray(dataStart, dataStart + length) : pdf.subarray(dataStart, start + body.lastIndexOf('endstream'));
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

/** The text of each page, in drawing order, one line per text object (BT … ET). */
export function pdfPages(pdf: Buffer): string[] {
  const objects = readObjects(pdf);
  const pages = [...objects.values()].filter((o) => /\/Type\s*\/Page(?![a-zA-Z])/.test(o.dict));
  return pages.map((page) => {
    const fonts = new Map<string, CMap | undefined>();
    const fontDict = /\/Font\s*<<([^>]*)>>/.exec(page.dict)?.[1] ?? '';
    for (const [, name, num] of fontDict.matchAll(/\/([^\s/]+)\s+(\d+) 0 R/g)) {
      const font = objects.get(Number(num));
      const toUnicode = font ? ref(font.dict, 'ToUnicode') : null;
      const cmapStream = toUnicode === null ? null : objects.get(toUnicode)?.stream;
      fonts.set(name!, cmapStream ? parseCMap(cmapStream.toString('latin1')) : undefined);
    }
    const contentRefs = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? '';
    const content = [...contentRefs.matchAll(/(\d+) 0 R/g)]
      .map((r) => objects.get(Number(r[1]))?.stream?.toString('latin1') ?? '')
      .join('\n');
    const lines: string[] = [];
    let line = '';
    let font: CMap | undefined;
    // Marked content: Skia wraps a glyph whose code point it cannot name exactly (月 drawn with the
    // glyph it shares with the radical ⽉) in `/Span <</ActualText <FEFF6708>>> BDC … EMC`. The
    // ActualText is the text; the glyphs inside the span are not read again.
    let depth = 0;
    let actualAt: number | null = null;
    let expectActual = false;
    for (const [token] of content.matchAll(/\/[^\s/<>[\]()]+|<[0-9A-Fa-f\s]*>|\[|\]|[A-Za-z'"*]+|[-+.\d]+/g)) {
      if (token.startsWith('/')) {
        if (token === '/ActualText') expectActual = true;
        else if (fonts.has(token.slice(1))) font = fonts.get(token.slice(1));
      } else if (token.startsWith('<')) {
        const hex = token.slice(1, -1).replace(/\s/g, '');
        if (expectActual) {
          line += utf16(hex.replace(/^FEFF/i, ''));
          expectActual = false;
          actualAt = depth + 1; // the span opens with the BDC that follows its dictionary
        } else if (actualAt === null) {
          line += decode(hex, font);
        }
      } else if (token === 'BDC' || token === 'BMC') {
        depth++;
      } else if (token === 'EMC') {
        if (actualAt === depth) actualAt = null;
        depth = Math.max(0, depth - 1);
      } else if (token === 'ET') {
        lines.push(line);
        line = '';
      }
    }
    return lines.filter(Boolean).join('\n');
  });
}
