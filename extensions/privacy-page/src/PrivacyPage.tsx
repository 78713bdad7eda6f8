import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import {
  AppError,
  confirmErasure,
  downloadTicket,
  fileRequest,
  listRequests,
  REQUEST_TYPES,
  resendCode,
  type Corrections,
  type HistoryEntry,
  type Phase,
  type RequestType,
  type ShopperRequest,
} from "./api";

export default async () => {
  render(<PrivacyPage />, document.body);
};

const t = (key: string, replacements?: Record<string, string | number>) =>
  String(shopify.i18n.translate(key, replacements));
const date = (iso: string) => shopify.i18n.formatDate(new Date(iso), { dateStyle: "long" });
const errorText = (error: unknown) =>
  t(`errors.${error instanceof AppError ? error.code : "unknown"}`) || t("errors.unknown");

/** A field's value after an input or change event (Polaris fields expose it on the element). */
const valueOf = (event: Event) => (event.currentTarget as { value?: string } | null)?.value ?? "";

const PHASE_TONE: Record<Phase, "auto" | "neutral" | "critical"> = {
  confirm: "critical",
  in_review: "neutral",
  in_progress: "neutral",
  delayed: "neutral",
  completed: "auto",
  denied: "critical",
  canceled: "neutral",
};

function PrivacyPage() {
  const [requests, setRequests] = useState<ShopperRequest[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function reload() {
    try {
      setRequests((await listRequests()).requests);
      setLoadError(null);
    } catch (error) {
      setLoadError(errorText(error));
    }
  }
  useEffect(() => {
    void reload();
  }, []);

  return (
    <s-page heading={t("page.heading")} subheading={t("page.subheading")}>
      <s-stack gap="large-100">
        {notice && (
          <s-banner
            tone="success"
            heading={t("new.filed.heading")}
            dismissible
            onDismiss={() => setNotice(null)}
          >
            {notice}
          </s-banner>
        )}
        {loadError && <s-banner tone="critical">{loadError}</s-banner>}
        {requests === null && loadError ? null : (
          <s-section heading={t("list.heading")}>
            {requests === null ? (
              <s-spinner accessibilityLabel={t("list.loading")} />
            ) : requests.length === 0 ? (
              <s-paragraph>{t("list.empty")}</s-paragraph>
            ) : (
              <s-stack gap="base">
                {requests.map((request) => (
                  <RequestCard key={request.id} request={request} onChanged={reload} />
                ))}
              </s-stack>
            )}
          </s-section>
        )}
        <NewRequest
          onFiled={(request) => {
            setNotice(t(`new.filed.${request.phase === "confirm" ? "confirm" : "review"}`));
            void reload();
          }}
        />
      </s-stack>
    </s-page>
  );
}

function RequestCard({ request, onChanged }: { request: ShopperRequest; onChanged: () => Promise<void> }) {
  return (
    <s-box border="base" borderRadius="base" padding="base">
      <s-stack gap="small-200">
        <s-stack direction="inline" gap="base" justifyContent="space-between" alignItems="center">
          <s-heading>{t(`types.${request.type}.title`)}</s-heading>
          <s-badge tone={PHASE_TONE[request.phase]}>{t(`phases.${request.phase}.label`)}</s-badge>
        </s-stack>
        <s-paragraph>{t(`phases.${request.phase}.explain`)}</s-paragraph>
        <s-text color="subdued">
          {t("request.reference", { reference: request.id.slice(0, 8) })} ·{" "}
          {t("request.received", { date: date(request.receivedAt) })}
          {request.dueAt ? ` · ${t("request.due", { date: date(request.dueAt) })}` : ""}
        </s-text>
        {request.phase === "confirm" && <ConfirmErasure request={request} onConfirmed={onChanged} />}
        {request.export && <ExportDownload file={request.export} />}
        {request.phase === "denied" && <s-paragraph>{t("request.complain")}</s-paragraph>}
        <s-heading>{t("history.heading")}</s-heading>
        <s-unordered-list>
          {request.history.map((entry, index) => (
            <s-list-item key={index}>{historyLine(entry)}</s-list-item>
          ))}
        </s-unordered-list>
      </s-stack>
    </s-box>
  );
}

function historyLine(entry: HistoryEntry): string {
  const when = date(entry.at);
  const what = t(`history.${entry.kind}`, {
    date: entry.dueAt ? date(entry.dueAt) : "",
    reason: entry.reason ?? "",
  });
  return `${when}: ${what}`;
}

function ExportDownload({ file }: { file: NonNullable<ShopperRequest["export"]> }) {
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (file.state === "held") return <s-paragraph>{t("export.held")}</s-paragraph>;
  if (file.state === "expired")
    return (
      <s-paragraph>{t("export.expired", { date: date(file.until ?? new Date().toISOString()) })}</s-paragraph>
    );

  async function prepare() {
    setBusy(true);
    setError(null);
    try {
      setUrl((await downloadTicket(file.id)).url);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }
  const size = t("export.size", {
    size: shopify.i18n.formatNumber(Math.max(1, Math.round(file.sizeBytes / 1024))),
  });
  return (
    <s-stack gap="small-200">
      <s-banner tone="info" heading={t("export.ready.heading")}>
        {t("export.ready.body", { date: date(file.until!), size })}
      </s-banner>
      {error && <s-banner tone="critical">{error}</s-banner>}
      {url ? (
        <s-stack gap="small-200">
          <s-button variant="primary" href={url} target="_blank">
            {t("export.download")}
          </s-button>
          <s-text color="subdued">{t("export.once")}</s-text>
        </s-stack>
      ) : (
        <s-button variant="secondary" loading={busy} onClick={() => void prepare()}>
          {t("export.prepare")}
        </s-button>
      )}
    </s-stack>
  );
}

function ConfirmErasure({
  request,
  onConfirmed,
}: {
  request: ShopperRequest;
  onConfirmed: () => Promise<void>;
}) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "critical" | "success"; text: string } | null>(null);

  async function confirm() {
    setBusy(true);
    setMessage(null);
    try {
      await confirmErasure(request.id, code);
      await onConfirmed();
    } catch (error) {
      setMessage({ tone: "critical", text: errorText(error) });
    } finally {
      setBusy(false);
    }
  }
  async function resend() {
    setMessage(null);
    try {
      await resendCode(request.id);
      setMessage({ tone: "success", text: t("confirm.resent") });
    } catch (error) {
      setMessage({ tone: "critical", text: errorText(error) });
    }
  }
  return (
    <s-stack gap="small-200">
      <s-text-field
        label={t("confirm.code")}
        value={code}
        maxLength={9}
        autocomplete="one-time-code"
        onInput={(event) => setCode(valueOf(event))}
      />
      {message && <s-banner tone={message.tone}>{message.text}</s-banner>}
      <s-stack direction="inline" gap="base">
        <s-button variant="primary" tone="critical" loading={busy} onClick={() => void confirm()}>
          {t("confirm.submit")}
        </s-button>
        <s-button variant="secondary" onClick={() => void resend()}>
          {t("confirm.resend")}
        </s-button>
      </s-stack>
    </s-stack>
  );
}

