/** A resource file that cannot be used, pointing at the line an administrator has to fix. */
export class ResourceFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'ResourceFileError';
  }
}
