// Unsaved work in the web editor (copied to the hub's /admin/ by infohub/cms_config.py).
// Sveltia CMS 0.221 closes a form on Escape or its ← button without asking, and in local mode it
// keeps no backup of the draft: ask first when something was typed, picked or uploaded in the
// form since it opened, and have the browser ask before the tab is closed or reloaded then.
// (Its Save button is no sign: a new entry can always be saved.) Opening or closing a form, and
// saving it, change the address: that starts afresh. Loaded before the CMS's script, so its
// capturing listeners run before the CMS's own.
(() => {
  "use strict";
  const message = document.currentScript.dataset.message;
  const FORM = "[data-entry-draft-root]";
  const CLOSE = 'button[aria-keyshortcuts="Escape"]';  // the form's ← (Cancel Editing)
  let changed = false;
  const unsaved = () => changed && document.querySelector(FORM) !== null;
  const noteChange = (event) => {
    if (event.target.closest?.(FORM)) {
      changed = true;
    }
  };
  // 'input' only: a text box also sends 'change' when it loses focus, as the form closes
  document.addEventListener("input", noteChange, true);
  window.addEventListener("hashchange", () => {
    changed = false;
  });
  const keep = (event) => {
    if (!unsaved()) {
      return;
    }
    if (window.confirm(message)) {
      changed = false;  // "yes": the CMS's Escape then clicks ←, which must not ask again
    } else {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  };
  window.addEventListener("keydown", (event) => {
    // Escape in a menu, list or dialog closes that, not the form
    if (event.key === "Escape" && !event.target.closest?.('[role="menu"], [role="listbox"], [role="dialog"]')) {
      keep(event);
    }
  }, true);
  window.addEventListener("click", (event) => {
    if (event.target.closest?.(CLOSE)) {
      keep(event);
    }
  }, true);
  window.addEventListener("beforeunload", (event) => {
    if (unsaved()) {
      event.preventDefault();
    }
  });
})();
