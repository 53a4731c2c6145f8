// "@" offers, as you type, the officials of the lesson's home space (asked of the server, which
// knows no one else). Progressive enhancement: without it, typing "@" and a full name works.
// Keyboard: up and down arrows move through the suggestions, Enter or Tab chooses, Escape closes.
(function () {
  "use strict";
  var counter = 0;

  function setUp(textarea) {
    var url = textarea.dataset.mentionUrl;
    var id = "mention-options-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.dataset.mentionLabel || "");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    textarea.insertAdjacentElement("afterend", status);
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", id);

    var options = [];
    var active = -1;
    var start = -1;
    var timer = null;
    var asked = 0;

    function typedMention() {
      var upto = textarea.value.slice(0, textarea.selectionStart);
      var match = /(^|[^\w@])@([^\s@]{0,40}(?: [^\s@]{0,40})?)$/u.exec(upto);
      if (!match) { return null; }
      return {start: upto.length - match[2].length - 1, text: match[2]};
    }

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        textarea.setAttribute("aria-activedescendant", options[index].id);
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var name = options[index].dataset.name;
      var before = textarea.value.slice(0, start);
      var after = textarea.value.slice(textarea.selectionStart);
      textarea.value = before + "@" + name + " " + after.replace(/^\S*/, "");
      var caret = before.length + name.length + 2;
      textarea.setSelectionRange(caret, caret);
      close();
      status.textContent = name;
      textarea.focus();
    }

    function show(officials) {
      list.replaceChildren();
      options = officials.map(function (official, i) {
        var option = document.createElement("li");
        option.id = id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.name = official.name;
        option.textContent = official.country ? official.name + " (" + official.country + ")" : official.name;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(i); });
        list.appendChild(option);
        return option;
      });
      list.hidden = options.length === 0;
      var found = options.length === 1 ? textarea.dataset.mentionOne : textarea.dataset.mentionMany;
      status.textContent = options.length ? (found || "%(count)s").replace("%(count)s", options.length) : "";
      highlight(options.length ? 0 : -1);
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      var typed = typedMention();
      if (!typed) { close(); return; }
      start = typed.start;
      timer = setTimeout(function () {
        var mine = ++asked;
        fetch(url + "?q=" + encodeURIComponent(typed.text), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {officials: []}; })
          .then(function (data) { if (mine === asked) { show(data.officials || []); } })
          .catch(function () { close(); });
      }, 150);
    });

    textarea.addEventListener("keydown", function (event) {
      if (list.hidden || !options.length) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("textarea[data-mention-url]").forEach(setUp);
})();
