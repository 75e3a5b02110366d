// hotline pages: small progressive enhancements only; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Print buttons on the printable forms.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // The big screen: a clock in Beijing time (UTC+8, whatever the display's own zone), every second.
  var clock = document.querySelector("[data-clock]");
  if (clock) {
    var tick = function () {
      var d = new Date(Date.now() + 8 * 3600 * 1000);
      var p = function (n) { return (n < 10 ? "0" : "") + n; };
      clock.textContent = d.getUTCFullYear() + "-" + p(d.getUTCMonth() + 1) + "-" + p(d.getUTCDate()) + " " + p(d.getUTCHours()) + ":" + p(d.getUTCMinutes()) + ":" + p(d.getUTCSeconds());
    };
    tick();
    setInterval(tick, 1000);
  }
});
