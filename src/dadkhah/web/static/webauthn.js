// Security keys (WebAuthn) for the team workspace: registration on the account page and the
// second step of the login.  A static file, because the Content-Security-Policy allows no
// inline script.  A button with data-webauthn="login" or "register" names its two
// endpoints: data-options (POST: the options for navigator.credentials) and data-verify
// (POST: the browser's answer).  The server (py_webauthn) checks everything; this only
// converts between base64url text and the ArrayBuffers the browser API uses.
(function () {
  "use strict";

  function toBuffer(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRF-Token": csrfToken()},
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok || data.ok === false) throw new Error(data.error || ("HTTP " + r.status));
        return data;
      });
    });
  }

  function say(text) {
    var el = document.getElementById("webauthn-status");
    if (el) el.textContent = text;
  }

  function descriptors(list) {
    return (list || []).map(function (c) {
      return {type: c.type, id: toBuffer(c.id), transports: c.transports};
    });
  }

  function login(button) {
    return post(button.dataset.options).then(function (data) {
      var o = data.options;
      o.challenge = toBuffer(o.challenge);
      o.allowCredentials = descriptors(o.allowCredentials);
      return navigator.credentials.get({publicKey: o});
    }).then(function (cred) {
      var r = cred.response;
      return post(button.dataset.verify, {credential: {
        id: cred.id, rawId: toText(cred.rawId), type: cred.type,
        response: {
          authenticatorData: toText(r.authenticatorData),
          clientDataJSON: toText(r.clientDataJSON),
          signature: toText(r.signature),
          userHandle: r.userHandle ? toText(r.userHandle) : null
        },
        clientExtensionResults: cred.getClientExtensionResults(),
        authenticatorAttachment: cred.authenticatorAttachment || null
      }});
    }).then(function (data) {
      window.location.assign(data.redirect);
    });
  }

  function register(button) {
    return post(button.dataset.options).then(function (data) {
      var o = data.options;
      o.challenge = toBuffer(o.challenge);
      o.user.id = toBuffer(o.user.id);
      o.excludeCredentials = descriptors(o.excludeCredentials);
      return navigator.credentials.create({publicKey: o});
    }).then(function (cred) {
      var r = cred.response;
      var nameField = document.getElementById("webauthn-name");
      return post(button.dataset.verify, {name: nameField ? nameField.value : "", credential: {
        id: cred.id, rawId: toText(cred.rawId), type: cred.type,
        response: {
          attestationObject: toText(r.attestationObject),
          clientDataJSON: toText(r.clientDataJSON),
          transports: r.getTransports ? r.getTransports() : []
        },
        clientExtensionResults: cred.getClientExtensionResults(),
        authenticatorAttachment: cred.authenticatorAttachment || null
      }});
    }).then(function (data) {
      var codes = data.recovery_codes || [];
      if (!codes.length) { window.location.assign(data.redirect); return; }
      // A first second factor: its recovery codes are shown once, here.
      var list = document.getElementById("webauthn-recovery");
      codes.forEach(function (c) {
        var li = document.createElement("li");
        li.textContent = c;
        list.appendChild(li);
      });
      list.hidden = false;
      say(button.dataset.saved || "");
      var next = document.getElementById("webauthn-continue");
      if (next) { next.setAttribute("href", data.redirect); next.hidden = false; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-webauthn]").forEach(function (button) {
      if (!window.PublicKeyCredential) { button.disabled = true; return; }
      button.addEventListener("click", function () {
        button.disabled = true;
        say("");
        var run = button.dataset.webauthn === "login" ? login : register;
        run(button).catch(function (err) {
          say(err && err.message ? err.message : String(err));
        }).then(function () { button.disabled = false; });
      });
    });
  });
})();
