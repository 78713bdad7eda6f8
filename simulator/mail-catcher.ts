import { randomUUID } from "node:crypto";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives: the tests read the emails the app
 * actually sent over SMTP, and the demo shows them at /demo/mail. Plain SMTP, any or no login; it
 * can refuse every message (`refuse = true`) to play a mail server that is down for maintenance.
 */
export interface CaughtMail {
  id: string;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  headers: Record<string, string>;
  subject: string;
  from: string;
  to: string;
  text: string;
  html: string;
  raw: string;
}

export interface MailCatcher {
  port: number;
  url: string;
  messages: CaughtMail[];
  /** Resolves with the first message (already caught or still to come) that matches. */
  waitFor(match: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  refuse: boolean;
  close(): Promise<void>;
}

export async function startMailCatcher(port = 0): Promise<MailCatcher> {
  const waiters: { match: (mail: CaughtMail) => boolean; resolve: (mail: CaughtMail) => void }[] = [];
  const catcher: MailCatcher = {
    port: 0,
    url: "",
    messages: [],
    refuse: false,
    waitFor(match, timeoutMs = 10_000) {
      const caught = catcher.messages.find(match);
      if (caught) return Promise.resolve(caught);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) {
            waiters.splice(index, 1);
            reject(new Error(`No matching email within ${timeoutMs} ms (${catcher.messages.length} caught)`));
          }
        }, timeoutMs).unref();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (catcher.refuse) {
          const error = new Error("Mailbox unavailable for maintenance") as Error & { responseCode: number };
          error.responseCode = 451;
          return callback(error);
        }
        const mail = parseMail(Buffer.concat(chunks).toString("utf8"), {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        });
        catcher.messages.push(mail);
        for (const waiter of [...waiters])
          if (waiter.match(mail)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(mail);
          }
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  catcher.port = (server.server.address() as { port: number }).port;
  catcher.url = `smtp://127.0.0.1:${catcher.port}`;
  return catcher;
}

// ---- a small MIME reader: enough for what nodemailer writes (multipart/alternative, QP or base64) ----

function splitHead(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); whitespace between two of them goes. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_whole, _charset: string, encoding: string, text: string) =>
        encoding.toUpperCase() === "B"
          ? Buffer.from(text, "base64").toString("utf8")
          : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const input = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < input.length; i += 1) {
    const char = input[i]!;
    if (char === "=" && /^[0-9A-Fa-f]{2}$/.test(input.slice(i + 1, i + 3))) {
      bytes.push(parseInt(input.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(char, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? "").toLowerCase()) {
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    default:
      return body;
  }
}

function parts(body: string, contentType: string): { type: string; text: string }[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\//i.test(contentType) || !boundary) return [];
  return body
    .split(`--${boundary}`)
    .slice(1)
    .filter((part) => !part.startsWith("--"))
    .flatMap((part) => {
      const { headers, body: partBody } = splitHead(part.replace(/^\r?\n/, ""));
      const type = (headers["content-type"] ?? "text/plain").split(";")[0]!.trim().toLowerCase();
      if (type.startsWith("multipart/")) return parts(partBody, headers["content-type"]!);
      return [
        { type, text: decodeBody(partBody.replace(/\r?\n$/, ""), headers["content-transfer-encoding"]) },
      ];
    });
}

export function parseMail(raw: string, envelope: { from: string; to: string[] }): CaughtMail {
  const { headers, body } = splitHead(raw);
  const contentType = headers["content-type"] ?? "text/plain";
  const found = parts(body, contentType);
  const single =
    found.length === 0
      ? [
          {
            type: contentType.split(";")[0]!.trim(),
            text: decodeBody(body, headers["content-transfer-encoding"]),
          },
        ]
      : found;
  return {
    id: randomUUID(),
    receivedAt: new Date().toISOString(),
    envelopeFrom: envelope.from,
    envelopeTo: envelope.to,
    headers,
    subject: decodeWords(headers.subject ?? ""),
    from: decodeWords(headers.from ?? ""),
    to: decodeWords(headers.to ?? ""),
    text: single.find((part) => part.type === "text/plain")?.text ?? "",
    html: single.find((part) => part.type === "text/html")?.text ?? "",
    raw,
  };
}
