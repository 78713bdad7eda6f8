/*
 * Privacy Desk, privacy request form block. Before the form is sent, asks the app proxy for a
 * form token (GET …/token, same origin) and adds it, so the request is made in one step. Without
 * JavaScript, or if the token cannot be had, the form is sent as it is and the proxy shows the
 * request back for the shopper to confirm.
 */
(function () {
  "use strict";

  function addToken(form, token) {
    var field = form.querySelector('input[name="token"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "token";
      form.appendChild(field);
    }
    field.value = token;
  }

  function onSubmit(event) {
    var form = event.currentTarget;
    if (form.getAttribute("data-privacy-desk-sending") === "true") return;
    event.preventDefault();
    form.setAttribute("data-privacy-desk-sending", "true");
    var send = function () {
      form.submit();
    };
    fetch(form.getAttribute("data-token-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body && typeof body.token === "string") addToken(form, body.token);
      })
      .catch(function () {
        /* the proxy will ask the shopper to confirm instead */
      })
      .then(send);
  }

  var forms = document.querySelectorAll("form[data-privacy-desk-form]");
  for (var i = 0; i < forms.length; i += 1) forms[i].addEventListener("submit", onSubmit);
})();
