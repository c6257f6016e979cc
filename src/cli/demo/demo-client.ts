/** A minimal client of Assay's HTTP API for the demo: bearer token, JSON in and out, errors with their code. */
export class DemoApiError extends Error {
  override readonly name = 'DemoApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class DemoClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, body);
  }

  async upload<T>(path: string, csv: string): Promise<T> {
    return this.parse<T>(await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: { ...this.auth(), 'Content-Type': 'text/csv' }, body: csv }), 'POST', path);
  }

  async text(path: string): Promise<string> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: this.auth() });
    if (!response.ok) await this.parse(response, 'GET', path);
    return response.text();
  }

  async bytes(path: string): Promise<Buffer> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: this.auth() });
    if (!response.ok) await this.parse(response, 'GET', path);
    return Buffer.from(await response.arrayBuffer());
  }

  private auth(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}` };
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { ...this.auth(), Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return this.parse<T>(await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), method, path);
  }

  private async parse<T>(response: Response, method: string, path: string): Promise<T> {
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new DemoApiError(response.status, error?.code ?? 'HTTP_ERROR', `${method} ${path} → ${response.status} ${error?.code ?? ''}: ${error?.message ?? text}`);
    }
    return json as T;
  }
}
