import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { CollectedOrder } from "./customer-orders.server";
import type { ExportCoverage, ExportedAppRecords } from "./export-model";

/**
 * index.html of the export package: the same data as data.json, readable in any browser. Rendered
 * with React, so every value is escaped. Orders are streamed: the page is rendered once around a
 * marker where the order rows go, and each order's row is rendered on its own as it is read.
 */
type Record_ = Record<string, unknown>;
type Money = { shopMoney?: { amount?: string; currencyCode?: string } } | null | undefined;
const money = (value: unknown) => {
  const shopMoney = (value as Money)?.shopMoney;
  return shopMoney ? `${shopMoney.amount ?? ""} ${shopMoney.currencyCode ?? ""}`.trim() : "";
};
const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));
const ORDER_ROWS = "\u0000order-rows\u0000";

export interface IndexPageInput {
  shop: string;
  generatedAt: Date;
  request: { id: string };
  customer: (Record_ & { addressesV2?: { nodes: Record_[] } }) | null;
  appRecords: ExportedAppRecords;
  coverage?: ExportCoverage;
}

const STYLE =
  "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;overflow-wrap:anywhere}th{background:#f4f4f4}";

function Page({ input, orderRows }: { input: IndexPageInput; orderRows: ReactNode }) {
  const c = input.customer;
  const email = (c?.defaultEmailAddress as { emailAddress?: string } | null)?.emailAddress;
  const phone = (c?.defaultPhoneNumber as { phoneNumber?: string } | null)?.phoneNumber;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>{`Your data at ${input.shop}`}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <h1>Your personal data held by {input.shop}</h1>
        <p>
          Prepared on {input.generatedAt.toISOString().slice(0, 10)} for request {input.request.id}. The same
          data, for import elsewhere, is in <code>data.json</code> and the CSV files beside this page.
        </p>
        {input.coverage?.note ? (
          <p role="note">
            <strong>Not every order is here.</strong> {input.coverage.note}
          </p>
        ) : null}
        {input.coverage?.requestedOrdersNotFound.length ? (
          <p role="note">
            Shopify did not return these orders named in your request (deleted, or older than the store lets
            Privacy Desk see): {input.coverage.requestedOrdersNotFound.join(", ")}.
          </p>
        ) : null}
        <h2>Profile</h2>
        {c ? (
          <table>
            <tbody>
              <Row label="Name" value={[c.firstName, c.lastName].filter(Boolean).join(" ")} />
              <Row label="Email" value={email} />
              <Row label="Phone" value={phone} />
              <Row label="Customer since" value={c.createdAt} />
              <Row label="Opted out of sale/sharing" value={c.dataSaleOptOut ? "Yes" : "No"} />
            </tbody>
          </table>
        ) : (
          <p>The shop has no customer record for you.</p>
        )}
        <h2>Addresses</h2>
        <table>
          <tbody>
            {(c?.addressesV2?.nodes ?? []).map((a, i) => (
              <tr key={text(a.id) || i}>
                <td>
                  {[a.name, a.company, a.address1, a.address2, a.zip, a.city, a.province, a.country]
                    .filter(Boolean)
                    .join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Orders</h2>
        <table>
          <thead>
            <tr>
              <th>Order</th>
              <th>Date</th>
              <th>Items</th>
              <th>Total</th>
              <th>Payment</th>
            </tr>
          </thead>
          <tbody>{orderRows}</tbody>
        </table>
        <h2>Your privacy requests</h2>
        <table>
          <thead>
            <tr>
              <th>Received</th>
              <th>Type</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {input.appRecords.requests.map((r) => (
              <tr key={r.id}>
                <td>{r.receivedAt}</td>
                <td>{r.type}</td>
                <td>{r.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </body>
    </html>
  );
}

function Row({ label, value }: { label: string; value: unknown }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{text(value)}</td>
    </tr>
  );
}

function OrderRow({ order }: { order: CollectedOrder }) {
  return (
    <tr>
      <td>{text(order.name)}</td>
      <td>{text(order.createdAt).slice(0, 10)}</td>
      <td>
        {order.lineItems.map((item, i) => (
          <div key={text(item.id) || i}>
            {text(item.quantity)} × {text(item.name)}
          </div>
        ))}
      </td>
      <td>{money(order.totalPriceSet)}</td>
      <td>{text(order.displayFinancialStatus)}</td>
    </tr>
  );
}

export async function* indexHtml(input: IndexPageInput, orders: () => AsyncIterable<CollectedOrder>) {
  const page = renderToStaticMarkup(<Page input={input} orderRows={ORDER_ROWS} />);
  const [before, after] = page.split(ORDER_ROWS) as [string, string];
  yield `<!doctype html>${before}`;
  for await (const order of orders()) yield renderToStaticMarkup(<OrderRow order={order} />);
  yield `${after}\n`;
}
