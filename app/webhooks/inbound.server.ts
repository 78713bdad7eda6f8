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
   * The raw body bytes. Rejects with BodyTooLargeError as soon as the declared or the counted
   * size passes `limitBytes`; what is left of the body is then read and thrown away (see
   * discardRest), so the sender gets the 413 instead of a reset connection.
   */
  readBody(limitBytes: number): Promise<Buffer>;
  /** For an answer given without reading the body: throw it away, as above. */
  discardBody(): void;
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
 * After refusing a body, how much more of it is read and dropped before the connection is cut.
 * Closing a socket with unread data makes the kernel send a reset, and the client can lose the
 * 413 with it (RFC 9112 §9.6); a sender that goes on past these bounds is cut off.
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
  const discardBody = () => {
    const body = getReader();
    if (body) discardStream(body);
  };
  return {
    method: request.method,
    header,
    discardBody,
    async readBody(limitBytes) {
      if ((declaredLength(header) ?? 0) > limitBytes) {
        discardBody();
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
          discardStream(body);
          throw new BodyTooLargeError(limitBytes);
        }
        chunks.push(value);
      }
    },
  };
}

function discardStream(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const cutOff = () => void reader.cancel().catch(() => undefined);
  const timer = setTimeout(cutOff, DISCARD_LIMITS.ms);
  timer.unref();
  void (async () => {
    let discarded = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        discarded += value.byteLength;
        if (discarded > DISCARD_LIMITS.bytes) {
          cutOff();
          break;
        }
      }
    } catch {
      // the sender went away, or was cut off: nothing left to discard
    } finally {
      clearTimeout(timer);
    }
  })();
}

export function toFetchResponse(answer: Answer): Response {
  return new Response(answer.body, {
    status: answer.status,
    headers: { "Content-Type": answer.contentType },
  });
}

// ---- node:http (the Express layer) ----

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
    readBody(limitBytes) {
      if ((declaredLength(header) ?? 0) > limitBytes) {
        discardBody();
        return Promise.reject(new BodyTooLargeError(limitBytes));
      }
      return new Promise<Buffer>((resolve, reject) => {
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
          discardBody();
          reject(new BodyTooLargeError(limitBytes));
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
    },
  };
}

function discardNodeBody(request: IncomingMessage) {
  if (request.readableEnded || request.destroyed) return;
  let discarded = 0;
  const cutOff = () => {
    stop();
    request.destroy();
  };
  const timer = setTimeout(cutOff, DISCARD_LIMITS.ms);
  timer.unref();
  const onData = (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > DISCARD_LIMITS.bytes) cutOff();
  };
  const stop = () => {
    clearTimeout(timer);
    request.off("data", onData);
    request.off("end", stop);
    request.off("close", stop);
  };
  request.on("data", onData);
  request.once("end", stop);
  request.once("close", stop);
  request.resume();
}

export function sendNodeAnswer(response: ServerResponse, answer: Answer): void {
  if (response.headersSent || response.destroyed) return;
  const body = Buffer.from(answer.body, "utf8");
  response.writeHead(answer.status, {
    "Content-Type": answer.contentType,
    "Content-Length": body.byteLength,
  });
  response.end(body);
}
