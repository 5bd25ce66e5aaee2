/* "复制链接": copies the article's address (the field shows it without JavaScript). */
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-copy"));
  var status = button.parentNode.querySelector(".share__copied");
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () { if (status) status.textContent = "已复制"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      try { if (document.execCommand("copy")) done(); } catch (e) { /* selected: the reader copies */ }
    }
  });
});
