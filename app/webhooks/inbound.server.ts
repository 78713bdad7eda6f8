import type { IncomingMessage, ServerResponse } from "node:http";
import type { HeaderReader } from "./verify-webhook.server";

/**
 * A webhook request, whichever server received it: the Express layer in production
 * (server/http-app.ts) or a Remix route (the Vite dev server under `shopify app dev`). One
 * handler works on this, so both answer alike.
 */
export interface InboundRequest {
  method: string;
  header: HeaderReader;
  /**
   * The raw body bytes. Once the declared or the counted size passes `limitBytes`, reads what is
   * left of the body and throws it away (within DISCARD_LIMITS), then rejects with
   * BodyTooLargeError: answering while the sender is still sending gets the answer lost in a
   * reset connection.
   */
  readBody(limitBytes: number): Promise<Buffer>;
  /** For an answer given without reading the body: read it to its end and throw it away, as above. */
  discardBody(): Promise<void>;
}

/** What the handler answers; the adapters turn it into a Response or write it to the socket. */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export const textAnswer = (status: number, message: string): Answer => ({
  status,
  contentType: "text/plain; charset=utf-8",
  body: message,
});

export const jsonAnswer = (status: number, value: unknown): Answer => ({
  status,
  contentType: "application/json; charset=utf-8",
  body: JSON.stringify(value),
});

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Request body is larger than ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** The client went away before sending the whole body: there is nobody to answer. */
export class RequestAbortedError extends Error {
  constructor() {
    super("The client closed the connection before sending the whole body");
    this.name = "RequestAbortedError";
  }
}

/**
 * How much of a refused body is read and dropped before answering. Node closes the connection
 * after answering a request whose body it has not read, or when the client asked for it, and
 * closing a socket with unread data makes the kernel send a reset that can take the answer with
 * it (RFC 9112 §9.6). A sender that goes on past these bounds is answered and cut off.
 */
export const DISCARD_LIMITS = { bytes: 16 * 1024 * 1024, ms: 10_000 };

const declaredLength = (header: HeaderReader) => {
  const value = header("content-length");
  return value === null ? null : Number(value);
};

// ---- Fetch API (Remix routes) ----

export function fromFetchRequest(request: Request): InboundRequest {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const getReader = () => (reader ??= request.body?.getReader());
  const header: HeaderReader = (name) => request.headers.get(name);
  const discardBody = async () => {
    const body = getReader();
    if (body) await discardStream(body);
  };
  return {
    method: request.method,
    header,
    discardBody,
    async readBody(limitBytes) {
      if ((declaredLength(header) ?? 0) > limitBytes) {
        await discardBody();
        throw new BodyTooLargeError(limitBytes);
      }
      const body = getReader();
      if (!body) return Buffer.alloc(0);
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await body.read();
        if (done) return Buffer.concat(chunks, total);
        total += value.byteLength;
        if (total > limitBytes) {
          await discardStream(body);
          throw new BodyTooLargeError(limitBytes);
        }
        chunks.push(value);
      }
    },
  };
}

/** Reads the rest of a body and drops it; past DISCARD_LIMITS, cancels it (the socket goes too). */
async function discardStream(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const cutOff = () => void reader.cancel().catch(() => undefined);
  const timer = setTimeout(cutOff, DISCARD_LIMITS.ms);
  let discarded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      discarded += value.byteLength;
      if (discarded > DISCARD_LIMITS.bytes) return cutOff();
    }
  } catch {
    // the sender went away, or was cut off: nothing left to discard
  } finally {
    clearTimeout(timer);
  }
}

export function toFetchResponse(answer: Answer): Response {
  return new Response(answer.body, {
    status: answer.status,
    headers: { "Content-Type": answer.contentType },
  });
}

// ---- node:http (the Express layer) ----

/** Requests whose sender went on past DISCARD_LIMITS: answered, then disconnected. */
const cutOff = new WeakSet<IncomingMessage>();

export function fromNodeRequest(request: IncomingMessage): InboundRequest {
  const header: HeaderReader = (name) => {
    const value = request.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  };
  const discardBody = () => discardNodeBody(request);
  return {
    method: request.method ?? "GET",
    header,
    discardBody,
    async readBody(limitBytes) {
      if ((declaredLength(header) ?? 0) > limitBytes) {
        await discardBody();
        throw new BodyTooLargeError(limitBytes);
      }
      const body = await new Promise<Buffer | null>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let total = 0;
        const stop = () => {
          request.off("data", onData);
          request.off("end", onEnd);
          request.off("error", onError);
          request.off("close", onClose);
        };
        const onData = (chunk: Buffer) => {
          total += chunk.byteLength;
          if (total <= limitBytes) return void chunks.push(chunk);
          stop();
          resolve(null);
        };
        const onEnd = () => {
          stop();
          resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
        };
        const onError = (error: Error) => {
          stop();
          reject(error);
        };
        const onClose = () => {
          stop();
          reject(new RequestAbortedError());
        };
        request.on("data", onData);
        request.once("end", onEnd);
        request.once("error", onError);
        request.once("close", onClose);
      });
      if (body) return body;
      await discardBody();
      throw new BodyTooLargeError(limitBytes);
    },
  };
}

function discardNodeBody(request: IncomingMessage): Promise<void> {
  if (request.readableEnded || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let discarded = 0;
    const done = () => {
      clearTimeout(timer);
      request.off("data", onData);
      request.off("end", done);
      request.off("close", done);
      resolve();
    };
    const giveUp = () => {
      cutOff.add(request);
      request.pause();
      done();
    };
    const timer = setTimeout(giveUp, DISCARD_LIMITS.ms);
    const onData = (chunk: Buffer) => {
      discarded += chunk.byteLength;
      if (discarded > DISCARD_LIMITS.bytes) giveUp();
    };
    request.on("data", onData);
    request.once("end", done);
    request.once("close", done);
    request.resume();
  });
}

export function sendNodeAnswer(response: ServerResponse, answer: Answer): void {
  if (response.headersSent || response.destroyed) return;
  const body = Buffer.from(answer.body, "utf8");
  const disconnect = cutOff.has(response.req);
  response.writeHead(answer.status, {
    "Content-Type": answer.contentType,
    "Content-Length": body.byteLength,
    ...(disconnect ? { Connection: "close" } : {}),
  });
  response.end(body, () => {
    if (disconnect) response.req.destroy();
  });
}
