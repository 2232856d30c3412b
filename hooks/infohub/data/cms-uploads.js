// Files the web editor may upload (copied to the hub's /admin/uploads.js by infohub/cms_config.py).
// An office's docs folder publishes only pages, pictures and PDF documents, and `make check` refuses
// any other file there by name (checks/file_types.py). Sveltia CMS 0.221 takes whatever file the
// browser hands it: a field's `accept` list only narrows the file picker, whose "All files" choice
// (or a phone's picker, which treats the list as a hint) hands over anything; its media library and
// the body's picture button take any file, and a drop on the media library is not filtered at all.
// So a selection or a drop anywhere in the editor with a file whose name does not end in one of
// data-accept is refused here as a whole, before the CMS sees it, and the editor is told which files
// and why, in their language. Loaded before the CMS's script, so its capturing listeners run first.
(() => {
  "use strict";
  const text = document.currentScript.dataset;
  const allowed = text.accept.split(",");
  const refusedNames = (files) => [...files].map((file) => file.name)
    .filter((name) => !allowed.some((suffix) => name.toLowerCase().endsWith(suffix)));

  // A modal <dialog>: the browser puts it above the CMS's own dialogs (the top layer), and Escape
  // closes it. role="dialog" written out: guard.js lets Escape in a dialog close only the dialog.
  const tell = (names) => {
    const notice = document.createElement("dialog");
    notice.setAttribute("role", "dialog");
    notice.setAttribute("aria-labelledby", "infohub-upload-refused");
    // the CMS's own font (its variable, set on the page's root), a red edge for a refusal; its own
    // colours, light in the CMS's dark theme too
    Object.assign(notice.style, {maxWidth: "28rem", padding: "0 1.25rem 1.25rem", border: "2px solid #b3261e",
                                 borderRadius: "8px", fontFamily: "var(--sui-font-family-default, sans-serif)",
                                 fontSize: "1rem", lineHeight: "1.5", color: "#1d1b20", background: "#fff"});
    const title = document.createElement("p");
    title.id = "infohub-upload-refused";
    title.style.fontWeight = "bold";
    title.textContent = text.title;
    const list = document.createElement("ul");
    for (const name of names) {
      const item = document.createElement("li");
      item.textContent = name;  // a file's name is the editor's, never markup
      list.append(item);
    }
    const help = document.createElement("p");
    help.textContent = text.help;
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = text.close;
    Object.assign(close.style, {font: "inherit", padding: ".375rem 1.25rem", border: "0", borderRadius: "4px",
                                background: "#1a4f9c", color: "#fff"});
    close.addEventListener("click", () => notice.close());
    notice.addEventListener("close", () => notice.remove());
    // Escape closes this notice only, not the form behind it (the CMS listens on the window)
    notice.addEventListener("keydown", (event) => event.stopPropagation());
    notice.append(title, list, help, close);
    document.body.append(notice);
    notice.showModal();
    close.focus();
  };

  const refuse = (files, event) => {
    const names = refusedNames(files);
    if (names.length === 0) {
      return false;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    tell(names);
    return true;
  };
  window.addEventListener("change", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.files && refuse(input.files, event)) {
      input.value = "";  // picking the same file again is a new choice
      // as if the picker had been closed without a choice: on a phone the media library opens the
      // picker once per tap on "Unggah" and waits for either event before the next tap opens it
      input.dispatchEvent(new Event("cancel"));
    }
  }, true);
  window.addEventListener("drop", (event) => {
    if (event.dataTransfer && refuse(event.dataTransfer.files, event)) {
      // the drop zone's "drop here" cover goes as if the drag had left
      event.target.dispatchEvent(new DragEvent("dragleave", {bubbles: true}));
    }
  }, true);
})();
