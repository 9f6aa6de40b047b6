// 拟定调解协议: add, remove and reorder the agreement's terms. Every term's textarea has the
// same name, so the order on the page is the order posted; labels are renumbered after each
// change. Without this script the page still offers numbered boxes.
(function () {
  "use strict";
  var form = document.querySelector("[data-agreement-form]");
  var list = form && form.querySelector("[data-term-list]");
  var template = document.getElementById("term-row-template");
  var addButton = form && form.querySelector("[data-term-add]");
  if (!list || !template || !addButton) {
    return;
  }
  var labelText = form.getAttribute("data-term-label-text");

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-term-row]"));
  }

  function refresh() {
    var all = rows();
    all.forEach(function (row, position) {
      var number = String(position + 1);
      var label = row.querySelector("[data-term-label]");
      var box = row.querySelector("textarea");
      label.textContent = labelText.replace("__n__", number);
      box.id = "term-" + number;
      label.setAttribute("for", box.id);
      row.querySelector("[data-term-tools]").hidden = false;
      row.querySelector("[data-term-up]").disabled = position === 0;
      row.querySelector("[data-term-down]").disabled = position === all.length - 1;
      row.querySelector("[data-term-remove]").disabled = all.length <= 1;
    });
    addButton.hidden = false;
  }

  addButton.addEventListener("click", function () {
    list.insertAdjacentHTML("beforeend", template.innerHTML);
    refresh();
    var all = rows();
    all[all.length - 1].querySelector("textarea").focus();
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    var row = button && button.closest("[data-term-row]");
    if (!row) {
      return;
    }
    if (button.hasAttribute("data-term-up") && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
    } else if (button.hasAttribute("data-term-down") && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
    } else if (button.hasAttribute("data-term-remove") && rows().length > 1) {
      row.remove();
    } else {
      return;
    }
    refresh();
    var focus = row.isConnected ? button : addButton;
    focus.focus();
  });

  refresh();
})();
