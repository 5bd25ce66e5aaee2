// Search suggestions as you type. Progressive enhancement: without this script the search
// box simply submits. Keyboard: ↓/↑ move through the list, Enter opens, Esc closes.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (!input || !list || !window.fetch) return;
  var url = input.getAttribute("data-suggest");
  var items = [];
  var active = -1;
  var timer = null;
  var latest = 0;

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function select(index) {
    items.forEach(function (item, i) {
      item.el.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", items[index].el.id);
    else input.removeAttribute("aria-activedescendant");
  }

  function add(label, kind, href) {
    var li = document.createElement("li");
    li.id = "suggestion-" + items.length;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    var text = document.createElement("span");
    text.textContent = label;
    var tag = document.createElement("span");
    tag.className = "kind";
    tag.textContent = kind;
    li.appendChild(text);
    li.appendChild(tag);
    li.addEventListener("mousedown", function (event) {
      event.preventDefault();
      window.location.href = href;
    });
    list.appendChild(li);
    items.push({ el: li, href: href });
  }

  function show(data) {
    list.innerHTML = "";
    items = [];
    active = -1;
    (data.tags || []).forEach(function (tag) {
      add(tag.name, "搜索", tag.url);
      add(tag.name + "词条", "词条", tag.entry_url);
    });
    (data.articles || []).forEach(function (article) { add(article.title, "文章", article.url); });
    if (!items.length) return close();
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (!query) return close();
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && ticket === latest) show(data); })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden || !items.length) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      select((active + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      select(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].href;
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
