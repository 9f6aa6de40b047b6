// 登记纠纷: add and remove party rows, show each row the fields of its kind, and fill sex and
// birth date from a valid ID number. Each row's fields are named parties-<n>-<field>; a new
// row copies the <template> and takes the next unused number. The first two rows (an
// applicant and a respondent) have no remove button. The server checks all of it again.
(function () {
  "use strict";
  var MAX_PARTIES = 20;
  // GB 11643: ISO 7064 MOD 11-2 over the first 17 digits.
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK_CHARS = "10X98765432";
  var list = document.querySelector("[data-party-list]");
  var template = document.getElementById("party-row-template");
  var addButton = document.querySelector("[data-add-party]");
  if (!list || !template || !addButton) {
    return;
  }

  function rows() {
    return list.querySelectorAll("[data-party-row]");
  }

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
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

  // Full-width digits and X from Chinese input methods count as ASCII; spaces are dropped.
  function compact(value) {
    return value
      .replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      })
      .replace(/\s+/g, "")
      .toUpperCase();
  }

  // What an ID number says: {sex, birth} when valid, "bad" when 18 characters do not check
  // out, null while it is being typed.
  function readId(value) {
    var number = compact(value);
    if (number.length !== 18) {
      return null;
    }
    if (!/^[0-9]{17}[0-9X]$/.test(number)) {
      return "bad";
    }
    var total = 0;
    for (var i = 0; i < 17; i += 1) {
      total += parseInt(number.charAt(i), 10) * WEIGHTS[i];
    }
    if (CHECK_CHARS.charAt(total % 11) !== number.charAt(17)) {
      return "bad";
    }
    var year = parseInt(number.slice(6, 10), 10);
    var month = parseInt(number.slice(10, 12), 10);
    var day = parseInt(number.slice(12, 14), 10);
    var born = new Date(Date.UTC(year, month - 1, day));
    if (born.getUTCFullYear() !== year || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) {
      return "bad";
    }
    return {
      sex: parseInt(number.charAt(16), 10) % 2 ? "male" : "female",
      birth: number.slice(6, 10) + "-" + number.slice(10, 12) + "-" + number.slice(12, 14),
    };
  }

  function fillFromId(row) {
    var hint = row.querySelector("[data-id-hint]");
    if (!hint.hasAttribute("data-default")) {
      hint.setAttribute("data-default", hint.textContent);
    }
    var read = readId(field(row, "id_number").value);
    hint.classList.toggle("text-danger", read === "bad");
    if (read === null) {
      hint.textContent = hint.getAttribute("data-default");
    } else if (read === "bad") {
      hint.textContent = list.getAttribute("data-id-bad");
    } else {
      field(row, "sex").value = read.sex;
      field(row, "birth_date").value = read.birth;
      hint.textContent = list.getAttribute("data-id-filled");
    }
  }

  // A person has an ID number, sex, birth date…; an organisation a legal representative.
  function showKind(row) {
    var kind = field(row, "kind").value;
    [["[data-person]", "person"], ["[data-organization]", "organization"]].forEach(function (pair) {
      row.querySelectorAll(pair[0]).forEach(function (box) {
        box.hidden = kind !== pair[1];
        box.querySelectorAll("input, select, textarea").forEach(function (input) {
          input.disabled = box.hidden;
        });
      });
    });
  }

  function refresh() {
    var all = rows();
    all.forEach(function (row, position) {
      row.querySelector("[data-party-number]").textContent = String(position + 1);
      var remove = row.querySelector("[data-remove-party]");
      if (remove) {
        remove.hidden = false;
      }
    });
    addButton.hidden = false;
    addButton.disabled = all.length >= MAX_PARTIES;
  }

  addButton.addEventListener("click", function () {
    var html = template.innerHTML.replace(/__index__/g, String(nextIndex()));
    list.insertAdjacentHTML("beforeend", html);
    refresh();
    var added = rows()[rows().length - 1];
    showKind(added);
    added.querySelector("input[type='text'], input:not([type])").focus();
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-party]");
    if (button) {
      button.closest("[data-party-row]").remove();
      refresh();
    }
  });

  list.addEventListener("input", function (event) {
    if (/-id_number$/.test(event.target.name || "")) {
      fillFromId(event.target.closest("[data-party-row]"));
    }
  });

  list.addEventListener("change", function (event) {
    if (/-kind$/.test(event.target.name || "")) {
      showKind(event.target.closest("[data-party-row]"));
    }
  });

  rows().forEach(showKind);
  refresh();
})();
