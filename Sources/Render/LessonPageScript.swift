/// The served page's script: follows the server's session over Server-Sent Events, sends the
/// presenter's commands, and runs presentation mode.
///
/// Everything it inserts as markup was rendered (and escaped) by the server; text that
/// streams from a running cell is added as text nodes, never as markup.
enum LessonPageScript {
    static let source = #"""
        (function () {
          "use strict";
          var body = document.body;
          var cells = Array.prototype.slice.call(document.querySelectorAll("section.cell"));
          var slides = Array.prototype.slice.call(document.querySelectorAll("section.slide"));
          var token = takeToken();
          var lastSeq = -1, source = null, presenter = false, position = 0, running = null, slide = 0;

          function takeToken() {
            var url = new URL(location.href);
            var given = url.searchParams.get("token");
            if (given) {
              sessionStorage.setItem("lesson-token", given);
              url.searchParams.delete("token");
              history.replaceState(null, "", url.pathname + url.search + url.hash);
            }
            return sessionStorage.getItem("lesson-token") || "";
          }

          function el(id) { return document.getElementById(id); }
          function cellAt(i) { return cells[i] || null; }

          function notice(text) {
            var box = el("notice");
            box.textContent = text || "";
            box.hidden = !text;
          }

          function setConnection(state, text) {
            var c = el("connection");
            c.className = "connection " + state;
            c.textContent = text;
          }

          function showCell(view) {
            var cell = cellAt(view.cell);
            if (!cell) return;
            cell.className = cell.className.replace(/\bstatus-[\w-]+/g, "").replace(/\s+/g, " ").trim() +
              " status-" + view.status;
            cell.querySelector(".prompt").textContent = view.prompt + ":";
            cell.querySelector(".cell-state").textContent = view.state || "";
            cell.querySelector(".outputs").innerHTML = view.html || "";
            var stale = view.stale || [];
            var mark = cell.querySelector(".stale-mark");
            mark.hidden = stale.length === 0;
            mark.textContent = stale.length ? "stale: " + stale.join(", ") + " changed" : "";
            cell.classList.toggle("stale", stale.length > 0);
            var live = cell.querySelector(".live");
            if (view.status !== "running") {
              live.hidden = true;
              live.querySelector(".live-chart").innerHTML = "";
              live.querySelector(".progress-bar").style.width = "0";
              live.querySelector(".progress-text").textContent = "";
            }
          }

          function showInline(view) {
            var place = document.querySelector('[data-inline="' + view.key + '"]');
            if (!place) return;
            var shown = document.createElement(view.failed || view.pending ? "code" : "span");
            shown.className = view.pending ? "inline-pending" : view.failed ? "inline-error" : "inline-value";
            shown.setAttribute("data-inline", view.key);
            if (view.pending) {
              shown.title = "\#(LessonPage.pendingInlineNote)";
              shown.textContent = view.text;
            } else {
              shown.title = place.title && !place.classList.contains("inline-pending") ? place.title : place.textContent;
              shown.textContent = view.failed ? "⚠ " + view.text : view.text;
            }
            place.replaceWith(shown);
          }

          function showPosition(p, r) {
            position = p; running = r;
            cells.forEach(function (cell, i) {
              cell.classList.toggle("current", i === p && r === null);
              cell.classList.toggle("running", i === r);
            });
            var at = r !== null ? r : p;
            el("position").textContent = at >= cells.length ? "end of the lesson"
              : (r !== null ? "running cell " : "cell ") + (at + 1) + " of " + cells.length;
            document.querySelectorAll("[data-action]").forEach(function (b) {
              var busy = r !== null;
              var action = b.dataset.action;
              b.disabled = action === "interrupt" ? !busy : action === "reveal" ? false : busy;
            });
          }

          function appendText(i, text) {
            var cell = cellAt(i);
            if (!cell) return;
            var outputs = cell.querySelector(".outputs");
            var last = outputs.lastElementChild;
            if (!last || !last.classList.contains("live-stream")) {
              last = document.createElement("pre");
              last.className = "stream live-stream";
              outputs.appendChild(last);
            }
            last.appendChild(document.createTextNode(text));
          }

          function showProgress(event) {
            var cell = cellAt(event.cell);
            if (!cell) return;
            var live = cell.querySelector(".live");
            live.hidden = false;
            live.querySelector(".progress-bar").style.width = (100 * event.fraction).toFixed(1) + "%";
            live.querySelector(".progress-text").textContent = event.text;
          }

          function reveal(event) {
            var cell = cellAt(event.cell);
            var area = cell && cell.querySelector(".exercise-area");
            if (area) area.outerHTML = event.html;
            var button = cell && cell.querySelector("button.reveal");
            if (button) button.closest("p").remove();
          }

          function showChart(event) {
            var cell = cellAt(event.cell);
            if (!cell) return;
            cell.querySelector(".live").hidden = false;
            cell.querySelector(".live-chart").innerHTML = event.html;
          }

          function handle(event) {
            if (event.type !== "state" && event.seq !== lastSeq + 1) { reconnect(); return; }
            lastSeq = event.seq;
            switch (event.type) {
            case "state":
              event.cells.forEach(showCell);
              showPosition(event.position, event.running);
              if (event.live.progress) showProgress(event.live.progress);
              if (event.live.chart) showChart(event.live.chart);
              event.revealed.forEach(reveal);
              (event.inline || []).forEach(showInline);
              goToSlide(event.slide, false);
              notice(event.notice);
              break;
            case "cell": showCell(event); break;
            case "position": showPosition(event.position, event.running); followRunning(); break;
            case "text": appendText(event.cell, event.text); break;
            case "figure":
              var target = cellAt(event.cell);
              if (target) target.querySelector(".outputs").insertAdjacentHTML("beforeend", event.html);
              break;
            case "progress": showProgress(event); break;
            case "chart": showChart(event); break;
            case "slide": if (!presenter) goToSlide(event.slide, false); break;
            case "notice": notice(event.text); break;
            case "reveal": reveal(event); break;
            case "inline": showInline(event); break;
            }
          }

          function connect() {
            source = new EventSource("/api/events");
            source.onopen = function () { setConnection("live", "live"); };
            source.onmessage = function (m) { handle(JSON.parse(m.data)); };
            source.onerror = function () {
              setConnection("lost", "connection lost, retrying…");
              if (source.readyState === EventSource.CLOSED) setTimeout(reconnect, 1000);
            };
          }

          function reconnect() {
            if (source) source.close();
            lastSeq = -1;
            connect();
          }

          function send(action, payload) {
            return fetch("/api/" + action, {
              method: "POST",
              headers: { "Content-Type": "application/json", "X-Lesson-Token": token },
              body: JSON.stringify(payload || {})
            }).then(function (response) {
              if (response.ok) { notice(""); return; }
              return response.text().then(function (text) { notice(text); });
            }, function () { notice("The lesson server did not answer."); });
          }

          function followRunning() {
            if (!body.classList.contains("presenting") || running === null) return;
            var cell = cellAt(running);
            var holder = cell && cell.closest("section.slide");
            if (holder) goToSlide(slides.indexOf(holder), presenter);
          }

          function goToSlide(index, announce) {
            if (index < 0 || index >= slides.length) return;
            slide = index;
            slides.forEach(function (s, i) { s.classList.toggle("active", i === index); });
            el("slide-number").textContent = (index + 1) + " / " + slides.length;
            if (body.classList.contains("presenting")) window.scrollTo(0, 0);
            if (announce && presenter) send("slide", { slide: index });
          }

          function togglePresenting() {
            body.classList.toggle("presenting");
            el("present").textContent = body.classList.contains("presenting") ? "Leave presentation" : "Present";
            goToSlide(slide, false);
          }

          document.addEventListener("click", function (e) {
            var button = e.target instanceof Element ? e.target.closest("button") : null;
            if (!button) return;
            if (button.id === "present") { togglePresenting(); return; }
            var action = button.dataset.action;
            if (!action || !presenter) return;
            var needsCell = action === "run-to" || action === "run-again" || action === "reveal";
            send(action, needsCell ? { cell: Number(button.dataset.cell) } : {});
          });

          document.addEventListener("keydown", function (e) {
            if (e.target instanceof Element && e.target.closest("input, textarea, select")) return;
            var presenting = body.classList.contains("presenting");
            if (e.key === "Enter" && e.shiftKey && presenter) { e.preventDefault(); send("run"); return; }
            if (e.key === "p" || e.key === "P") { togglePresenting(); return; }
            if (!presenting) return;
            if (e.key === "Escape") { togglePresenting(); return; }
            var next = { ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1 }[e.key];
            if (next) { e.preventDefault(); goToSlide(slide + next, true); }
            if (e.key === "Home") goToSlide(0, true);
            if (e.key === "End") goToSlide(slides.length - 1, true);
          });

          var number = document.createElement("div");
          number.className = "slide-number";
          number.id = "slide-number";
          body.appendChild(number);

          fetch("/api/whoami", { headers: { "X-Lesson-Token": token } })
            .then(function (r) { return r.json(); })
            .then(function (who) {
              presenter = who.presenter === true;
              body.classList.toggle("presenter", presenter);
              el("role").textContent = presenter ? "presenter" : "following the presenter (read-only)";
            }, function () { el("role").textContent = "following (read-only)"; });
          goToSlide(0, false);
          connect();
        })();
        """#
}
