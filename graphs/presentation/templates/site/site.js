/* samverkan site: mark the quoted passage a link lands on (#c-N), on load and on every jump. */
(function () {
  "use strict";
  function markCurrent() {
    var old = document.querySelectorAll("mark.aktuell");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("aktuell"); }
    var m = /^#c-(\d+)$/.exec(window.location.hash);
    if (!m) { return; }
    var marks = document.querySelectorAll("mark[data-p]");
    for (var j = 0; j < marks.length; j++) {
      if (marks[j].getAttribute("data-p").split(" ").indexOf(m[1]) >= 0) { marks[j].classList.add("aktuell"); }
    }
  }
  window.addEventListener("hashchange", markCurrent);
  markCurrent();
})();
