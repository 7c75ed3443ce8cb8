// Solves the CVD form's proof of work before the form is sent: find a counter so that
// SHA-256("<challenge>:<counter>") starts with `difficulty` zero bits. No third party involved.
(function () {
  "use strict";
  var form = document.getElementById("cvd-form");
  if (!form || !window.crypto || !window.crypto.subtle) { return; }
  var difficulty = parseInt(form.getAttribute("data-difficulty"), 10) || 18;
  var solved = false;
  function zeroBits(buf) {
    var bytes = new Uint8Array(buf), bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      return bits + Math.clz32(bytes[i]) - 24;
    }
    return bits;
  }
  async function solve(challenge) {
    var enc = new TextEncoder();
    for (var c = 0; ; c++) {
      var h = await crypto.subtle.digest("SHA-256", enc.encode(challenge + ":" + c));
      if (zeroBits(h) >= difficulty) { return c; }
    }
  }
  form.addEventListener("submit", function (e) {
    if (solved) { return; }
    e.preventDefault();
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
    solve(document.getElementById("pow_challenge").value).then(function (c) {
      document.getElementById("pow_counter").value = String(c);
      solved = true;
      form.submit();
    });
  });
})();
