/* The main menu's groups are <details> disclosures and work without this file. It adds what a
   drop-down menu is expected to do: Escape closes the open group (focus returns to its
   heading), and a click or focus outside it closes it. */
(function () {
  "use strict";
  function openGroups() {
    return Array.prototype.slice.call(document.querySelectorAll(".site-nav details[open]"));
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    openGroups().forEach(function (group) {
      var hadFocus = group.contains(document.activeElement);
      group.open = false;
      if (hadFocus) { group.querySelector("summary").focus(); }
    });
  });
  function closeOthers(target) {
    openGroups().forEach(function (group) {
      if (!group.contains(target)) { group.open = false; }
    });
  }
  document.addEventListener("click", function (event) { closeOthers(event.target); });
  document.addEventListener("focusin", function (event) { closeOthers(event.target); });
}());
