// Drag and drop on a job's board. Each card carries a form that moves it
// (a stage select and a button); this script lets a card be dragged onto
// another column, posts that same form (CSRF token included) with the
// column's stage, and moves the card without reloading. If the post fails
// the form is submitted the ordinary way, so the server's page tells why.
// Without this script, or without a mouse, the forms do everything.
"use strict";
(function () {
  var board = document.querySelector(".board[data-dnd]");
  if (!board || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var status = document.getElementById("board-status");
  var dragged = null;
  board.classList.add("dnd");

  board.querySelectorAll("li.card").forEach(function (card) {
    if (!card.querySelector("form.move")) {
      return;
    }
    card.draggable = true;
    card.addEventListener("dragstart", function (e) {
      dragged = card;
      card.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", card.dataset.name || "");
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("dragging");
      dragged = null;
      board.querySelectorAll(".drop-target").forEach(function (c) {
        c.classList.remove("drop-target");
      });
    });
  });

  board.querySelectorAll(".column[data-stage]").forEach(function (column) {
    column.addEventListener("dragover", function (e) {
      if (!dragged || dragged.closest(".column") === column) {
        return;
      }
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      column.classList.add("drop-target");
    });
    column.addEventListener("dragleave", function (e) {
      if (!column.contains(e.relatedTarget)) {
        column.classList.remove("drop-target");
      }
    });
    column.addEventListener("drop", function (e) {
      e.preventDefault();
      column.classList.remove("drop-target");
      if (dragged) {
        move(dragged, column);
      }
    });
  });

  function move(card, to) {
    var from = card.closest(".column");
    if (from === to) {
      return;
    }
    var form = card.querySelector("form.move");
    form.elements.stage.value = to.dataset.stage;
    card.classList.add("moving");
    // The server answers a move with a redirect (303); not following it
    // spares rendering a page nobody reads: a redirect is success, any
    // other answer an error page.
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (res) {
      if (res.type !== "opaqueredirect") {
        throw new Error("move refused: " + res.status);
      }
      var list = to.querySelector("ul.cards");
      if (!list) {
        list = document.createElement("ul");
        list.className = "cards";
        var empty = to.querySelector(".empty");
        if (empty) {
          empty.replaceWith(list);
        } else {
          to.appendChild(list);
        }
      }
      var left = card.parentElement;
      list.prepend(card);
      card.classList.remove("moving");
      if (left && !left.children.length) {
        var none = document.createElement("p");
        none.className = "empty";
        none.textContent = "No candidates";
        left.replaceWith(none);
      }
      count(from, -1);
      count(to, 1);
      if (status) {
        status.textContent = (card.dataset.name || "Candidate") + " moved to " + to.getAttribute("aria-label") + ".";
      }
    }).catch(function () {
      form.submit();
    });
  }

  function count(column, delta) {
    var el = column.querySelector(".count");
    var n = parseInt(el.textContent, 10);
    if (!isNaN(n)) {
      el.textContent = String(Math.max(0, n + delta));
    }
  }
})();
