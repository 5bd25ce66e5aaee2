/* Reading settings (font size, light/dark), kept in this browser. Loaded in <head> without
   defer, so they apply before the first paint; the page itself is the same for everyone. */
(function () {
  var root = document.documentElement;
  var store = { size: "", theme: "" };
  try {
    store.size = localStorage.getItem("jrd-size") || "";
    store.theme = localStorage.getItem("jrd-theme") || "";
  } catch (e) { /* storage refused: defaults */ }
  if (store.size) root.setAttribute("data-size", store.size);
  if (store.theme) root.setAttribute("data-theme", store.theme);
  root.classList.add("js");

  function save(key, value) {
    try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch (e) {}
  }
  function dark() {
    var theme = root.getAttribute("data-theme");
    if (theme) return theme === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function reflect() {
    var size = root.getAttribute("data-size") || "";
    document.querySelectorAll(".prefs [data-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-size") === size));
    });
    var toggle = document.querySelector(".prefs [data-theme-toggle]");
    if (toggle) toggle.setAttribute("aria-pressed", String(dark()));
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".prefs [data-size]").forEach(function (button) {
      button.addEventListener("click", function () {
        var size = button.getAttribute("data-size");
        if (size) root.setAttribute("data-size", size); else root.removeAttribute("data-size");
        save("jrd-size", size);
        reflect();
      });
    });
    var toggle = document.querySelector(".prefs [data-theme-toggle]");
    if (toggle) toggle.addEventListener("click", function () {
      var theme = dark() ? "light" : "dark";
      root.setAttribute("data-theme", theme);
      save("jrd-theme", theme);
      reflect();
    });
    reflect();
  });
})();
