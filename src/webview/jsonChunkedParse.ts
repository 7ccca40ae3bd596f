/**
 * `JSON.parse` in slices, for the multi-megabyte raw JSON: one native parse of 50 MB holds the
 * page for most of a second. This walks only the big containers itself and hands every value that
 * fits in `nativeLimit` characters to the native parser, so it costs little more than one
 * `JSON.parse` but never runs long without yielding. Pure: no DOM, tested in Node.
 */

interface Frame {
  container: unknown[] | Record<string, unknown>;
  isArray: boolean;
  /** The key whose value comes next (objects). */
  key: string | undefined;
  /** Whether a value was added (so a comma is expected before the next). */
  filled: boolean;
}

/** Values up to this many characters go to `JSON.parse` whole: about 2 ms each. */
const NATIVE_LIMIT = 256 * 1024;
const PRIMITIVE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const STRUCTURAL = /["[\]{}]/g;

export class ChunkedJsonParser {
  private i = 0;
  private readonly stack: Frame[] = [];
  private root: { value: unknown } | undefined;

  constructor(
    private readonly text: string,
    private readonly nativeLimit = NATIVE_LIMIT,
  ) {}

  /** How far it got, 0..1. */
  get progress(): number {
    return this.text.length === 0 ? 1 : this.i / this.text.length;
  }

  /** The parsed value; only after `step` returned true. */
  get value(): unknown {
    if (!this.root) {
      throw new Error('The JSON is not parsed yet.');
    }
    return this.root.value;
  }

  /** Parses for about `ms` milliseconds; true when done. Throws `SyntaxError` on malformed JSON. */
  step(ms: number): boolean {
    const end = performance.now() + ms;
    let n = 0;
    while (!this.done()) {
      this.advance();
      if ((++n & 15) === 0 && performance.now() > end) {
        return this.done();
      }
    }
    return true;
  }

  private done(): boolean {
    if (this.root && this.stack.length === 0) {
      this.skipWhitespace();
      if (this.i < this.text.length) {
        this.fail('unexpected text after the JSON value');
      }
      return true;
    }
    return false;
  }

  private advance(): void {
    this.skipWhitespace();
    const frame = this.stack[this.stack.length - 1];
    if (!frame) {
      this.parseValue();
      return;
    }
    const c = this.text[this.i];
    if (c === (frame.isArray ? ']' : '}')) {
      this.i++;
      this.stack.pop();
      this.attach(frame.container);
      return;
    }
    if (frame.filled) {
      if (c !== ',') {
        this.fail(`expected "," or "${frame.isArray ? ']' : '}'}"`);
      }
      this.i++;
      this.skipWhitespace();
    }
    if (!frame.isArray) {
      if (this.text[this.i] !== '"') {
        this.fail('expected a key');
      }
      frame.key = this.readString();
      this.skipWhitespace();
      if (this.text[this.i] !== ':') {
        this.fail('expected ":"');
      }
      this.i++;
      this.skipWhitespace();
    }
    this.parseValue();
  }

  private parseValue(): void {
    const c = this.text[this.i];
    if (c === '"') {
      this.attach(this.readString());
      return;
    }
    if (c === '{' || c === '[') {
      const close = this.findEnd(this.i);
      if (close >= 0) {
        this.attach(JSON.parse(this.text.slice(this.i, close + 1)));
        this.i = close + 1;
        return;
      }
      // Too big for one native parse: walk it.
      this.stack.push({ container: c === '[' ? [] : {}, isArray: c === '[', key: undefined, filled: false });
      this.i++;
      return;
    }
    PRIMITIVE.lastIndex = this.i;
    const m = PRIMITIVE.exec(this.text);
    if (!m) {
      this.fail('expected a value');
    }
    this.attach(JSON.parse(m[0]));
    this.i += m[0].length;
  }

  private attach(value: unknown): void {
    const frame = this.stack[this.stack.length - 1];
    if (!frame) {
      this.root = { value };
      return;
    }
    frame.filled = true;
    if (frame.isArray) {
      (frame.container as unknown[]).push(value);
    } else {
      // defineProperty, not assignment: a "__proto__" key must become a plain property, as JSON.parse makes it.
      Object.defineProperty(frame.container, frame.key as string, { value, writable: true, enumerable: true, configurable: true });
    }
  }

  private readString(): string {
    const close = this.stringEnd(this.i);
    const body = this.text.slice(this.i + 1, close);
    this.i = close + 1;
    return body.includes('\\') ? (JSON.parse(`"${body}"`) as string) : body;
  }

  /** The index of the quote closing the string that opens at `open`. */
  private stringEnd(open: number): number {
    let from = open + 1;
    for (;;) {
      const q = this.text.indexOf('"', from);
      if (q < 0) {
        this.fail('unterminated string');
      }
      let backslashes = 0;
      while (this.text.charCodeAt(q - 1 - backslashes) === 92) {
        backslashes++;
      }
      if (backslashes % 2 === 0) {
        return q;
      }
      from = q + 1;
    }
  }

  /** The index closing the container that opens at `open`, or -1 when it is longer than the native limit. */
  private findEnd(open: number): number {
    const limit = open + this.nativeLimit;
    let depth = 0;
    STRUCTURAL.lastIndex = open;
    for (;;) {
      const m = STRUCTURAL.exec(this.text);
      if (!m || m.index > limit) {
        return -1;
      }
      const c = m[0];
      if (c === '"') {
        STRUCTURAL.lastIndex = this.stringEnd(m.index) + 1;
      } else if (c === '{' || c === '[') {
        depth++;
      } else if (--depth === 0) {
        return m.index;
      }
    }
  }

  private skipWhitespace(): void {
    const t = this.text;
    let i = this.i;
    for (let c = t.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = t.charCodeAt(++i)) {
      // skip
    }
    this.i = i;
  }

  private fail(what: string): never {
    throw new SyntaxError(`JSON: ${what} at position ${this.i}`);
  }
}

/** Parses `text` without blocking: slices of `sliceMs`, yielding with `pause` between them. */
export async function parseJsonInSlices(text: string, pause: () => Promise<void>, onProgress?: (fraction: number) => void, sliceMs = 12): Promise<unknown> {
  const parser = new ChunkedJsonParser(text);
  while (!parser.step(sliceMs)) {
    onProgress?.(parser.progress);
    await pause();
  }
  return parser.value;
}
