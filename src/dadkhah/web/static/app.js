// Keyboard shortcuts: an element with data-shortcut="m" is clicked when m is pressed,
// unless the user is typing into a field.  Used by the review queue (m / n / u).
document.addEventListener("keydown", function (ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  var t = ev.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  var el = document.querySelector('[data-shortcut="' + ev.key.toLowerCase() + '"]');
  if (el && !el.disabled) { ev.preventDefault(); el.click(); }
});

// HTMX leaves the page as it was on an error response; show the error page instead, so a
// refused or failed action is never silent.
document.addEventListener("htmx:responseError", function (ev) {
  var xhr = ev.detail.xhr;
  if (xhr && xhr.responseText) { document.open(); document.write(xhr.responseText); document.close(); }
});
