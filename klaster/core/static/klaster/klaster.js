// Behaviour shared by every page. A static file: the Content-Security-Policy allows no inline
// script and no inline event handlers (onchange="…").
// <select data-autosubmit> submits its form when the choice changes (the language switcher).
// Loaded in <head> without defer: the listener is on the document, so it is there before any
// control can be used.
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
});
