// The lone-worker board, live: subscribes to the board's server-sent events and redraws the rows when they change.
// Without JavaScript (or EventSource) the page still works with its Refresh link. New alarms are announced in words
// in an aria-live region, never by colour alone. Text goes in with textContent only, so nothing from the server is
// ever parsed as HTML.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.EventSource) { return; }
  var rows = document.getElementById("board-rows");
  var table = document.getElementById("board-table");
  var empty = document.getElementById("board-empty");
  var alarms = document.getElementById("board-alarms");
  var announce = document.getElementById("board-announce");
  var updated = document.getElementById("board-updated");

  // The alarms already on the page when it loaded are not news.
  var known = {};
  Array.prototype.forEach.call(rows.querySelectorAll("tr[data-status='alarm']"), function (tr) { known[tr.getAttribute("data-id")] = true; });

  function cell(tr, text) {
    var td = document.createElement("td");
    td.textContent = text || "";
    tr.appendChild(td);
    return td;
  }

  function draw(state) {
    var fresh = [];
    var next = {};
    rows.textContent = "";
    state.rows.forEach(function (row) {
      var tr = document.createElement("tr");
      tr.className = "lone-row lone-row--" + row.statusKey;
      tr.setAttribute("data-id", row.id);
      tr.setAttribute("data-status", row.statusKey);
      var first = cell(tr, "");
      var link = document.createElement("a");
      link.href = row.href;
      var strong = document.createElement("strong");
      strong.textContent = row.status;
      link.appendChild(strong);
      first.appendChild(link);
      if (row.delivery) {
        first.appendChild(document.createElement("br"));
        var note = document.createElement("span");
        note.className = "lone-undelivered";
        note.textContent = row.delivery;
        first.appendChild(note);
      }
      [row.worker, row.unit, row.location, row.due, row.vehicle].forEach(function (text) { cell(tr, text); });
      rows.appendChild(tr);
      if (row.statusKey === "alarm") {
        next[row.id] = true;
        if (!known[row.id]) { fresh.push(row); }
      }
    });
    known = next;
    table.hidden = state.rows.length === 0;
    empty.hidden = state.rows.length !== 0;
    alarms.textContent = "";
    if (state.alarmText) {
      var box = document.createElement("div");
      box.className = "error-summary";
      var heading = document.createElement("h2");
      heading.textContent = state.alarmText;
      box.appendChild(heading);
      alarms.appendChild(box);
    }
    updated.textContent = "Updated at " + state.updated + ".";
    if (fresh.length > 0) {
      announce.textContent = fresh.map(function (row) {
        return "New alarm: " + row.status + ", " + row.worker + " at " + row.location + ".";
      }).join(" ");
    }
  }

  var source = new EventSource(board.getAttribute("data-events"));
  source.addEventListener("board", function (message) {
    try { draw(JSON.parse(message.data)); } catch (error) { /* a broken message leaves the board as it was */ }
  });
  board.setAttribute("data-live", "on");
})();
