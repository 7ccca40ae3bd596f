/**
 * Counting tokens without freezing anything: texts are cut into pieces at places where the
 * tokenizer would split anyway, pieces are counted one after another, and the counter yields to
 * the event loop whenever a time slice is used up. Works alike in Node (extension host, worker)
 * and in a browser: it needs only `setTimeout` and `performance.now`. Pure: no `vscode`, no DOM.
 */

/** Counts the tokens of one (short) text. */
export type EncodeCount = (text: string) => number;

/** The encodings of OpenAI's public tokenizers that the tokenizer bundle holds. */
export type Encoding = 'o200k_base' | 'cl100k_base';

/** Counts many texts with one encoding, asynchronously. */
export type TokenCounter = (texts: readonly string[], encoding: Encoding) => Promise<number[]>;

/**
 * How long a piece may be. BPE on one long pre-token (a run of letters with no space, say) costs
 * time that grows with the square of its length (8,000 × `a` took 72 ms here, 64,000 took 3.6 s),
 * so a piece is short, and a text without a boundary is cut hard at `HARD_CUT`.
 */
export const PIECE_CHARS = 4096;
export const HARD_CUT = 2048;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12 || code === 160;
}

/**
 * Where the text may be cut without changing the count: before a single space between two
 * non-space characters (the space starts the next word's token), or after a newline that a
 * non-space follows (newline runs are their own tokens in cl100k and o200k).
 */
function isBoundary(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) {
    return false;
  }
  const before = text.charCodeAt(i - 1);
  const at = text.charCodeAt(i);
  if (isSpace(at) && at !== 10 && at !== 13) {
    return at === 32 && !isSpace(before) && i + 1 < text.length && !isSpace(text.charCodeAt(i + 1));
  }
  return before === 10 && !isSpace(at);
}

/** Never splits a surrogate pair (a hard cut would otherwise halve an emoji). */
function safeCut(text: string, i: number): number {
  const code = text.charCodeAt(i - 1);
  return code >= 0xd800 && code <= 0xdbff ? i - 1 : i;
}

/** The pieces of `text`, each at most `PIECE_CHARS` long, joined they give the text back. */
export function splitForCounting(text: string, pieceChars = PIECE_CHARS, hardCut = HARD_CUT): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > pieceChars) {
    let cut = -1;
    for (let i = start + pieceChars; i > start + (pieceChars >> 1); i--) {
      if (isBoundary(text, i)) {
        cut = i;
        break;
      }
    }
    if (cut < 0) {
      cut = safeCut(text, start + hardCut);
    }
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  if (start < text.length || pieces.length === 0) {
    pieces.push(text.slice(start));
  }
  return pieces;
}

/** How long the counter runs before it yields (the 50 ms budget with room to spare). */
export const SLICE_MS = 12;

const now = (): number => performance.now();
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export interface CountOptions {
  sliceMs?: number;
  /** Called with each slice's duration: the benchmark's "longest block". */
  onSlice?: (ms: number) => void;
  /** Checked between slices; counting stops with an `AbortError` once it is set. */
  signal?: { aborted: boolean };
}

/** Counts each text with `encode`, piece by piece, yielding between time slices. */
export async function countTokensChunked(texts: readonly string[], encode: EncodeCount, options: CountOptions = {}): Promise<number[]> {
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const counts: number[] = [];
  let sliceStart = now();
  const maybeYield = async () => {
    const elapsed = now() - sliceStart;
    if (elapsed >= sliceMs) {
      options.onSlice?.(elapsed);
      await yieldToLoop();
      if (options.signal?.aborted) {
        throw Object.assign(new Error('Token counting was cancelled.'), { name: 'AbortError' });
      }
      sliceStart = now();
    }
  };
  for (const text of texts) {
    let total = 0;
    if (text.length <= PIECE_CHARS) {
      total = text === '' ? 0 : encode(text);
      await maybeYield();
    } else {
      for (const piece of splitForCounting(text)) {
        total += encode(piece);
        await maybeYield();
      }
    }
    counts.push(total);
  }
  options.onSlice?.(now() - sliceStart);
  return counts;
}
