// Waiting screen and open questions: reload when the trainer opens or closes questions (checked every 2 s).
(function () {
  var root = document.getElementById("poll");
  if (!root) return;
  var version = root.getAttribute("data-version");
  function editing() {
    var active = document.activeElement;
    return active && (active.tagName === "TEXTAREA" || active.tagName === "INPUT" || active.tagName === "SELECT");
  }
  setInterval(function () {
    fetch("/state", {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) { if (String(s.version) !== version && !editing()) location.reload(); })
      .catch(function () {});
  }, 2000);
})();
