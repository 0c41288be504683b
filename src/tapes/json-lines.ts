/**
 * Finds the line of a JSON path inside JSON text, so a schema error in a `.tape.json` file can name
 * its line as well as its field. Only used on the error path; a small recursive scanner over
 * text that JSON.parse already accepted.
 */
export type JsonPath = readonly (string | number)[];

/** Map from path key (see `pathKey`) to 1-based line of the value's first character. */
export function indexJsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let pos = 0;
  let line = 1;

  const skipWs = (): void => {
    while (pos < text.length) {
      const c = text[pos]!;
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      pos++;
    }
  };
  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const value = (path: (string | number)[]): void => {
    skipWs();
    lines.set(pathKey(path), line);
    const c = text[pos];
    if (c === '{') {
      pos++;
      skipWs();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        skipWs();
        const key = readString();
        skipWs();
        pos++; // colon
        value([...path, key]);
        skipWs();
        if (text[pos++] === '}') return;
      }
    } else if (c === '[') {
      pos++;
      skipWs();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (let i = 0; ; i++) {
        value([...path, i]);
        skipWs();
        if (text[pos++] === ']') return;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (pos < text.length && !/[\s,\]}]/.test(text[pos]!)) pos++;
    }
  };
  value([]);
  return lines;
}

export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/** Line of the deepest existing prefix of `path`, or null. */
export function lineOf(index: Map<string, number>, path: JsonPath): number | null {
  for (let n = path.length; n >= 0; n--) {
    const line = index.get(pathKey(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return null;
}

/** `events[3].answer.kind` style rendering of a path. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(root)';
}
