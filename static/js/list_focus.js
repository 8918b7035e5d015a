// The sheet's lists for keyboard and screen-reader users: after ↑, ↓, 削除 or 追加 the list is
// swapped in anew, so focus would fall to the top of the page. Put it back where the person was
// (the moved item's same button, the deleted item's neighbour, the new item) and say what
// happened in one polite live region that survives the swap. Kept apart from worksheet.js.
(function () {
  "use strict";

  var pending = null;

  function items(list) {
    return Array.prototype.slice.call(list.querySelectorAll("li[id^='item-']"));
  }

  function firstBox(li) {
    return li && li.querySelector("input.form-control, select, textarea");
  }

  function name(button) {
    var label = button.getAttribute("aria-label") || "";
    var found = label.match(/「(.*)」/);
    return found ? found[1] : "";
  }

  function announce(text) {
    var region = document.getElementById("list-announcer");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var list = elt.closest && elt.closest(".sheet-list");
    if (!list) return;
    var li = elt.closest("li[id^='item-']");
    var was = document.activeElement;
    var record = { xhr: event.detail.xhr, list: list.id, focusId: was && was.id };
    if (elt.matches("button[name='step']")) {
      record.kind = "move";
      record.item = li.id;
      record.step = elt.value;
      record.name = name(elt);
    } else if (elt.matches("button[formaction]")) {
      var siblings = Array.prototype.filter.call(li.parentElement.children, function (c) {
        return c.id && c.id.indexOf("item-") === 0;
      });
      var at = siblings.indexOf(li);
      var neighbour = siblings[at + 1] || siblings[at - 1];
      record.kind = "delete";
      record.neighbour = neighbour ? neighbour.id : null;
      record.add = (li.parentElement.closest("li[id^='item-']") || list).id;
      record.name = name(elt);
    } else if (elt.matches("form[data-draft^='new-']")) {
      var box = elt.querySelector("input.form-control, textarea");
      record.kind = "add";
      record.before = items(list).map(function (i) { return i.id; });
      record.name = box ? box.value : "";
    } else {
      return;
    }
    pending = record;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!pending || event.detail.xhr !== pending.xhr) return;
    var done = pending;
    pending = null;
    var list = document.getElementById(done.list);
    if (!list || list.querySelector("[data-refused]")) return;
    var target = null;
    var words = "";
    if (done.kind === "move") {
      var moved = document.getElementById(done.item);
      target = moved && (moved.querySelector("button[name='step'][value='" + done.step + "']"));
      var all = moved ? Array.prototype.filter.call(moved.parentElement.children, function (c) {
        return c.id && c.id.indexOf("item-") === 0;
      }) : [];
      words = "「" + done.name + "」を" + (done.step === "up" ? "上" : "下") + "へ移動しました（" +
        all.length + "件中" + (all.indexOf(moved) + 1) + "番目）。";
    } else if (done.kind === "delete") {
      target = firstBox(document.getElementById(done.neighbour));
      if (!target) {
        var scope = document.getElementById(done.add) || list;
        target = scope.querySelector("form[data-draft^='new-'] input.form-control");
      }
      words = "「" + done.name + "」を削除しました。";
    } else if (done.kind === "add") {
      var fresh = items(list).filter(function (i) { return done.before.indexOf(i.id) < 0; });
      target = firstBox(fresh[fresh.length - 1]);
      words = "「" + done.name + "」を追加しました。";
    }
    // Only where focus was lost with the old list (or put back by htmx on the box of the same id):
    // never take it from where the person went since.
    var active = document.activeElement;
    var lost = !active || active === document.body || !active.isConnected ||
      (!!active.id && active.id === done.focusId);
    if (target && lost) target.focus();
    announce(words);
  });
})();
