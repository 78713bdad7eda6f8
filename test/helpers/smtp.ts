import { SMTPServer } from "smtp-server";
import { createMailer, type Mailer } from "../../app/services/email/mail-transport.server";

export interface CaughtMessage {
  to: string[];
  /** The raw message with header lines unfolded and quoted-printable undone. */
  raw: string;
}

/** A real SMTP server on 127.0.0.1 that keeps every message, and a mailer pointed at it. */
export async function startSmtpCatcher(): Promise<{
  messages: CaughtMessage[];
  mailer: Mailer;
  stop: () => Promise<void>;
}> {
  const messages: CaughtMessage[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks)
          .toString("utf8")
          .replace(/\r?\n[ \t]+/g, " ")
          .replace(/=\r?\n/g, "")
          .replace(/((?:=[0-9A-F]{2})+)/g, (run: string) =>
            Buffer.from(run.replace(/=/g, ""), "hex").toString("utf8"),
          );
        messages.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  const { port } = smtp.server.address() as { port: number };
  const mailer = createMailer({
    smtpUrl: `smtp://127.0.0.1:${port}`,
    from: "Privacy Desk <privacy@desk.example>",
  });
  return {
    messages,
    mailer,
    stop: async () => {
      mailer.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
