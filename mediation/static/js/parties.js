// 登记纠纷: add and remove party rows. Each row's fields are named parties-<n>-<field>;
// a new row copies the <template> and takes the next unused number.
(function () {
  "use strict";
  var MAX_PARTIES = 20;
  var list = document.querySelector("[data-party-list]");
  var template = document.getElementById("party-row-template");
  var addButton = document.querySelector("[data-add-party]");
  if (!list || !template || !addButton) {
    return;
  }

  function rows() {
    return list.querySelectorAll("[data-party-row]");
  }

  function nextIndex() {
    var highest = -1;
    list.querySelectorAll("[name^='parties-']").forEach(function (input) {
      var match = /^parties-(\d+)-/.exec(input.name);
      if (match) {
        highest = Math.max(highest, parseInt(match[1], 10));
      }
    });
    return highest + 1;
  }

  function refresh() {
    var all = rows();
    all.forEach(function (row, position) {
      row.querySelector("[data-party-number]").textContent = String(position + 1);
      row.querySelector("[data-remove-party]").hidden = all.length <= 1;
    });
    addButton.hidden = false;
    addButton.disabled = all.length >= MAX_PARTIES;
  }

  addButton.addEventListener("click", function () {
    var html = template.innerHTML.replace(/__index__/g, String(nextIndex()));
    list.insertAdjacentHTML("beforeend", html);
    refresh();
    var added = rows()[rows().length - 1];
    added.querySelector("input[type='text'], input:not([type])").focus();
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-party]");
    if (button) {
      button.closest("[data-party-row]").remove();
      refresh();
    }
  });

  refresh();
})();
