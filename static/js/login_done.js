// The window opened by 「ログインし直す」: tell the worksheet page that the session is back
// (it then fetches a fresh CSRF token and sends what is waiting), then close.
(function () {
  "use strict";
  try {
    localStorage.setItem("sanpuku:logged-in", String(Date.now()));
  } catch (e) {
    /* storage may be disabled; the opener also hears the message below */
  }
  if (window.opener && window.opener !== window) {
    try {
      window.opener.postMessage({ sanpuku: "logged-in" }, window.location.origin);
    } catch (e) {
      /* the opener was closed or navigated elsewhere */
    }
    window.close();
  }
})();
