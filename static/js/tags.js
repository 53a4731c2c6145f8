// Tags offered as you type, from the tags already used in the lesson's network.
// Progressive enhancement: without it, the field is a plain comma-separated text box.
(function () {
  "use strict";
  var holder = document.querySelector("[data-tag-suggestions]");
  var list = document.getElementById("tag-options");
  if (!holder || !list) { return; }
  var input = holder.querySelector("input");
  if (!input) { return; }
  input.setAttribute("list", "tag-options");
  input.setAttribute("autocomplete", "off");
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var parts = input.value.split(",");
      var typed = parts.pop().trim();
      var before = parts.map(function (p) { return p.trim(); }).filter(Boolean);
      if (!typed) { list.replaceChildren(); return; }
      fetch(holder.dataset.tagSuggestions + "&q=" + encodeURIComponent(typed), {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : {tags: []}; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.tags.map(function (tag) {
            var option = document.createElement("option");
            option.value = before.concat([tag]).join(", ");
            return option;
          }));
        })
        .catch(function () {});
    }, 200);
  });
})();
