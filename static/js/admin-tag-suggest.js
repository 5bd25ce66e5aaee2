// Tag suggestions for the article form: keep the tags already typed and complete the last one.
(function () {
  "use strict";
  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var names = Array.prototype.map.call(list.options, function (o) { return o.value; });
    function refresh() {
      var parts = input.value.split(/[,，、;；\n]/);
      var last = parts.pop().trim();
      var done = parts.map(function (p) { return p.trim(); }).filter(Boolean);
      var prefix = done.length ? done.join(", ") + ", " : "";
      list.innerHTML = "";
      names.filter(function (n) { return done.indexOf(n) < 0 && (!last || n.indexOf(last) >= 0); })
        .slice(0, 30)
        .forEach(function (n) {
          var option = document.createElement("option");
          option.value = prefix + n;
          list.appendChild(option);
        });
    }
    input.addEventListener("input", refresh);
    input.addEventListener("focus", refresh);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[list$='-suggestions']").forEach(enhance);
  });
})();
