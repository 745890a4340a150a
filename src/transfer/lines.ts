// Lines of a byte stream, one chunk in memory at a time: the stream is only read when the consumer asks for the
// next line, so a large file is never held whole. A line longer than `maxLine` bytes is an error, not a buffer.

export interface Line {
  /** 1-based. */
  number: number;
  /** The line's bytes without its newline. */
  bytes: Buffer;
  /** False only for a last line the stream ended without a newline (a truncated file). */
  terminated: boolean;
}

export class LineTooLong extends Error {
  constructor(
    readonly lineNumber: number,
    maxLine: number,
  ) {
    super(`line ${lineNumber} is longer than ${maxLine} bytes`);
  }
}

export async function* lines(input: AsyncIterable<Uint8Array | string>, maxLine: number): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let number = 0;
  for await (const piece of input) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, end);
      const bytes = pendingLength ? Buffer.concat([...pending, part]) : part;
      pending = [];
      pendingLength = 0;
      number++;
      if (bytes.length > maxLine) throw new LineTooLong(number, maxLine);
      yield { number, bytes, terminated: true };
      start = end + 1;
    }
    if (start < chunk.length) {
      // Copied: the stream may reuse its chunk's memory.
      pending.push(Buffer.from(chunk.subarray(start)));
      pendingLength += chunk.length - start;
      if (pendingLength > maxLine) throw new LineTooLong(number + 1, maxLine);
    }
  }
  if (pendingLength) yield { number: number + 1, bytes: Buffer.concat(pending), terminated: false };
}
