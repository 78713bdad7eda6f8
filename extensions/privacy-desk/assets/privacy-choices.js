/*
 * Privacy Desk, privacy choices embed.
 * - Puts the "Your privacy choices" link at the end of the store's footer (or leaves it in the
 *   corner, as the merchant chose).
 * - Honours Global Privacy Control (navigator.globalPrivacyControl): the browser's consent is set
 *   with Shopify's Customer Privacy API (sale_of_data: false); for a signed-in customer the app is
 *   also told, once per session, and opts that customer out of the sale and sharing of their data
 *   on their Shopify record. The page then says so.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-privacy-desk-choices]");
  if (!root) return;

  if (root.classList.contains("pd-choices--footer")) {
    var footer = document.querySelector('footer, [role="contentinfo"]');
    if (footer) footer.appendChild(root);
  }

  if (navigator.globalPrivacyControl !== true) return;
  var status = root.querySelector("[data-privacy-desk-status]");
  var honoured = function (message) {
    if (!status) return;
    if (typeof message === "string" && message) status.textContent = message;
    status.hidden = false;
  };

  var withCustomerPrivacy = function (use) {
    var shopify = window.Shopify;
    if (!shopify) return;
    if (shopify.customerPrivacy) return use(shopify.customerPrivacy);
    if (typeof shopify.loadFeatures !== "function") return;
    shopify.loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], function (error) {
      if (!error && shopify.customerPrivacy) use(shopify.customerPrivacy);
    });
  };

  var signedIn = root.getAttribute("data-signed-in") === "true";
  withCustomerPrivacy(function (privacy) {
    if (typeof privacy.saleOfDataAllowed === "function" && privacy.saleOfDataAllowed() === false) {
      if (!signedIn) honoured();
      return;
    }
    privacy.setTrackingConsent({ sale_of_data: false }, function () {
      if (!signedIn) honoured();
    });
  });
  if (!signedIn) return;

  var remembered = "privacy-desk-gpc:" + (root.getAttribute("data-customer") || "");
  try {
    if (window.sessionStorage.getItem(remembered) === "1") return honoured();
  } catch (error) {
    /* storage unavailable: ask the app again, it records the signal once */
  }
  fetch(root.getAttribute("data-signal-url"), {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ gpc: true, locale: root.getAttribute("data-locale") || undefined }),
  })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (body) {
      if (!body || (body.status !== "recorded" && body.status !== "already")) return;
      try {
        window.sessionStorage.setItem(remembered, "1");
      } catch (error) {
        /* nothing to remember it in */
      }
      honoured(body.message);
    })
    .catch(function () {
      /* offline or blocked: the signal is sent again on the next page */
    });
})();
