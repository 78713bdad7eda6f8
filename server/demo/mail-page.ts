import express, { type Router } from "express";
import type { MailCatcher } from "../../simulator/mail-catcher";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo's mail catcher, at /demo/mail: every email the app sent over SMTP (to an smtp-server
 * on 127.0.0.1 in this process), newest first; one message with its plain text and its HTML (in a
 * sandboxed frame); /demo/mail.json for scripts and the browser tests.
 */
export function demoMailPage(catcher: MailCatcher): Router {
  const router = express.Router();
  const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Privacy Desk demo</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem;color:#1f1f1f}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
iframe{width:100%;height:32rem;border:1px solid #ccc}a{color:#1f1f1f}</style></head>
<body><main>${body}</main></body></html>`;

  router.get("/demo/mail.json", (_request, response) => {
    response.setHeader("Cache-Control", "no-store");
    response.json(catcher.messages.map(({ raw: _raw, ...mail }) => mail));
  });

  router.get("/demo/mail", (_request, response) => {
    response.setHeader("Cache-Control", "no-store");
    const rows = [...catcher.messages]
      .reverse()
      .map(
        (mail) =>
          `<tr><td>${escapeHtml(mail.receivedAt.replace("T", " ").slice(0, 19))}</td><td>${escapeHtml(mail.envelopeTo.join(", "))}</td><td><a href="/demo/mail/${mail.id}">${escapeHtml(mail.subject)}</a></td></tr>`,
      )
      .join("");
    response.type("html").send(
      page(
        "Mail catcher",
        `<h1>Mail catcher</h1><p>Emails Privacy Desk sent to shoppers in this demo (SMTP on ${escapeHtml(catcher.url)}). Reload to see new ones.</p>
<table><thead><tr><th scope="col">Received (UTC)</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>${rows || '<tr><td colspan="3">Nothing yet.</td></tr>'}</tbody></table>`,
      ),
    );
  });

  router.get("/demo/mail/:id", (request, response) => {
    const mail = catcher.messages.find((message) => message.id === request.params.id);
    if (!mail) return void response.status(404).type("text").send("No such email");
    response.setHeader("Cache-Control", "no-store");
    response.type("html").send(
      page(
        mail.subject,
        `<p><a href="/demo/mail">All emails</a></p><h1>${escapeHtml(mail.subject)}</h1>
<p>From ${escapeHtml(mail.from)} to ${escapeHtml(mail.to)}</p>
<h2>Plain text</h2><pre>${escapeHtml(mail.text)}</pre>
<h2>HTML</h2><iframe title="The email as HTML" sandbox="" srcdoc="${escapeHtml(mail.html)}"></iframe>`,
      ),
    );
  });
  return router;
}
