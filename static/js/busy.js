// A form that takes a while (an import) says it is busy: its submit button is disabled and relabelled, and its
// status line is shown, so a second click does not send the upload twice. Markup: <form data-busy-label="…">.
(() => {
  "use strict";

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.busyLabel || event.defaultPrevented) return;
    form.setAttribute("aria-busy", "true");
    for (const button of form.querySelectorAll("button[type=submit]")) {
      button.textContent = form.dataset.busyLabel;
      // Disabled after this turn, so the browser has taken the form's data and sends it.
      setTimeout(() => { button.disabled = true; }, 0);
    }
    const status = form.querySelector("[data-busy-status]");
    if (status) status.hidden = false;
  });

  // Back from the page the import answered with (the browser's cache), the form is usable again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    for (const form of document.querySelectorAll("form[data-busy-label]")) form.removeAttribute("aria-busy");
  });
})();
