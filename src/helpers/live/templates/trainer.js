// The projector page: the tallies are re-read about once a second (HTML escaped by the server).
(function () {
  var box = document.getElementById("tally");
  setInterval(function () {
    fetch("/trainer/tally", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) box.innerHTML = html; })
      .catch(function () {});
  }, 1000);
})();
