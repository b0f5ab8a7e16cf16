// Added to pages by `lawreport serve` only: reload when a new build is in, show a failed build's error.
(function () {
  "use strict";
  var seen = null;
  var banner = null;

  function show(error) {
    if (!error) {
      if (banner) { banner.remove(); banner = null; }
      return;
    }
    if (!banner) {
      banner = document.createElement("pre");
      banner.setAttribute("role", "alert");
      banner.id = "lawreport-build-error";
      var s = banner.style;   // CSSOM, which the pages' Content-Security-Policy allows
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "1000";
      s.margin = "0"; s.padding = "1em"; s.maxHeight = "40vh"; s.overflow = "auto";
      s.whiteSpace = "pre-wrap"; s.background = "#7a1010"; s.color = "#fff"; s.font = "14px/1.5 monospace";
      document.body.appendChild(banner);
    }
    banner.textContent = "构建失败 (the build failed); the page shows the previous site.\n\n" + error;
  }

  function poll() {
    fetch("/__build", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (seen !== null && status.generation !== seen && !status.error) {
          location.reload();
          return;
        }
        seen = status.generation;
        show(status.error);
      })
      .catch(function () { /* the server is restarting: try again */ })
      .then(function () { setTimeout(poll, 700); });
  }
  poll();
})();