function NewRequest({ onFiled }: { onFiled: (request: ShopperRequest) => void }) {
  const [type, setType] = useState<RequestType>("access");
  const [message, setMessage] = useState("");
  const [corrections, setCorrections] = useState<Corrections>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const filled = Object.fromEntries(
        Object.entries(corrections).filter(([, value]) => (value ?? "").trim() !== ""),
      ) as Corrections;
      const { request } = await fileRequest({
        type,
        ...(message.trim() ? { message } : {}),
        ...(type === "rectification" ? { corrections: filled } : {}),
        locale: shopify.localization.language.value.isoCode,
        ...(shopify.localization.country.value?.isoCode
          ? { country: shopify.localization.country.value.isoCode }
          : {}),
      });
      setMessage("");
      setCorrections({});
      onFiled(request);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }
  const correctionField = (field: keyof Corrections) => (
    <s-text-field
      label={t(`new.correct.${field}`)}
      value={corrections[field] ?? ""}
      onInput={(event) => setCorrections({ ...corrections, [field]: valueOf(event) })}
    />
  );
  return (
    <s-section heading={t("new.heading")}>
      <s-stack gap="base">
        <s-paragraph>{t("new.intro")}</s-paragraph>
        <s-select
          label={t("new.type")}
          value={type}
          onChange={(event) => setType(valueOf(event) as RequestType)}
        >
          {REQUEST_TYPES.map((option) => (
            <s-option key={option} value={option}>
              {t(`types.${option}.title`)}
            </s-option>
          ))}
        </s-select>
        <s-paragraph color="subdued">{t(`types.${type}.explain`)}</s-paragraph>
        {type === "rectification" && (
          <s-stack gap="small-200">
            {correctionField("firstName")}
            {correctionField("lastName")}
            {correctionField("email")}
            {correctionField("phone")}
          </s-stack>
        )}
        <s-text-area
          label={t("new.message")}
          rows={3}
          maxLength={2000}
          value={message}
          onInput={(event) => setMessage(valueOf(event))}
        />
        {error && <s-banner tone="critical">{error}</s-banner>}
        <s-button variant="primary" loading={busy} onClick={() => void submit()}>
          {t("new.submit")}
        </s-button>
      </s-stack>
    </s-section>
  );
}
