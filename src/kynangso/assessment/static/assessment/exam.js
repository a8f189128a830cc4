// Countdown of the exam page. The deadline is kept on the server; this only shows it and, at zero, opens the result
// page (the server submits the attempt when it is read after its deadline).
(function () {
  var clock = document.querySelector(".countdown");
  if (!clock) return;
  var end = Date.now() + Number(clock.dataset.secondsLeft) * 1000;
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    if (left <= 60) clock.classList.add("urgent");
    if (left === 0) { window.location.href = clock.dataset.resultUrl; return; }
    setTimeout(tick, 1000);
  }
  tick();
})();
