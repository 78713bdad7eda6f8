import nodemailer from "nodemailer";

/** What the send job needs from a mail server. */
export interface Mailer {
  /** Who emails come from (MAIL_FROM). */
  from: string;
  send(message: {
    to: string;
    subject: string;
    html: string;
    text: string;
    /** The merchant's sender name, shown with MAIL_FROM's address (which alone passes SPF/DKIM). */
    fromName?: string | null;
    replyTo?: string | null;
  }): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * SMTP from SMTP_URL (`smtp://user:pass@host:587`, `smtps://…:465`; nodemailer's URL format). Each
 * send opens a connection (no pool): a few emails a minute per store, and a dead server fails the
 * job at once so the queue's backoff takes over.
 */
export function createMailer(options: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    from: options.from,
    async send({ fromName, replyTo, ...message }) {
      const address = /<([^<>]+)>\s*$/.exec(options.from)?.[1] ?? options.from;
      const info = await transport.sendMail({
        from: fromName ? { name: fromName, address } : options.from,
        ...(replyTo ? { replyTo } : {}),
        ...message,
      });
      return { messageId: String(info.messageId ?? "") };
    },
    close: () => transport.close(),
  };
}

/** The mailer the environment configures, or null until SMTP_URL and MAIL_FROM are set. */
export function mailerFromEnv(env: { SMTP_URL?: string; MAIL_FROM?: string }): Mailer | null {
  return env.SMTP_URL && env.MAIL_FROM ? createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM }) : null;
}
