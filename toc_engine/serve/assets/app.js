// Clicking a result in the theory-of-change graph opens its page.
document.addEventListener("click", function (event) {
  var node = event.target.closest ? event.target.closest('[id^="node-"], [id^="label-"]') : null;
  if (!node || !node.closest(".graph")) { return; }
  var id = node.id.replace(/^(node|label)-/, "");
  var base = document.body.getAttribute("data-base") || "";
  window.location.href = base + "/result/" + encodeURIComponent(id);
});
