// hotline intake form: the knowledge base's suggestions while the operator types (issue 15). A
// progressive enhancement: without this file the form's "查找知识库" button asks the server for the
// same list. The fragment comes from /console/intake/suggest (the text posted, never in a URL), rendered on the server (escaped) with
// the template the form uses; its buttons submit the form to take an entry as the immediate answer.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("kb-suggest");
  if (!box || !window.fetch || !window.URLSearchParams) { return; }
  var url = box.getAttribute("data-suggest");
  var field = function (id) { return document.getElementById(id); };
  var title = field("title"), content = field("content"), matter = field("matter"), region = field("region");
  var form = box.closest ? box.closest("form") : null;
  var token = form ? form.querySelector("input[name=_csrf]") : null;
  var timer = null, last = "", seq = 0;
  var ask = function () {
    var text = ((title ? title.value : "") + " " + (content ? content.value : "")).trim();
    if (text.length < 2) { return; }
    var q = new URLSearchParams();
    if (token) { q.set("_csrf", token.value); }
    q.set("text", text.slice(0, 500));
    if (matter && matter.value) { q.set("matter", matter.value); }
    if (region && region.value) { q.set("place", region.value); }
    var s = q.toString();
    if (s === last) { return; }
    last = s;
    var mine = ++seq;
    fetch(url, { method: "POST", credentials: "same-origin", body: q, headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { if (mine === seq) { box.innerHTML = html; } })
      .catch(function () { last = ""; });
  };
  var later = function () { clearTimeout(timer); timer = setTimeout(ask, 350); };
  [title, content].forEach(function (f) { if (f) { f.addEventListener("input", later); } });
  [matter, region].forEach(function (f) { if (f) { f.addEventListener("change", later); } });
});
