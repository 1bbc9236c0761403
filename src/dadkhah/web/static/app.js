// Keyboard shortcuts: an element with data-shortcut="m" is clicked when m is pressed,
// unless the user is typing into a field.  Used by the review queue (m / n / u).
// On any layout: a Latin letter typed is taken as it is (AZERTY, Dvorak), otherwise the
// physical key is used (ev.code "KeyM"), so a Persian layout — where that key types «پ» —
// works the same.
function shortcutOf(ev) {
  var key = (ev.key || "").toLowerCase();
  if (/^[a-z]$/.test(key)) return key;
  var m = /^Key([A-Z])$/.exec(ev.code || "");
  return m ? m[1].toLowerCase() : null;
}
document.addEventListener("keydown", function (ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  var t = ev.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  var k = shortcutOf(ev);
  if (!k) return;
  var el = document.querySelector('[data-shortcut="' + k + '"]');
  if (el && !el.disabled) { ev.preventDefault(); el.click(); }
});

// HTMX leaves the page as it was on an error response; show the error page instead, so a
// refused or failed action is never silent.
document.addEventListener("htmx:responseError", function (ev) {
  var xhr = ev.detail.xhr;
  if (xhr && xhr.responseText) { document.open(); document.write(xhr.responseText); document.close(); }
});
