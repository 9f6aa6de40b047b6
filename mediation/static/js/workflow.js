// 流程图: draw the Mermaid source on the admin page with the locally served mermaid.js.
// The diagram first fits the frame; the zoom button shows it at its natural size, the
// frame then scrolling sideways.
(function () {
  "use strict";
  if (typeof mermaid === "undefined") {
    return;
  }
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    theme: "neutral",
    themeVariables: { fontSize: "16px" },
    fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif',
  });

  function enableZoom() {
    var button = document.querySelector("[data-diagram-zoom]");
    var svg = document.querySelector(".workflow-diagram svg");
    if (!button || !svg || !svg.viewBox.baseVal) {
      return;
    }
    var fitted = true;
    button.hidden = false;
    button.addEventListener("click", function () {
      fitted = !fitted;
      svg.style.maxWidth = fitted ? "" : "none";
      svg.style.width = fitted ? "" : svg.viewBox.baseVal.width + "px";
      button.textContent = fitted ? button.dataset.zoomIn : button.dataset.zoomOut;
    });
  }

  mermaid.run({ querySelector: "pre.mermaid" }).then(enableZoom);
})();
