/* Keeps "points left in the budget" current on the page, so nobody starts an application the
   budget can no longer cover. Without JavaScript the figure is as of the page load. */
(function () {
  "use strict";
  var REFRESH_MS = 30000;
  function refresh(box) {
    var url = box.getAttribute("data-budget-url");
    var value = box.querySelector("[data-budget-value]");
    if (!url || !value || !window.fetch) { return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && typeof data.budget_left === "number") {
          value.textContent = data.budget_left.toLocaleString("en-US");
        }
      })
      .catch(function () { /* keep the last figure shown */ });
  }
  document.querySelectorAll(".budget-live").forEach(function (box) {
    window.setInterval(function () { refresh(box); }, REFRESH_MS);
  });
}());
