// App Bridge stand-in for the offline demo (Shopify's CDN script is unreachable here). It gives
// the app what App Bridge gives it inside Shopify admin: window.shopify with idToken() and
// toast.show(), and the session token on every request the app makes to its own origin.
(function () {
  var script = document.currentScript;
  var apiKey = script && script.getAttribute("data-api-key");
  var cached = null;

  function idToken() {
    if (cached && cached.expires > Date.now() + 10000) return Promise.resolve(cached.token);
    return nativeFetch("/demo/session-token", { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("The demo admin frame gave no session token");
        return response.text();
      })
      .then(function (token) {
        cached = { token: token, expires: Date.now() + 50000 };
        return token;
      });
  }

  var nativeFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      location.href,
    );
    if (url.origin !== location.origin || url.pathname.indexOf("/demo/") === 0)
      return nativeFetch(input, init);
    return idToken().then(function (token) {
      var headers = new Headers(
        (init && init.headers) || (input instanceof Request ? input.headers : undefined),
      );
      headers.set("Authorization", "Bearer " + token);
      return nativeFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };

  function toastHost() {
    var host = document.getElementById("demo-toasts");
    if (!host) {
      host = document.createElement("div");
      host.id = "demo-toasts";
      host.setAttribute("role", "status");
      host.setAttribute("aria-live", "polite");
      host.style.cssText =
        "position:fixed;bottom:24px;left:50%;transform:translateX(-50%);z-index:1000;display:flex;flex-direction:column;gap:8px";
      document.body.appendChild(host);
    }
    return host;
  }

  window.shopify = {
    config: { apiKey: apiKey, shop: new URLSearchParams(location.search).get("shop"), locale: "en" },
    idToken: idToken,
    toast: {
      show: function (message, options) {
        var toast = document.createElement("div");
        toast.className = "demo-toast";
        toast.textContent = message;
        toast.style.cssText =
          "background:" +
          (options && options.isError ? "#8e1f0b" : "#1a1a1a") +
          ";color:#fff;padding:10px 16px;border-radius:8px;font:14px system-ui";
        toastHost().appendChild(toast);
        setTimeout(
          function () {
            toast.remove();
          },
          (options && options.duration) || 5000,
        );
        return "toast";
      },
      hide: function () {},
    },
    loading: function () {},
    saveBar: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
    },
    modal: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
    },
  };

  // <ui-nav-menu> is drawn by Shopify admin beside the app; here it is shown at the top.
  var style = document.createElement("style");
  style.textContent =
    "ui-nav-menu{display:flex;gap:16px;padding:10px 16px;background:#ebebeb;border-bottom:1px solid #d4d4d4;font:14px system-ui}" +
    "ui-nav-menu a{color:#1a1a1a;text-decoration:none;font-weight:500}ui-nav-menu a:hover{text-decoration:underline}";
  document.head.appendChild(style);
})();
