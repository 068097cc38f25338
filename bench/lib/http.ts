import { Pool } from 'undici';

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * JSON over HTTP to one origin, the way CustomerChat's own client does it: a keep-alive pool with
 * no cap on connections and one request per connection at a time (a held long-poll never blocks
 * another request).
 */
export class JsonClient {
  private readonly pool: Pool;

  constructor(baseUrl: string) {
    this.pool = new Pool(new URL(baseUrl).origin, { connections: null, pipelining: 1 });
  }

  async post(
    path: string,
    body: object,
    options: { token?: string; signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<JsonAnswer> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const response = await this.pool.request({
      method: 'POST',
      path,
      headers: {
        'content-type': 'application/json',
        ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      },
      body: JSON.stringify(body),
      signal: options.signal ?? null,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: response.statusCode, body: parsed };
  }

  async get(path: string, timeoutMs = 10_000): Promise<number> {
    const response = await this.pool.request({
      method: 'GET',
      path,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    return response.statusCode;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** Keeps the first few distinct failure messages of a scenario, for the report. */
export class ErrorLog {
  readonly counts = new Map<string, number>();

  add(what: string, error: unknown): void {
    const text = `${what}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200);
    if (this.counts.size < 20 || this.counts.has(text))
      this.counts.set(text, (this.counts.get(text) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  toJSON(): Array<{ error: string; count: number }> {
    return [...this.counts].map(([error, count]) => ({ error, count }));
  }
}
