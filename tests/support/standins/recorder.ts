import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One file of a multipart request. */
export interface RecordedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Every request a stand-in received, parsed like the real API would parse it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** JSON body, urlencoded fields, or multipart text fields (with `payload_json` parsed when present). */
  body: Record<string, unknown>;
  files: Record<string, RecordedFile>;
  raw: Buffer;
  at: number;
  /** Status the stand-in answered with (set once answered). */
  status?: number;
}

export interface CannedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Parse JSON, urlencoded or multipart/form-data (through the WHATWG Request parser). */
export async function parseRequest(req: IncomingMessage, raw: Buffer): Promise<Pick<RecordedRequest, 'body' | 'files'>> {
  const type = String(req.headers['content-type'] ?? '');
  const files: Record<string, RecordedFile> = {};
  if (raw.length === 0) return { body: {}, files };
  if (type.includes('application/json')) return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files };
  if (type.includes('application/x-www-form-urlencoded')) return { body: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files };
  if (type.includes('multipart/form-data')) {
    const form = await new Request('http://standin.local/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    const body: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        body[key] = key === 'payload_json' ? JSON.parse(value) : value;
      } else {
        files[key] = { filename: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) };
      }
    }
    return { body, files };
  }
  return { body: { raw: raw.toString('utf8') }, files };
}

export type Handler = (req: RecordedRequest) => CannedResponse | Promise<CannedResponse>;

/**
 * A node:http server on 127.0.0.1:0 that records each request and answers with `handler`.
 * Faults queued with `failNext(key, …)` answer instead of the handler, once each, in order.
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private readonly faults = new Map<string, CannedResponse[]>();
  private readonly listeners = new Set<() => void>();
  url = '';

  constructor(
    private readonly handler: Handler,
    /** Key of a request for fault injection (e.g. the Telegram method name). */
    private readonly keyOf: (req: RecordedRequest) => string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.serve(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Answer the next `count` requests with this key by `response` instead of the normal handler. */
  failNext(key: string, response: CannedResponse, count = 1): void {
    const list = this.faults.get(key) ?? [];
    for (let i = 0; i < count; i++) list.push(response);
    this.faults.set(key, list);
  }

  /** Requests whose key is `key`. */
  calls(key: string): RecordedRequest[] {
    return this.requests.filter((r) => this.keyOf(r) === key);
  }

  /** Resolve once `predicate` holds for the recorded requests (checked on every new request). */
  async waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs = 5_000): Promise<void> {
    if (predicate(this.requests)) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (predicate(this.requests)) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`stand-in: condition not met within ${timeoutMs} ms (${this.requests.length} requests: ${this.requests.map((r) => this.keyOf(r)).join(', ')})`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://standin.local');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const parsed = await parseRequest(req, raw);
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, raw, at: Date.now(), ...parsed };
      this.requests.push(recorded);
      const fault = this.faults.get(this.keyOf(recorded))?.shift();
      const answer = fault ?? (await this.handler(recorded));
      recorded.status = answer.status;
      for (const l of [...this.listeners]) l();
      this.write(res, answer);
    } catch (err) {
      this.write(res, { status: 500, body: { error: String(err) } });
    }
  }

  private write(res: ServerResponse, answer: CannedResponse): void {
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...(answer.headers ?? {}) };
    let payload: string | Buffer | undefined;
    if (answer.body instanceof Buffer) payload = answer.body;
    else if (answer.body !== undefined) {
      payload = JSON.stringify(answer.body);
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(answer.status, headers);
    res.end(payload);
  }
}
