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
          // A private copy of the session ("Try it from here"): {secret, start}, or null when following.
          var fork = null;
          // Each cell's source area and code as the page was served, to go back to after an edit.
          var original = cells.map(function (cell) {
            var area = cell.querySelector(".source-area");
            var code = cell.querySelector("textarea.cell-code");
            return { html: area ? area.innerHTML : "", code: code ? code.value : "" };
          });
          var editors = {};
          // A page being left closes its streams: that is not the server ending a copy.
          var unloading = false;
          addEventListener("pagehide", function () { unloading = true; });

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
            // The server's own notes about a fork are not numbered.
            if (event.type === "queue") { showQueue(event.place); return; }
            if (event.type === "ended") { leaveFork(event.text); return; }
            if (event.type !== "state" && event.seq !== lastSeq + 1) { reconnect(); return; }
            lastSeq = event.seq;
            switch (event.type) {
            case "state":
              event.cells.forEach(function (view) {
                // The cells before a fork's start ran in the class: keep what the class showed.
                if (fork && view.cell < fork.start && view.status === "skipped") return;
                showCell(view);
              });
              (event.sources || []).forEach(showSource);
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
            case "source": showSource(event); break;
            case "class": showClass(event); break;
            }
          }

          function connect() {
            source = new EventSource(fork ? "/api/fork/events?key=" + encodeURIComponent(fork.secret) : "/api/events");
            source.onopen = function () { setConnection("live", "live"); };
            source.onmessage = function (m) { handle(JSON.parse(m.data)); };
            source.onerror = function () {
              setConnection("lost", "connection lost, retrying…");
              if (source.readyState !== EventSource.CLOSED || unloading) return;
              if (!fork) { setTimeout(reconnect, 1000); return; }
              // Leave the copy only when the server says it is gone (closed, or the server restarted).
              var asked = fork;
              fetch("/api/fork/download?key=" + encodeURIComponent(asked.secret)).then(function (r) {
                if (fork !== asked) return;
                if (r.status === 404) leaveFork("Your copy of the session is no longer there: you follow the class again.");
                else setTimeout(reconnect, 1000);
              }, function () { setTimeout(reconnect, 1000); });
            };
          }

          function reconnect() {
            if (source) source.close();
            lastSeq = -1;
            connect();
          }

          // Resolves to true when the server took the command, else shows why and resolves to false.
          function send(action, payload) {
            var headers = { "Content-Type": "application/json" };
            if (fork) headers["X-Lesson-Fork"] = fork.secret; else headers["X-Lesson-Token"] = token;
            return fetch((fork ? "/api/fork/" : "/api/") + action, {
              method: "POST", headers: headers, body: JSON.stringify(payload || {})
            }).then(function (response) {
              if (response.ok) { notice(""); return true; }
              return response.text().then(function (text) { notice(text); return false; });
            }, function () { notice("The lesson server did not answer."); return false; });
          }

          // --- Editing cells -------------------------------------------------------------

          function showSource(view) {
            var cell = cellAt(view.cell);
            var area = cell && cell.querySelector(".source-area");
            if (!area) return;
            area.innerHTML = view.edited ? view.html : original[view.cell].html;
            cell.querySelector("textarea.cell-code").value = view.edited ? view.code : original[view.cell].code;
            cell.classList.toggle("edited", view.edited);
          }

          function codeOf(i) {
            var editor = editors[i];
            if (editor) return editor.cm ? editor.cm.getValue() : editor.area.value;
            return cellAt(i).querySelector("textarea.cell-code").value;
          }

          function openEditor(i) {
            if (editors[i]) { focusEditor(i); return; }
            var cell = cellAt(i);
            var box = document.createElement("div");
            box.className = "editor";
            var holder = document.createElement("div");
            box.appendChild(holder);
            var bar = document.createElement("div");
            bar.className = "editor-bar";
            bar.innerHTML = '<button type="button" class="editor-run" title="Run the edited code (Shift+Enter)">Run</button>' +
              '<button type="button" class="editor-close" title="Close the editor; the edit stays">Close</button>' +
              '<button type="button" class="editor-discard" title="Back to the lesson\'s own code">Discard edit</button>' +
              (presenter && !fork ? '<button type="button" class="editor-save" title="Write this code into the lesson file">Save to notebook</button>' : "") +
              '<span class="editor-note"></span>';
            box.appendChild(bar);
            cell.querySelector(".source-area").after(box);
            var code = cell.querySelector("textarea.cell-code").value;
            var editor = { box: box, cm: null, area: null };
            if (window.CodeMirror) {
              editor.cm = window.CodeMirror(holder, {
                value: code, mode: "swift", lineNumbers: true, matchBrackets: true, autoCloseBrackets: true,
                indentUnit: 4, viewportMargin: Infinity,
                extraKeys: { "Shift-Enter": function () { runEdited(i); }, "Esc": function () { closeEditor(i); } }
              });
            } else {
              editor.area = document.createElement("textarea");
              editor.area.className = "plain-editor";
              editor.area.value = code;
              editor.area.spellcheck = false;
              editor.area.addEventListener("keydown", function (e) {
                if (e.key === "Enter" && e.shiftKey) { e.preventDefault(); runEdited(i); }
              });
              holder.appendChild(editor.area);
              bar.querySelector(".editor-note").textContent = "(plain text: install libjs-codemirror for highlighting)";
            }
            editors[i] = editor;
            bar.querySelector(".editor-run").addEventListener("click", function () { runEdited(i); });
            bar.querySelector(".editor-close").addEventListener("click", function () { closeEditor(i); });
            bar.querySelector(".editor-discard").addEventListener("click", function () {
              send("discard", { cell: i }).then(function (ok) { if (ok) closeEditor(i); });
            });
            var save = bar.querySelector(".editor-save");
            if (save) save.addEventListener("click", function () {
              send("edit", { cell: i, source: codeOf(i) }).then(function (ok) {
                if (!ok) return;
                send("save-cell", { cell: i }).then(function (saved) {
                  if (saved) bar.querySelector(".editor-note").textContent = "saved to the notebook";
                });
              });
            });
            focusEditor(i);
          }

          function focusEditor(i) {
            var editor = editors[i];
            if (editor.cm) editor.cm.focus(); else editor.area.focus();
          }

          function closeEditor(i) {
            var editor = editors[i];
            if (!editor) return;
            editor.box.remove();
            delete editors[i];
          }

          function closeEditors() {
            Object.keys(editors).forEach(function (i) { closeEditor(Number(i)); });
          }

          // Sends the edit, then runs the cell: again in place if passed, else up to it.
          function runEdited(i) {
            send("edit", { cell: i, source: codeOf(i) }).then(function (ok) {
              if (!ok) return;
              if (i < position) send("run-again", { cell: i });
              else if (i === position) send("run");
              else send("run-to", { cell: i });
            });
          }

          // --- Forks ----------------------------------------------------------------------

          function ordinal(n) {
            var s = ["th", "st", "nd", "rd"], v = n % 100;
            return n + (s[(v - 20) % 10] || s[v] || s[0]);
          }

          function showForkStatus(text) {
            el("fork-status").textContent = text;
          }

          function showQueue(place) {
            showForkStatus(place > 0 ? "Your cell is " + ordinal(place) + " in line"
              : "Your copy (from cell " + (fork ? fork.start + 1 : 1) + ")");
          }

          function showClass(event) {
            el("class-count").textContent = event.connected + " connected · " + event.forked + " forked · " +
              event.running + " running" + (event.waiting ? " · " + event.waiting + " waiting" : "");
          }

          function enterFork(info) {
            fork = info;
            sessionStorage.setItem("lesson-fork", JSON.stringify(info));
            body.classList.add("forked");
            el("role").textContent = "your own copy";
            showQueue(0);
            reconnect();
          }

          function leaveFork(message) {
            fork = null;
            sessionStorage.removeItem("lesson-fork");
            body.classList.remove("forked");
            closeEditors();
            cells.forEach(function (cell, i) {
              showSource({ cell: i, edited: false, code: "", html: "" });
            });
            el("role").textContent = "following the presenter (read-only)";
            notice(message || "");
            reconnect();
          }

          function startFork() {
            var button = el("fork");
            button.disabled = true;
            showForkStatus("");
            fetch("/api/fork", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
              .then(function (response) {
                if (!response.ok) return response.text().then(function (text) { notice(text); });
                return response.json().then(enterFork);
              }, function () { notice("The lesson server did not answer."); })
              .then(function () { button.disabled = false; });
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
            if (button.id === "fork") { startFork(); return; }
            if (button.id === "unfork" && fork) {
              send("close").then(function () { leaveFork(""); });
              return;
            }
            if (button.id === "download" && fork) {
              location.href = "/api/fork/download?key=" + encodeURIComponent(fork.secret);
              return;
            }
            if (button.classList.contains("edit") && (presenter || fork)) { openEditor(Number(button.dataset.cell)); return; }
            var action = button.dataset.action;
            if (!action || !(presenter || fork)) return;
            if (action === "reveal" && !presenter) return;
            var needsCell = action === "run-to" || action === "run-again" || action === "reveal";
            send(action, needsCell ? { cell: Number(button.dataset.cell) } : {});
          });

          document.addEventListener("keydown", function (e) {
            if (e.target instanceof Element && e.target.closest("input, textarea, select")) return;
            var presenting = body.classList.contains("presenting");
            if (e.key === "Enter" && e.shiftKey && (presenter || fork)) { e.preventDefault(); send("run"); return; }
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

          goToSlide(0, false);
          fetch("/api/whoami", { headers: { "X-Lesson-Token": token } })
            .then(function (r) { return r.json(); })
            .then(function (who) {
              presenter = who.presenter === true;
              body.classList.toggle("presenter", presenter);
              body.classList.toggle("forks", who.forks === true);
              el("role").textContent = presenter ? "presenter" : "following the presenter (read-only)";
              showClass(who);
              // A reloaded page goes back to its own copy, if it still has one.
              var saved = null;
              try { saved = JSON.parse(sessionStorage.getItem("lesson-fork") || "null"); } catch (e) { saved = null; }
              if (!presenter && saved && typeof saved.secret === "string" && typeof saved.start === "number") {
                enterFork(saved);
              } else {
                connect();
              }
            }, function () { el("role").textContent = "following (read-only)"; connect(); });
        })();
        """#
}
