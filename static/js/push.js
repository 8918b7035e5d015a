// Push: the worksheet page listens to the server's event stream and checks in the moment
// somebody's save is committed, instead of at the next poll (worksheets/sheet/stream.py).
//
// The stream carries only the worksheet's revision; the usual check-in (#checkin, see
// worksheet.js) fetches what changed and keeps presence. The poll goes on, PUSH_SLOWER times
// less often while the stream is heard from; it is the whole mechanism again, at its usual
// pace, where there is no EventSource, where the stream fails, or where nothing (no event, no
// heartbeat) arrives for 2.5 heartbeats — a proxy that buffers or blocks the stream.
(function () {
  "use strict";
  const checkin = document.getElementById("checkin");
  if (!checkin || !checkin.dataset.streamUrl || !window.EventSource || !window.htmx) return;
  const heartbeat = Number(checkin.dataset.heartbeat || 15) * 1000;
  const slower = Math.max(1, Number(checkin.dataset.slower || 2));
  const RETRY_MS = 30000;
  let source = null;
  let live = false;
  let heardAt = 0;
  let openedAt = 0;
  let pushed = false;
  let skipped = 0;
  let retryTimer = null;

  function shownRevision() {
    const input = document.querySelector("#checkin-state input[name=rev]");
    return input ? Number(input.value) : NaN;
  }

  // #checkin's data-push says which one the page relies on: "live" (the stream) or "poll".
  function say(state) {
    live = state === "live";
    checkin.dataset.push = state;
  }

  function heard(event) {
    say("live");
    heardAt = Date.now();
    const revision = Number(event.data);
    if (revision > shownRevision()) {
      pushed = true;
      window.htmx.trigger(checkin, "sanpuku:push");
    }
  }

  function close() {
    if (source) source.close();
    source = null;
    say("poll");
  }

  function later() {
    close();
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        open();
      }, RETRY_MS);
    }
  }

  function open() {
    source = new EventSource(checkin.dataset.streamUrl);
    openedAt = Date.now();
    source.addEventListener("revision", heard);
    source.addEventListener("heartbeat", heard);
    // Logged out or no longer a member: the check-in's answer tells the person; stop here.
    source.addEventListener("end", close);
    source.addEventListener("error", function () {
      say("poll");
      // CLOSED: refused (not 200 or not an event stream); otherwise the browser reconnects.
      if (source && source.readyState === EventSource.CLOSED) later();
    });
  }

  window.setInterval(function () {
    if (!source) return;
    const since = Date.now() - (heardAt > openedAt ? heardAt : openedAt);
    if (since > heartbeat * 2.5) later();
  }, 1000);

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt !== checkin) return;
    if (pushed || !live || document.hidden) {
      // A push asked for it, the poll is all there is, or a hidden tab (worksheet.js slows it).
      pushed = false;
      skipped = 0;
      return;
    }
    if (skipped < slower - 1) {
      skipped += 1;
      event.preventDefault();
      return;
    }
    skipped = 0;
  });

  window.addEventListener("pagehide", close);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && !source) open();
  });
  open();
})();
