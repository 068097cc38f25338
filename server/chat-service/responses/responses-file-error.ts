/**
 * A responses file cannot be read or breaks the format (docs/responses-format.md). At start-up it
 * stops the Chat Service; on a later change it is logged and the last good responses stay.
 */
export class ResponsesFileError extends Error {
  override readonly name = 'ResponsesFileError';

  constructor(
    readonly file: string,
    /** 1-based line of the problem; null when the file as a whole is the problem. */
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
  }
}
