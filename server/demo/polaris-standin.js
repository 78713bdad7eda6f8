// Polaris web components stand-in for the offline demo's customer account host. Shopify renders
// customer account extensions with its own <s-*> custom elements, loaded from its CDN, which is
// unreachable here. These are minimal versions of the elements the Privacy page uses, with the
// same attributes, properties and events (value, change, input, click, dismiss), styled plainly.
(function () {
  var GAP = {
    none: "0",
    "small-500": "2px",
    "small-400": "4px",
    "small-300": "6px",
    "small-200": "8px",
    "small-100": "10px",
    small: "10px",
    base: "12px",
    "large-100": "20px",
    large: "20px",
    "large-200": "28px",
  };
  var TONE = {
    critical: ["#fee8e8", "#8e1f0b"],
    success: ["#e3f5e9", "#0c5132"],
    warning: ["#fff1d6", "#5e4200"],
    info: ["#e8f2ff", "#00376b"],
    auto: ["#eef0f2", "#303030"],
    neutral: ["#eef0f2", "#303030"],
  };
  var BASE_CSS = ":host{display:block;font:15px/1.45 system-ui,sans-serif;color:#1a1a1a}";

  function define(name, setup) {
    if (customElements.get(name)) return;
    customElements.define(name, setup(HTMLElement));
  }
  function attr(el, name, fallback) {
    var value = el.getAttribute(name);
    if (value === null) value = el.getAttribute(name.toLowerCase());
    return value === null ? fallback : value;
  }
  function flag(el, name) {
    var value = attr(el, name, null);
    return value !== null && value !== "false";
  }
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }
  // An element whose shadow DOM is re-rendered from its attributes whenever one changes.
  function rendered(template, attributes, css) {
    return function (Base) {
      return class extends Base {
        static get observedAttributes() {
          return attributes;
        }
        connectedCallback() {
          if (!this.shadowRoot) this.attachShadow({ mode: "open" });
          this.render();
        }
        attributeChangedCallback() {
          if (this.shadowRoot) this.render();
        }
        render() {
          this.shadowRoot.innerHTML = "<style>" + BASE_CSS + (css || "") + "</style>" + template(this);
        }
      };
    };
  }

  define(
    "s-page",
    rendered(
      function (el) {
        return (
          '<div class="page"><header><h1>' +
          text(attr(el, "heading", "")) +
          "</h1>" +
          (attr(el, "subheading") ? "<p>" + text(attr(el, "subheading")) + "</p>" : "") +
          '<slot name="primary-action"></slot></header><main><slot></slot></main></div>'
        );
      },
      ["heading", "subheading"],
      ".page{max-width:760px;margin:0 auto;padding:24px 16px}h1{font-size:28px;margin:0 0 4px}header p{margin:0 0 24px;color:#616161}",
    ),
  );

  define(
    "s-section",
    rendered(
      function (el) {
        var heading = attr(el, "heading");
        return "<section>" + (heading ? "<h2>" + text(heading) + "</h2>" : "") + "<slot></slot></section>";
      },
      ["heading"],
      "section{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 2px rgba(0,0,0,.12)}h2{font-size:20px;margin:0 0 12px}",
    ),
  );

  define(
    "s-stack",
    rendered(
      function (el) {
        var inline = attr(el, "direction") === "inline";
        return (
          '<div style="display:flex;flex-wrap:' +
          (inline ? "wrap" : "nowrap") +
          ";flex-direction:" +
          (inline ? "row" : "column") +
          ";gap:" +
          (GAP[attr(el, "gap", "none")] || "0") +
          ";justify-content:" +
          attr(el, "justifyContent", "normal") +
          ";align-items:" +
          attr(el, "alignItems", inline ? "center" : "stretch") +
          '"><slot></slot></div>'
        );
      },
      ["direction", "gap", "justifycontent", "alignitems"],
    ),
  );

  define(
    "s-box",
    rendered(
      function (el) {
        var border = attr(el, "border") ? "border:1px solid #d4d4d4;" : "";
        var radius = attr(el, "borderRadius") ? "border-radius:10px;" : "";
        var padding = "padding:" + (GAP[attr(el, "padding", "none")] || "0") + ";";
        return '<div style="' + border + radius + padding + '"><slot></slot></div>';
      },
      ["border", "borderradius", "padding"],
    ),
  );

  define(
    "s-heading",
    rendered(
      function () {
        return '<div role="heading" aria-level="3"><slot></slot></div>';
      },
      [],
      "div{font-weight:650;font-size:16px}",
    ),
  );

  define(
    "s-paragraph",
    rendered(
      function (el) {
        return (
          '<p style="margin:0;color:' +
          (attr(el, "color") === "subdued" ? "#5c5c5c" : "inherit") +
          '"><slot></slot></p>'
        );
      },
      ["color"],
    ),
  );

  define(
    "s-text",
    rendered(
      function (el) {
        return (
          '<span style="color:' +
          (attr(el, "color") === "subdued" ? "#5c5c5c" : "inherit") +
          '"><slot></slot></span>'
        );
      },
      ["color"],
      ":host{display:inline}",
    ),
  );

  define(
    "s-badge",
    rendered(
      function (el) {
        var tone = TONE[attr(el, "tone", "neutral")] || TONE.neutral;
        return '<span style="background:' + tone[0] + ";color:" + tone[1] + '"><slot></slot></span>';
      },
      ["tone"],
      ":host{display:inline-block}span{border-radius:8px;padding:2px 8px;font-size:13px;font-weight:550;white-space:nowrap}",
    ),
  );

  define(
    "s-banner",
    rendered(
      function (el) {
        var tone = attr(el, "tone", "info");
        var colors = TONE[tone] || TONE.info;
        var heading = attr(el, "heading");
        return (
          '<div role="' +
          (tone === "critical" ? "alert" : "status") +
          '" style="background:' +
          colors[0] +
          ";color:" +
          colors[1] +
          '">' +
          (heading ? "<strong>" + text(heading) + "</strong>" : "") +
          "<div><slot></slot></div>" +
          (flag(el, "dismissible") ? '<button type="button" aria-label="Dismiss">×</button>' : "") +
          "</div>"
        );
      },
      ["tone", "heading", "dismissible"],
      "div[role]{position:relative;border-radius:10px;padding:12px 40px 12px 14px}strong{display:block;margin-bottom:2px}button{position:absolute;right:8px;top:8px;border:0;background:none;font-size:18px;cursor:pointer;color:inherit}",
    ),
  );
  customElements.whenDefined("s-banner").then(function () {
    document.addEventListener(
      "click",
      function (event) {
        var path = event.composedPath();
        var button = path[0];
        if (button && button.getAttribute && button.getAttribute("aria-label") === "Dismiss") {
          var banner = path.find(function (node) {
            return node.tagName === "S-BANNER";
          });
          if (banner) {
            // Preact listens for "Dismiss" (onDismiss on an element without an ondismiss property).
            banner.dispatchEvent(new Event("dismiss"));
            banner.dispatchEvent(new Event("Dismiss"));
          }
        }
      },
      true,
    );
  });

  var BUTTON_CSS =
    "a,button{display:inline-flex;align-items:center;gap:6px;justify-content:center;border-radius:10px;padding:10px 16px;font:inherit;font-weight:600;cursor:pointer;text-decoration:none;border:1px solid #8a8a8a;background:#fff;color:#1a1a1a}" +
    ".primary{background:#1a1a1a;border-color:#1a1a1a;color:#fff}.critical.primary{background:#c70a24;border-color:#c70a24}.critical:not(.primary){color:#8e1f0b}[aria-busy=true]{opacity:.6}";
  function linkTarget(href) {
    return href.indexOf("extension://") === 0 || href.indexOf("shopify:") === 0;
  }
  define(
    "s-button",
    rendered(
      function (el) {
        var classes = attr(el, "variant", "auto") + " " + attr(el, "tone", "auto");
        var busy = flag(el, "loading");
        var label = attr(el, "accessibilityLabel");
        var aria = (label ? ' aria-label="' + text(label) + '"' : "") + (busy ? ' aria-busy="true"' : "");
        var href = attr(el, "href");
        if (href)
          return (
            '<a class="' +
            classes +
            '" href="' +
            text(linkTarget(href) ? "#" : href) +
            '"' +
            (attr(el, "target") === "_blank" ? ' target="_blank" rel="noopener"' : "") +
            aria +
            "><slot></slot></a>"
          );
        return (
          '<button type="button" class="' +
          classes +
          '"' +
          aria +
          (busy || flag(el, "disabled") ? " disabled" : "") +
          ">" +
          (busy ? "…" : "") +
          "<slot></slot></button>"
        );
      },
      ["variant", "tone", "loading", "disabled", "href", "target", "accessibilitylabel"],
      ":host{display:inline-block}" + BUTTON_CSS,
    ),
  );
  // In-app links (extension://, shopify:) are the host's to follow, as in customer accounts.
  document.addEventListener(
    "click",
    function (event) {
      var host = event.composedPath().find(function (node) {
        return node.tagName === "S-BUTTON" || node.tagName === "S-LINK";
      });
      var href = host && attr(host, "href");
      if (href && linkTarget(href)) {
        event.preventDefault();
        window.shopify.navigation.navigate(href);
      }
    },
    true,
  );

  define(
    "s-link",
    rendered(
      function (el) {
        return (
          '<a href="' +
          text(attr(el, "href", "#")) +
          '"' +
          (attr(el, "target") === "_blank" ? ' target="_blank" rel="noopener"' : "") +
          "><slot></slot></a>"
        );
      },
      ["href", "target"],
      ":host{display:inline}a{color:#005bd3}",
    ),
  );

  define(
    "s-spinner",
    rendered(
      function (el) {
        return '<span role="status">' + text(attr(el, "accessibilityLabel", "Loading")) + "…</span>";
      },
      ["accessibilitylabel"],
      "span{color:#5c5c5c}",
    ),
  );

  define(
    "s-divider",
    rendered(function () {
      return "<hr>";
    }, []),
  );

  define(
    "s-unordered-list",
    rendered(
      function () {
        return '<div role="list"><slot></slot></div>';
      },
      [],
      "div{display:flex;flex-direction:column;gap:4px;padding-left:4px}",
    ),
  );
  define("s-list-item", function (Base) {
    return class extends rendered(
      function () {
        return '<span aria-hidden="true">• </span><slot></slot>';
      },
      [],
      "",
    )(Base) {
      connectedCallback() {
        this.setAttribute("role", "listitem");
        super.connectedCallback();
      }
    };
  });

  // Fields: a label and a native control in the shadow DOM; `value` is a property, `input`
  // events cross the shadow boundary by themselves, `change` is re-sent from the element.
  var FIELD_CSS =
    "label{display:flex;flex-direction:column;gap:4px;font-size:14px;font-weight:550}" +
    "input,textarea,select{font:inherit;font-weight:400;padding:9px 10px;border:1px solid #8a8a8a;border-radius:8px;background:#fff}";
  function field(control) {
    return function (Base) {
      return class extends Base {
        static get observedAttributes() {
          return ["label", "rows", "maxlength", "autocomplete"];
        }
        connectedCallback() {
          if (this.shadowRoot) return;
          var root = this.attachShadow({ mode: "open" });
          root.innerHTML =
            "<style>" +
            BASE_CSS +
            FIELD_CSS +
            "</style><label><span></span>" +
            (control === "select"
              ? "<select></select>"
              : control === "textarea"
                ? "<textarea></textarea>"
                : "<input>") +
            "</label>";
          this.control = root.querySelector(
            control === "select" ? "select" : control === "textarea" ? "textarea" : "input",
          );
          this.control.addEventListener("change", () => {
            this.dispatchEvent(new Event("change", { bubbles: true }));
          });
          if (control === "select") {
            new MutationObserver(() => this.syncOptions()).observe(this, {
              childList: true,
              subtree: true,
              characterData: true,
              attributes: true,
            });
            this.syncOptions();
          }
          if (this.pendingValue !== undefined) this.control.value = this.pendingValue;
          this.attributeChangedCallback();
        }
        attributeChangedCallback() {
          if (!this.control) return;
          this.shadowRoot.querySelector("label > span").textContent = attr(this, "label", "");
          var rows = attr(this, "rows");
          if (rows) this.control.setAttribute("rows", rows);
          var max = attr(this, "maxLength");
          if (max) this.control.setAttribute("maxlength", max);
          var complete = attr(this, "autocomplete");
          if (complete) this.control.setAttribute("autocomplete", complete);
        }
        syncOptions() {
          var current = this.value;
          var select = this.control;
          select.innerHTML = "";
          Array.prototype.forEach.call(this.querySelectorAll("s-option"), function (option) {
            var native = document.createElement("option");
            native.value = attr(option, "value", "");
            native.textContent = option.textContent;
            select.appendChild(native);
          });
          if (current) select.value = current;
        }
        get value() {
          return this.control ? this.control.value : this.pendingValue || "";
        }
        set value(next) {
          this.pendingValue = next;
          if (this.control && this.control.value !== next) this.control.value = next;
        }
      };
    };
  }
  define("s-text-field", field("input"));
  define("s-text-area", field("textarea"));
  define("s-select", field("select"));
  define("s-option", function (Base) {
    return class extends Base {
      connectedCallback() {
        this.hidden = true;
      }
    };
  });
})();
