// 登记签名: show the field of the chosen method, and let the signer draw on the canvas;
// on submit a drawn signature travels as a PNG data URL in the hidden image field. The typed
// name starts as the name of the signer chosen.
(function () {
  "use strict";
  document.querySelectorAll("[data-signature-form]").forEach(function (form) {
    var canvas = form.querySelector("[data-signature-pad]");
    var image = form.querySelector("[data-signature-image]");
    var clear = form.querySelector("[data-signature-clear]");
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    function chosenMethod() {
      var checked = form.querySelector("input[name$='method']:checked");
      return checked ? checked.value : "";
    }

    function showPanels() {
      var method = chosenMethod();
      form.querySelectorAll("[data-method-panel]").forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-method-panel") !== method;
      });
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - box.left) * canvas.width) / box.width,
        y: ((event.clientY - box.top) * canvas.height) / box.height,
      };
    }

    context.lineWidth = 3;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#111";

    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      context.beginPath();
      context.moveTo(p.x, p.y);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      var p = point(event);
      context.lineTo(p.x, p.y);
      context.stroke();
      drawn = true;
      event.preventDefault();
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () {
        drawing = false;
      });
    });
    clear.addEventListener("click", function () {
      context.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
      image.value = "";
    });
    // The typed name follows the signer chosen, unless the user typed another one.
    var signer = form.querySelector("select[name$='signer']");
    var typed = form.querySelector("input[name$='typed_name']");
    var names = JSON.parse(signer.getAttribute("data-signer-names") || "{}");
    var suggested = names[signer.value] || "";
    signer.addEventListener("change", function () {
      if (typed.value === "" || typed.value === suggested) {
        typed.value = names[signer.value] || "";
      }
      suggested = names[signer.value] || "";
    });
    form.querySelectorAll("input[name$='method']").forEach(function (radio) {
      radio.addEventListener("change", showPanels);
    });
    form.addEventListener("submit", function () {
      image.value = chosenMethod() === "drawn" && drawn ? canvas.toDataURL("image/png") : "";
    });
    showPanels();
  });
})();
