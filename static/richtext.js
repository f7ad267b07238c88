// A small formatting editor for fields marked `data-richtext`. Without
// JavaScript the textarea stays and takes plain text; with it, the textarea
// is hidden and receives the editor's HTML when the form is sent. The
// server cleans whatever arrives either way.
(function () {
  "use strict";
  var commands = [
    ["bold", "B"],
    ["italic", "I"],
    ["insertUnorderedList", "•"],
    ["insertOrderedList", "1."],
    ["createLink", "🔗"],
    ["removeFormat", "⌫"]
  ];
  document.querySelectorAll("textarea[data-richtext]").forEach(function (area) {
    // Button names come from the page, in the reader's language.
    var labels = (area.dataset.labels || "").split("|");
    var label = document.querySelector('label[for="' + area.id + '"]');
    var toolbar = document.createElement("div");
    toolbar.className = "richtext-toolbar";
    toolbar.setAttribute("role", "toolbar");
    var editor = document.createElement("div");
    editor.className = "richtext";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || area.id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
      toolbar.setAttribute("aria-labelledby", label.id);
    }
    // The server sends this value already cleaned.
    editor.innerHTML = area.value;
    commands.forEach(function (c, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = c[1];
      button.title = labels[i] || c[0];
      button.setAttribute("aria-label", button.title);
      button.addEventListener("click", function () {
        var value = null;
        if (c[0] === "createLink") {
          value = window.prompt(area.dataset.linkPrompt || "", "https://");
          if (!value) return;
        }
        editor.focus();
        document.execCommand(c[0], false, value);
      });
      toolbar.appendChild(button);
    });
    area.hidden = true;
    area.parentNode.insertBefore(toolbar, area);
    area.parentNode.insertBefore(editor, area);
    area.form.addEventListener("submit", function () {
      area.value = editor.innerHTML;
    });
  });
})();
