// Co-editing on the worksheet page: what htmx attributes cannot say by themselves.
//
// Nothing typed is lost. Every box's words are kept in this browser (localStorage, keyed by
// person, worksheet, box and the version the words were typed on) until the server has
// acknowledged them. A save that fails — network down, server error, session ended, stale
// CSRF token, role lowered, worksheet deleted — leaves the words in the box, says why next to
// it, and never replaces the page; saves that can go out later wait in a queue (network back,
// logged in again). A reload offers the words back; leaving asks first and sends what it can.
// On 全体表示 a box closed before its save keeps its words the same way: opened again (or
// restored after a reload) its editor gets them back.
//
// Others' saves: each check-in says which boxes this person is typing in (the focused box,
// words not yet acknowledged, an IME composition — never a focused 「保存」 button), so that
// others' saves refresh every other box but never the one being typed in; that one shows a
// notice with 「最新の内容を表示」 and refreshes by itself when the person leaves it unchanged.
(function () {
  "use strict";

  const config = document.getElementById("sheet-drafts");
  if (!config) return;
  const PREFIX = "sanpuku:draft:" + config.dataset.user + ":" + config.dataset.worksheet + ":";
  const TEXT_BOXES = "textarea, select, input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=radio]):not([type=checkbox])";
  // A server error is often over in a moment (a restart, a busy database): the first retry is
  // quick, later ones wait longer, so that a longer outage is not hammered.
  const RETRY_SECONDS = [2, 5, 15, 30];
  let retries = 0;

  const unsent = new Set(); // ids of forms whose words the server has not acknowledged
  const composing = new Set(); // ids of forms with an IME composition in progress
  const afterComposition = new Set(); // saves held back by a composition, sent at its end
  const queue = new Set(); // ids of forms whose save failed and will be sent again
  const stale = new Set(); // field keys others changed while this person was typing there
  const sent = new Map(); // id -> the values of the save in flight
  let token = null; // the freshest CSRF token, once the page had to ask for one
  let sessionEnded = false;
  let offline = !navigator.onLine;
  let retryTimer = null;

  // --- Which form, which words -------------------------------------------------------------

  // The form whose words a request carries: 「自分の内容で保存」 in a conflict panel carries
  // the words of the field's own box.
  function formOf(elt) {
    if (!elt || !elt.closest) return null;
    const useMine = elt.closest("[data-use-mine]");
    if (useMine) return formOf(document.getElementById(useMine.dataset.useMine));
    return elt.closest("form[data-field], form[data-draft]");
  }
  function idOf(form) {
    return form.dataset.field || form.dataset.draft;
  }
  function formById(id) {
    return document.querySelector('form[data-field="' + id + '"], form[data-draft="' + id + '"]');
  }
  function boxesOf(form) {
    return Array.from(form.querySelectorAll(TEXT_BOXES)).filter(function (box) {
      return box.name;
    });
  }
  function valuesOf(form) {
    const values = {};
    boxesOf(form).forEach(function (box) {
      values[box.name] = box.value;
    });
    return values;
  }
  function sameValues(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  function versionOf(form) {
    const input = form.querySelector('input[name="version"]');
    return input ? input.value : "0";
  }
  function labelOf(form) {
    const box = boxesOf(form)[0];
    const label = box && box.id ? document.querySelector('label[for="' + box.id + '"]') : null;
    return label ? label.textContent.trim() : "";
  }
  function isTypingBox(elt) {
    return !!(elt && elt.matches && elt.matches(TEXT_BOXES));
  }

  // --- Drafts in this browser --------------------------------------------------------------

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }
  function draftKeys(id) {
    const store = storage();
    const keys = [];
    if (!store) return keys;
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key && key.indexOf(PREFIX + (id ? id + ":" : "")) === 0) keys.push(key);
    }
    return keys;
  }
  function forgetDraft(id) {
    const store = storage();
    if (store) draftKeys(id).forEach(function (key) { store.removeItem(key); });
  }
  function keepDraft(form) {
    const id = idOf(form);
    unsent.add(id);
    const store = storage();
    if (!store) return;
    const version = versionOf(form);
    const draft = { id: id, version: version, values: valuesOf(form), label: labelOf(form), at: Date.now() };
    draftKeys(id).forEach(function (key) {
      if (key !== PREFIX + id + ":" + version) store.removeItem(key);
    });
    try {
      store.setItem(PREFIX + id + ":" + version, JSON.stringify(draft));
    } catch (e) {
      /* storage full: the words are still in the box */
    }
  }
  function storedDrafts() {
    const store = storage();
    return draftKeys("").map(function (key) {
      try {
        return JSON.parse(store.getItem(key));
      } catch (e) {
        return null;
      }
    }).filter(Boolean);
  }

  function storedDraft(id) {
    return storedDrafts().find(function (draft) { return draft.id === id; }) || null;
  }
  // Words kept in this browser go back in their box on the version they were typed on: the
  // server merges them with what came after, or shows both, instead of writing over it.
  function restoreInto(form, draft) {
    boxesOf(form).forEach(function (box) {
      if (box.name in draft.values) box.value = draft.values[box.name];
    });
    const version = form.querySelector('input[name="version"]');
    if (version) version.value = draft.version;
    keepDraft(form);
    if (form.dataset.field) resend(draft.id);
  }

  // --- Saying what happened ----------------------------------------------------------------

  function statusOf(form) {
    const id = idOf(form);
    return document.getElementById("status-" + id) || document.getElementById("draft-status-" + id) || document.getElementById("sheet-error");
  }
  function say(form, message, state) {
    const status = form ? statusOf(form) : document.getElementById("sheet-error");
    if (!status) return;
    status.textContent = message;
    status.dataset.state = state === undefined ? "error" : state;
    status.classList.toggle("text-danger", !!message);
    status.classList.toggle("fw-bold", !!message);
  }
  function sayConnection() {
    const banner = document.getElementById("sheet-connection");
    if (!banner) return;
    banner.replaceChildren();
    if (!sessionEnded && !offline) {
      banner.hidden = true;
      return;
    }
    banner.hidden = false;
    const text = document.createElement("p");
    text.className = "mb-2";
    if (sessionEnded) {
      text.textContent = "ログインの有効期限が切れたか、別の画面でログアウトしたため、保存できていない入力があります。入力内容はこの画面とこのブラウザに残っています。ログインし直すと、自動で保存します。";
      banner.append(text);
      const link = document.createElement("a");
      link.className = "btn btn-sm btn-primary";
      link.href = config.dataset.loginUrl;
      link.target = "_blank";
      link.rel = "opener";
      link.textContent = "ログインし直す";
      // A window the script opened may close itself once logged in; if pop-ups are blocked
      // the link opens a tab instead, which tells this page all the same.
      link.addEventListener("click", function (event) {
        const opened = window.open(link.href, "sanpuku-login", "popup,width=560,height=720");
        if (opened) event.preventDefault();
      });
      banner.append(link);
    } else {
      text.textContent = "オフラインです（通信できません）。入力内容はこのブラウザに残っています。接続が戻ると、自動で保存します。";
      banner.append(text);
    }
  }

  // --- Sending, and sending again ----------------------------------------------------------

  function resend(id) {
    const form = formById(id);
    if (!form) return;
    const trigger = form.getAttribute("hx-trigger") || "";
    htmx.trigger(form, trigger.indexOf("change") >= 0 ? "change" : "submit");
  }
  function flush() {
    if (sessionEnded || offline) return;
    const waiting = Array.from(queue);
    queue.clear();
    waiting.forEach(resend);
  }
  function retryLater(id) {
    queue.add(id);
    if (!retryTimer) {
      const wait = RETRY_SECONDS[Math.min(retries, RETRY_SECONDS.length - 1)];
      retries += 1;
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        flush();
      }, wait * 1000);
    }
  }
  function useToken(fresh) {
    token = fresh;
    document.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) {
      input.value = fresh;
    });
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": fresh }));
  }
  // Ask the server whether this browser is logged in, and for a token that goes with it.
  let refreshing = null;
  function refreshSession() {
    if (refreshing) return refreshing; // one question for all the saves that met the stale token
    refreshing = fetch(config.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) return false;
        return response.json().then(function (data) {
          useToken(data.token);
          return true;
        });
      })
      .catch(function () {
        return false;
      })
      .finally(function () {
        refreshing = null;
      });
    return refreshing;
  }
  function sessionBack() {
    if (!sessionEnded && !queue.size) return;
    refreshSession().then(function (ok) {
      if (!ok) return;
      sessionEnded = false;
      sayConnection();
      flush();
    });
  }
  function endSession(id) {
    if (id) queue.add(id);
    if (!sessionEnded) {
      sessionEnded = true;
      sayConnection();
    }
  }
  function redirectedToLogin(xhr) {
    if (!xhr || !xhr.responseURL) return false;
    try {
      return new URL(xhr.responseURL).pathname === config.dataset.loginPath;
    } catch (e) {
      return false;
    }
  }

  // --- htmx: before a request --------------------------------------------------------------

  document.addEventListener("htmx:configRequest", function (event) {
    const elt = event.detail.elt;
    if (token) event.detail.headers["X-CSRFToken"] = token;
    if (elt.id === "checkin") {
      const editing = new Set(Array.from(unsent).concat(Array.from(composing)));
      const active = document.activeElement;
      // A focused 「保存」 button is not typing: the box it saved refreshes like any other.
      if (isTypingBox(active) && formOf(active) && formOf(active).dataset.field) {
        editing.add(formOf(active).dataset.field);
      }
      // A KPI form open in the section: the check-in announces others' KPI saves, not redraws.
      if (document.querySelector("#kpis form")) editing.add("kpis");
      event.detail.parameters.editing = Array.from(editing).filter(function (id) {
        return id.indexOf("field-") === 0 || id.indexOf("item-") === 0 || id === "kpis";
      }).join(",");
      return;
    }
    const form = formOf(elt);
    if (!form || event.detail.verb !== "post") return;
    const id = idOf(form);
    if (token && event.detail.parameters.csrfmiddlewaretoken) event.detail.parameters.csrfmiddlewaretoken = token;
    // No autosave in the middle of an IME composition: the words are not chosen yet.
    if (composing.has(id)) {
      afterComposition.add(id);
      event.preventDefault();
      return;
    }
    // While a conflict panel is open, autosaving would only conflict again and redraw the
    // panel under the person's mouse: wait for their choice instead.
    const conflict = document.getElementById("conflict-" + id);
    if (elt.tagName === "TEXTAREA" && conflict && conflict.querySelector(".conflict-panel")) {
      event.preventDefault();
      return;
    }
    const useMine = elt.closest ? elt.closest("[data-use-mine]") : null;
    if (useMine) {
      const box = document.getElementById(useMine.dataset.useMine);
      if (box) event.detail.parameters.text = box.value;
    }
    keepDraft(form);
    if (offline || sessionEnded) {
      queue.add(id);
      say(form, offline
        ? "未保存：オフラインです。入力内容は残っています。接続が戻ると自動で保存します。"
        : "未保存：ログインし直すと自動で保存します。入力内容は残っています。");
      event.preventDefault();
      return;
    }
    sent.set(id, valuesOf(form));
  });

  // A login page reached through a redirect is never swapped into the worksheet.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (redirectedToLogin(event.detail.xhr)) {
      event.detail.shouldSwap = false;
      event.detail.isError = true;
    }
  });

  // Others' saves never overwrite a box being typed in, even one whose check-in left before
  // the typing began: the box keeps its words and the notice offers the latest.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const target = event.detail.target;
    if (!target || !target.id || target.id.indexOf("field-") !== 0) return;
    const form = target.querySelector("form[data-field]");
    if (!form) return;
    const id = idOf(form);
    const typing = unsent.has(id) || composing.has(id) || (target.contains(document.activeElement) && isTypingBox(document.activeElement));
    if (!typing) return;
    event.detail.shouldSwap = false;
    const key = target.id.slice("field-".length);
    stale.add(key);
    const notice = document.getElementById("notice-field-" + key);
    if (notice && (!notice.textContent.trim() || notice.dataset.restored)) {
      delete notice.dataset.restored;
      notice.replaceChildren(noticeText("ほかの方がこの欄を更新しました。"), latestButton(key));
    }
  });

  // A page far behind fetches its changed lists and the KPI section one by one (#catch-up,
  // worksheets/sheet/checkin.py). One being typed in is not replaced: it keeps the person's
  // words and says that others changed it, and is fetched again once they have left it and
  // their words are saved.
  const heldBack = new Map(); // id of a list or of #kpis -> { url, notice, text }
  const refetching = new Set(); // ids of those fetched again, answer not in yet
  function typingIn(area) {
    if (area.id === "kpis" && area.querySelector("form")) return true; // a KPI form is open
    const active = document.activeElement;
    if (area.contains(active) && isTypingBox(active)) return true;
    return Array.from(area.querySelectorAll("form")).some(function (form) {
      const id = idOf(form);
      return !!id && (unsent.has(id) || composing.has(id));
    });
  }
  function isCatchUp(elt) {
    return !!(elt && elt.closest && elt.closest("#catch-up"));
  }

  // An older render never replaces a newer one. Each list and the KPI section carry the
  // revision they were rendered at (data-revision, read before their content, so the content
  // is at least that new). An answer can land after a newer render of the same section — a
  // check-in that left before the person's own add and came back after it, a list a page far
  // behind fetched slowly —, and would hide the newer one until the section's next change: it
  // is dropped, since what is shown holds all it holds. A refusal is never dropped: it carries
  // the person's words and the reason.
  // The other way round too: htmx swaps an answer into the element it targeted when the
  // request left; a check-in may have replaced that element meanwhile, and the answer, newer,
  // would go into an element no longer on the page (where not even htmx:beforeSwap reaches this
  // script). Once the answer is in, and before htmx reads it, it is sent to the one there now;
  // and the news that the request ended reaches the page even from a form no longer on it, so
  // that an add's words are known saved (or kept, if refused).
  function shownRevision(area) {
    const rendered = area.matches && area.matches("[data-revision]") ? area : area.querySelector("[data-revision]");
    return rendered ? Number(rendered.dataset.revision) : null;
  }
  function answeredRevision(html, id) {
    const root = new RegExp('<[a-z]+\\s[^>]*\\bid="' + id + '"[^>]*>').exec(html);
    const revision = root && /\sdata-revision="(\d+)"/.exec(root[0]);
    return revision ? Number(revision[1]) : null;
  }
  function older(revision, area) {
    const shown = shownRevision(area);
    return revision !== null && shown !== null && revision < shown;
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    const html = event.detail.serverResponse;
    if (!event.detail.shouldSwap || !target || !target.id || typeof html !== "string") return;
    if (html.indexOf("data-refused") >= 0 || !older(answeredRevision(html, target.id), target)) return;
    event.detail.shouldSwap = false;
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (isCatchUp(elt)) heldBack.delete(target.id); // nothing to fetch again: the newer is shown
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    const answer = event.detail; // the object htmx hands on to its swap once the answer is in
    const target = answer.target;
    if (!answer.xhr || !target || !target.id || shownRevision(target) === null) return;
    answer.xhr.addEventListener("readystatechange", function () {
      if (answer.xhr.readyState !== 4 || document.body.contains(answer.target)) return;
      const current = document.getElementById(target.id);
      if (current) answer.target = current;
    });
    const elt = event.target;
    elt.addEventListener("htmx:afterRequest", function (ended) {
      if (document.body.contains(elt)) return;
      document.body.dispatchEvent(new CustomEvent("htmx:afterRequest", { bubbles: true, detail: ended.detail }));
    }, { once: true });
  });
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const target = event.detail.target;
    const fragment = event.detail.fragment;
    if (!target || !fragment || !fragment.querySelector || fragment.querySelector("[data-refused]")) return;
    if (older(shownRevision(fragment), target)) event.detail.shouldSwap = false;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    const target = event.detail.target;
    if (!isCatchUp(elt) || !target || !target.id || !event.detail.shouldSwap) return;
    const wait = heldBack.get(target.id) || {
      url: elt.getAttribute("hx-get"),
      notice: elt.dataset.catchUp,
      text: elt.dataset.catchUpText,
    };
    const notice = document.getElementById(wait.notice);
    if (typingIn(target)) {
      event.detail.shouldSwap = false;
      heldBack.set(target.id, wait);
      if (notice && !notice.textContent.trim()) notice.textContent = wait.text;
      return;
    }
    heldBack.delete(target.id);
    if (notice) notice.textContent = "";
  });
  function catchUpLater() {
    window.setTimeout(function () {
      heldBack.forEach(function (wait, id) {
        const area = document.getElementById(id);
        if (!area) heldBack.delete(id);
        if (!area || refetching.has(id) || typingIn(area)) return;
        refetching.add(id);
        htmx.ajax("GET", wait.url, { source: document.getElementById("catch-up"), target: "#" + id, swap: "outerHTML" });
      });
    }, 0);
  }
  document.addEventListener("focusout", function () {
    if (heldBack.size) catchUpLater();
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (isCatchUp(event.detail.elt)) {
      if (event.detail.target) refetching.delete(event.detail.target.id);
    } else if (heldBack.size) {
      catchUpLater(); // an own save acknowledged: the list may be free now
    }
  });

  function noticeText(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  function latestButton(key) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link btn-sm p-0 ms-2 align-baseline";
    button.dataset.showLatest = key;
    button.textContent = "最新の内容を表示";
    return button;
  }

  // --- htmx: after a request ---------------------------------------------------------------

  function acknowledged(form, response) {
    const id = idOf(form);
    if (form.dataset.field) {
      const status = document.getElementById("status-" + id);
      // The box closed while its save was on the way (全体表示): the answer itself says.
      if (!status) return !!response && !!response.xhr && response.xhr.responseText.indexOf('data-state="saved"') >= 0;
      return status.dataset.state === "saved";
    }
    // An add or a comment: the list or thread came back; a refusal carries data-refused.
    const target = response && response.target && response.target.id ? document.getElementById(response.target.id) : null;
    return !!target && !target.querySelector("[data-refused]");
  }

  function afterOwnSave(form, event) {
    const id = idOf(form);
    const values = sent.get(id);
    sent.delete(id);
    const current = formById(id);
    if (acknowledged(form, event.detail)) {
      forgetDraft(id);
      unsent.delete(id);
      retries = 0;
      const status = statusOf(form);
      if (status && status.id === "sheet-error") {
        status.textContent = "";
        status.classList.remove("text-danger", "fw-bold");
      }
      if (current && current.dataset.field && values) takeMerged(current, values);
      // Words typed while the save was on its way are a new draft on the new version.
      if (current && values && !sameValues(values, valuesOf(current)) && boxesOf(current).some(function (b) { return b.value; })) {
        keepDraft(current);
      }
      if (current && current.dataset.field) {
        const key = id.slice("field-".length);
        if (stale.has(key) && !current.contains(document.activeElement)) showLatest(key);
      }
      return;
    }
    // Refused: the box shows the words again if the answer redrew it empty.
    if (current && values) {
      boxesOf(current).forEach(function (box) {
        if (!box.value && values[box.name]) box.value = values[box.name];
      });
    } else if (values) {
      // The box went (a reply whose comment was deleted): if the answer put the words in
      // another box, the draft moves there.
      const target = event.detail.target && document.getElementById(event.detail.target.id);
      const words = Object.keys(values).map(function (name) { return values[name]; }).filter(Boolean);
      const home = target ? Array.from(target.querySelectorAll(TEXT_BOXES)).find(function (box) {
        return words.indexOf(box.value) >= 0;
      }) : null;
      if (home && formOf(home)) {
        forgetDraft(id);
        unsent.delete(id);
        keepDraft(formOf(home));
      }
    }
  }

  // After a merge the answer holds the merged text (#merged-field-KEY): it goes in the box if
  // nothing was typed since the save left; otherwise the box keeps the person's words, and
  // own-field-KEY tells the next save that they are still their own (it merges again).
  function takeMerged(form, values) {
    const key = form.dataset.field.slice("field-".length);
    const merged = document.getElementById("merged-field-" + key);
    const box = document.getElementById("text-" + key);
    if (!merged || !box || !merged.textContent) return;
    if (box.value === values.text) {
      box.value = merged.textContent;
      const own = document.getElementById("own-field-" + key);
      if (own) own.value = "";
      stale.delete(key);
    }
    merged.textContent = "";
  }

  // A request of the page's other parts (the KPI section, deleting or moving an entry) failed:
  // its form is still on the screen as it was; the page says why, and a stale token is
  // replaced so that pressing again works.
  function refusedElsewhere(code, xhr) {
    if (code === 0) {
      say(null, "送信できませんでした：通信できません。入力内容は画面に残っています。接続が戻ってから、もう一度お試しください。");
    } else if (code === 403 && xhr.responseText.indexOf('data-refusal="csrf"') >= 0) {
      refreshSession().then(function (ok) {
        if (ok) say(null, "画面の有効期限が切れていたため、送信できませんでした。入力内容は残っています。もう一度お試しください。");
        else endSession(null);
      });
    } else if (code === 403 && xhr.responseText.indexOf('data-refusal="archived"') >= 0) {
      say(null, "送信できませんでした：このプロジェクトはアーカイブされたため、閲覧のみできます。");
    } else if (code === 403) {
      say(null, "送信できませんでした：あなたの役割では、この操作を行えなくなりました。");
    } else if (code === 404) {
      say(null, "送信できませんでした：このワークシートまたは項目は削除されたか、あなたは参加していません。");
    } else if (code >= 500) {
      say(null, "送信できませんでした：サーバーで問題が起きました。しばらくしてから、もう一度お試しください。");
    }
  }

  function failure(form, event) {
    const xhr = event.detail.xhr;
    const code = xhr ? xhr.status : 0;
    const id = form ? idOf(form) : null;
    if (redirectedToLogin(xhr)) {
      endSession(id);
      if (form) say(form, "未保存：ログインの有効期限が切れました。入力内容は残っています。ログインし直すと自動で保存します。");
      return;
    }
    if (!form) {
      refusedElsewhere(code, xhr);
      return;
    }
    if (code === 0) {
      offline = true;
      sayConnection();
      queue.add(id);
      say(form, "未保存：通信できません。入力内容は残っています。接続が戻ると自動で保存します。");
    } else if (code === 403 && xhr.responseText.indexOf('data-refusal="csrf"') >= 0) {
      // A login in another tab changed the token: ask for the new one and send again, once.
      say(form, "画面の有効期限が切れていたため、保存し直しています…", "retrying");
      const tries = Number(form.dataset.retried || 0) + 1;
      form.dataset.retried = String(tries);
      refreshSession().then(function (ok) {
        if (!ok) {
          endSession(id);
          say(form, "未保存：ログインの有効期限が切れました。入力内容は残っています。ログインし直すと自動で保存します。");
        } else if (tries <= 2) {
          resend(id);
        } else {
          say(form, "保存できませんでした：画面の有効期限が切れています。入力内容は残っています。ページを再読み込みしてください（入力は戻せます）。");
        }
      });
    } else if (code === 403 && xhr.responseText.indexOf('data-refusal="archived"') >= 0) {
      say(form, "保存できませんでした：このプロジェクトはアーカイブされたため、閲覧のみできます。入力内容はこの画面とこのブラウザに残っています。");
    } else if (code === 403) {
      say(form, "保存できませんでした：あなたの役割では、この操作を行えなくなりました。入力内容はこの画面とこのブラウザに残っています。");
    } else if (code === 404) {
      say(form, "保存できませんでした：このワークシートまたは項目は削除されたか、あなたは参加していません。入力内容はこの画面とこのブラウザに残っています。");
    } else if (code >= 500) {
      retryLater(id);
      say(form, "未保存：サーバーで問題が起きました。入力内容は残っています。しばらくして自動でもう一度保存します。");
    } else {
      say(form, "保存できませんでした（" + code + "）。入力内容は残っています。");
    }
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    const elt = event.detail.elt;
    const xhr = event.detail.xhr;
    if (elt.id === "checkin") {
      if (redirectedToLogin(xhr)) {
        endSession(null);
      } else if (event.detail.successful) {
        if (offline) {
          offline = false;
          sayConnection();
          flush();
        }
        if (sessionEnded) sessionBack();
      } else if (!xhr || xhr.status === 0) {
        if (!offline) {
          offline = true;
          sayConnection();
        }
      }
      return;
    }
    const verb = event.detail.requestConfig ? event.detail.requestConfig.verb : "post";
    // 「最新の内容を採用」: the person chose the latest over their words.
    const panel = elt.closest ? elt.closest(".conflict-panel") : null;
    if (verb === "get" && panel && event.detail.successful) {
      const id = panel.parentElement.id.replace(/^conflict-/, "");
      forgetDraft(id);
      unsent.delete(id);
      return;
    }
    const form = formOf(elt);
    if (!form) {
      if (verb !== "post") return;
      if (!event.detail.successful) failure(null, event);
      else say(null, "", "");
      return;
    }
    if (verb !== "post") return;
    if (event.detail.successful && !redirectedToLogin(xhr)) {
      delete form.dataset.retried;
      afterOwnSave(form, event);
    } else {
      failure(form, event);
    }
  });

  // --- Typing --------------------------------------------------------------------------------

  document.addEventListener("input", function (event) {
    const form = formOf(event.target);
    if (form && isTypingBox(event.target)) keepDraft(form);
  });
  document.addEventListener("change", function (event) {
    const form = formOf(event.target);
    if (form && event.target.tagName === "SELECT") keepDraft(form);
  });
  document.addEventListener("compositionstart", function (event) {
    const form = formOf(event.target);
    if (form) composing.add(idOf(form));
  });
  document.addEventListener("compositionend", function (event) {
    const form = formOf(event.target);
    if (!form) return;
    const id = idOf(form);
    composing.delete(id);
    keepDraft(form);
    if (afterComposition.delete(id)) window.setTimeout(function () { resend(id); }, 0);
  });

  // Enter in a list entry would submit the form the old way and leave the page (with a stale
  // token: 「画面の有効期限が切れました」 instead of the worksheet). The browser has already
  // fired "change" for the entry, which saves it in place.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const trigger = form.getAttribute && form.getAttribute("hx-trigger");
    if (form.getAttribute("hx-post") && trigger && trigger.indexOf("submit") < 0) event.preventDefault();
  });

  // --- Others' saves on a box being typed in -------------------------------------------------

  function showLatest(key) {
    const block = document.getElementById("field-" + key);
    const form = formById("field-" + key);
    if (!block) return;
    if (form && (unsent.has("field-" + key) || composing.has("field-" + key))) {
      // The person's own words go first; the server merges them or shows both side by side.
      resend("field-" + key);
      return;
    }
    stale.delete(key);
    htmx.ajax("GET", block.dataset.blockUrl, { target: "#field-" + key, swap: "outerHTML" });
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest ? event.target.closest("[data-show-latest]") : null;
    if (button) showLatest(button.dataset.showLatest);
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    // The event comes from the element swapped in; the detail's target is the one it replaced.
    const id = event.detail.target && event.detail.target.id;
    const notice = id && id.indexOf("notice-field-") === 0 ? document.getElementById(id) : null;
    if (notice && notice.textContent.trim()) stale.add(id.slice("notice-field-".length));
  });
  document.addEventListener("focusout", function (event) {
    const form = formOf(event.target);
    if (!form || !form.dataset.field || !isTypingBox(event.target)) return;
    const key = form.dataset.field.slice("field-".length);
    // Left unchanged: the latest replaces the old words at once. Changed: the save that
    // leaving triggers meets the latest on the server, and the answer refreshes the box.
    if (stale.has(key) && !unsent.has(form.dataset.field) && !composing.has(form.dataset.field)) {
      window.setTimeout(function () { showLatest(key); }, 0);
    }
  });

  // --- A box closed and opened again (全体表示) ------------------------------------------------

  // 全体表示 swaps a box's editor for its reading view and back. Closed before its words were
  // saved (the network cut, a refused save), the box reads the server's text and the page says
  // the words are kept; opened again, the editor gets them back and sends them.
  document.addEventListener("htmx:load", function (event) {
    const root = event.target;
    if (!root || !root.id || root.id.indexOf("field-") !== 0 || !unsent.has(root.id)) return;
    const draft = storedDraft(root.id);
    const form = root.querySelector("form[data-field]");
    if (!form) {
      const label = draft && draft.label ? "「" + draft.label + "」の" : "";
      say(null, label + "入力は保存できていません。入力内容はこのブラウザに残っていて、この欄をもう一度開くと戻ります。", "kept");
      return;
    }
    const error = document.getElementById("sheet-error");
    if (error && error.dataset.state === "kept") say(null, "", "");
    if (!draft) return;
    restoreInto(form, draft);
    const notice = document.getElementById("notice-" + root.id);
    if (notice) {
      notice.dataset.restored = "1";
      notice.replaceChildren(noticeText("保存できていなかった入力を戻しました。"));
    }
  });

  // --- The network and the session coming back ----------------------------------------------

  window.addEventListener("offline", function () {
    offline = true;
    sayConnection();
  });
  window.addEventListener("online", function () {
    offline = false;
    sayConnection();
    if (sessionEnded) sessionBack();
    else flush();
  });
  window.addEventListener("message", function (event) {
    if (event.origin === window.location.origin && event.data && event.data.sanpuku === "logged-in") sessionBack();
  });
  window.addEventListener("storage", function (event) {
    if (event.key === "sanpuku:logged-in") sessionBack();
  });
  window.addEventListener("focus", function () {
    if (sessionEnded) sessionBack();
  });

  // --- Leaving and coming back ---------------------------------------------------------------

  window.addEventListener("beforeunload", function (event) {
    if (!unsent.size) return;
    event.preventDefault();
    event.returnValue = "";
  });
  // Send what can be sent as the page goes away; the draft stays until a reload sees it saved.
  window.addEventListener("pagehide", function () {
    // Others stop seeing me in 「いま開いている人」 at once, not after three missed check-ins.
    const checkin = document.getElementById("checkin");
    const pageToken = checkin && checkin.querySelector("input[name=csrfmiddlewaretoken]");
    if (checkin && checkin.dataset.leaveUrl && pageToken && !sessionEnded && navigator.sendBeacon) {
      const leave = new FormData();
      leave.set("csrfmiddlewaretoken", token || pageToken.value);
      navigator.sendBeacon(checkin.dataset.leaveUrl, leave);
    }
    unsent.forEach(function (id) {
      const form = formById(id);
      if (!form || !form.dataset.field || sessionEnded) return;
      const body = new FormData(form);
      if (token) body.set("csrfmiddlewaretoken", token);
      try {
        fetch(form.action, { method: "POST", body: body, keepalive: true, credentials: "same-origin", headers: { "X-CSRFToken": body.get("csrfmiddlewaretoken") || "" } });
      } catch (e) {
        /* the words stay in this browser */
      }
    });
  });

  // A closed box shows the saved text as it is; the browser's textarea writes line ends as \n.
  function sameText(block, draft) {
    const text = draft.values.text;
    return typeof text === "string" && block.textContent.replace(/\r\n/g, "\n") === text.replace(/\r\n/g, "\n");
  }
  function offerDrafts() {
    const region = document.getElementById("sheet-recovery");
    if (!region) return;
    const offers = [];
    storedDrafts().forEach(function (draft) {
      const form = formById(draft.id);
      // A box closed to its reading view (全体表示): it opens to take the words back.
      const block = form ? null : document.getElementById(draft.id);
      const closed = block && block.dataset.blockUrl ? block : null;
      if ((form && sameValues(draft.values, valuesOf(form))) || (closed && sameText(closed, draft))) {
        forgetDraft(draft.id); // saved after all (sent as the page closed, or by someone else)
      } else if (Object.keys(draft.values).some(function (name) { return draft.values[name]; })) {
        offers.push({ draft: draft, form: form, closed: closed });
      } else {
        forgetDraft(draft.id);
      }
    });
    if (!offers.length) return;
    region.hidden = false;
    region.replaceChildren();
    const heading = document.createElement("h2");
    heading.className = "h6 fw-bold";
    heading.textContent = "保存されていない入力が " + offers.length + " 件、このブラウザに残っています";
    const list = document.createElement("ul");
    list.className = "small mb-2";
    offers.forEach(function (offer) {
      const item = document.createElement("li");
      const words = Object.keys(offer.draft.values).map(function (name) { return offer.draft.values[name]; }).filter(Boolean).join("／");
      item.textContent = (offer.draft.label || "入力") + "：「" + words + "」" + (offer.form || offer.closed ? "" : "（この欄は見つかりません。必要ならコピーしてください）");
      list.append(item);
    });
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "btn btn-sm btn-primary me-2";
    restore.textContent = "入力を戻す";
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-dark bg-white";
    discard.textContent = "破棄する";
    region.append(heading, list, restore, discard);
    restore.addEventListener("click", function () {
      offers.forEach(function (offer) {
        if (offer.form) {
          restoreInto(offer.form, offer.draft);
        } else if (offer.closed) {
          // Opened like 「編集する」; the editor takes the words as it comes (htmx:load above).
          unsent.add(offer.draft.id);
          htmx.ajax("GET", offer.closed.dataset.blockUrl, { target: "#" + offer.draft.id, swap: "outerHTML" });
        }
      });
      region.replaceChildren();
      region.hidden = true;
    });
    discard.addEventListener("click", function () {
      offers.forEach(function (offer) { forgetDraft(offer.draft.id); });
      region.replaceChildren();
      region.hidden = true;
    });
  }

  offerDrafts();
  sayConnection();
})();

// A hidden tab (another tab in front, a minimised window) checks in at every third tick only:
// nobody is reading it, and idle pages are most of the server's load. Every third tick keeps
// the person in 「いま開いている人」 (presence lasts three missed check-ins); showing the tab
// again checks in at the next tick.
(function () {
  "use strict";
  let skipped = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id !== "checkin") return;
    if (document.hidden && skipped < 2) {
      skipped += 1;
      event.preventDefault();
      return;
    }
    skipped = 0;
  });
})();
