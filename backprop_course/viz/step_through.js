// The page side of backprop_course.viz.step_through: shows the steps that Python wrote
// into the JSON (class bc-st-data) beside this script. It computes no number: every
// value, gradient and formula is a text from the data; it only picks which to show.
(function () {
  "use strict";
  var PHASES = { forward: "forward pass", seed: "backward pass", backward: "backward pass",
    summary: "summary" };

  function init(root) {
    if (!root || root.getAttribute("data-bc-ready")) return;
    root.setAttribute("data-bc-ready", "1");
    var data = JSON.parse(root.querySelector("script.bc-st-data").textContent);
    var steps = data.steps, n = steps.length, k = 0, timer = null;
    var revealed = {}, verdicts = {};
    var q = function (sel) { return root.querySelector(sel); };
    var status = q(".bc-st-status"), title = q(".bc-st-title"), list = q(".bc-st-lines");
    var live = q(".bc-st-live"), slider = q('input[type="range"]');
    var controls = q(".bc-st-controls"), box = q(".bc-st-predict");
    var buttons = {}, boxes = {}, edges = {};
    root.querySelectorAll("[data-go]").forEach(function (b) { buttons[b.dataset.go] = b; });
    root.querySelectorAll(".bc-st-node").forEach(function (g) { boxes[g.dataset.node] = g; });
    root.querySelectorAll(".bc-st-edge").forEach(function (p) {
      edges[p.dataset.src + ":" + p.dataset.slot] = p;
    });
    var items = root.querySelectorAll(".bc-st-all > li");
    controls.hidden = false;

    // predict mode: a guess box shown on each backward step until its answer is revealed
    var label = document.createElement("label");
    var guess = document.createElement("input");
    var check = document.createElement("button");
    var show = document.createElement("button");
    var verdict = document.createElement("p");
    guess.type = "text";
    guess.setAttribute("inputmode", "decimal");
    check.type = show.type = "button";
    check.textContent = "Check";
    show.textContent = "Show";
    verdict.className = "bc-st-verdict";
    verdict.setAttribute("aria-live", "polite");
    label.appendChild(document.createTextNode(""));
    label.appendChild(guess);
    [label, check, show, verdict].forEach(function (el) { box.appendChild(el); });

    function hiding(i) { return data.predict && steps[i].answer !== "" && !revealed[i]; }

    function drawGraph() {
      if (!data.nodes.length) return;
      var value = {}, grad = {}, s = steps[k];
      for (var i = 0; i <= k; i++) {
        if (i === k && hiding(i)) break; // the result of the step to predict stays hidden
        steps[i].sets.forEach(function (set) { (set[1] === "value" ? value : grad)[set[0]] = set[2]; });
      }
      Object.keys(boxes).forEach(function (id) {
        var g = boxes[id], nums = g.querySelectorAll(".bc-st-num");
        var target = s.target !== null && String(s.target) === id;
        nums[0].textContent = id in value ? value[id] : "?";
        nums[1].textContent = id in grad ? grad[id] : (target && hiding(k) ? "?" : "–");
        g.classList.toggle("bc-st-pending", !(id in value));
        g.classList.toggle("bc-st-cur", s.node !== null && String(s.node) === id);
        g.classList.toggle("bc-st-tgt", target);
      });
      var edge = s.edge ? s.edge[0] + ":" + s.edge[1] : "";
      Object.keys(edges).forEach(function (key) {
        edges[key].classList.toggle("bc-st-cur", key === edge);
      });
      // the gradient sent, written against the arrow at the middle of its edge
      var flow = root.querySelector(".bc-st-flow"), path = edges[edge];
      flow.textContent = "";
      if (path && s.flow !== "") {
        var mid = path.getPointAtLength(path.getTotalLength() / 2);
        flow.setAttribute("x", mid.x.toFixed(1));
        flow.setAttribute("y", (mid.y - 6).toFixed(1));
        flow.textContent = "← " + (hiding(k) ? "?" : s.flow);
      }
      // keep the current node and the one it sends to in sight when the drawing is wider
      // than the page: both if they fit, else the receiving one
      var scroller = root.querySelector(".bc-st-scroll"), cur = boxes[String(s.node)];
      var tgt = s.target !== null ? boxes[String(s.target)] : null;
      if (scroller && cur && scroller.scrollWidth > scroller.clientWidth) {
        var a = scroller.getBoundingClientRect(), b = cur.getBoundingClientRect();
        var left = b.left, right = b.right;
        if (tgt) {
          var t = tgt.getBoundingClientRect();
          left = Math.min(left, t.left); right = Math.max(right, t.right);
          if (right - left > a.width) { left = t.left; right = t.right; }
        }
        if (left < a.left || right > a.right) {
          scroller.scrollLeft += (left + right) / 2 - (a.left + a.right) / 2;
        }
      }
    }

    // the list of all steps: a step's masked lines are filled in once it is answered
    function fillItem(i) {
      var li = items[i], s = steps[i];
      if (!li || li.getAttribute("data-bc-full")) return;
      li.setAttribute("data-bc-full", "1");
      li.textContent = "";
      var strong = document.createElement("strong");
      strong.textContent = s.title + ".";
      li.appendChild(strong);
      li.appendChild(document.createTextNode(" " + s.lines.join(" ")));
    }

    function render() {
      var s = steps[k], hide = hiding(k);
      status.textContent = "Step " + (k + 1) + " of " + n + " · " + PHASES[s.phase];
      title.textContent = s.title;
      list.textContent = "";
      var said = [status.textContent + ".", s.title + "."];
      s.lines.forEach(function (line, j) {
        var li = document.createElement("li");
        var at = hide ? s.hidden.indexOf(j) : -1;
        if (at >= 0) {
          li.className = "bc-st-hidden";
          li.textContent = s.masked[at];
        } else {
          li.textContent = line;
        }
        said.push(li.textContent);
        list.appendChild(li);
      });
      box.hidden = !(data.predict && s.answer !== "");
      if (!box.hidden) {
        label.firstChild.textContent = "Your prediction: ";
        label.hidden = check.hidden = show.hidden = !hide;
        verdict.textContent = verdicts[k] || "";
        verdict.className = "bc-st-verdict" + (revealed[k] === "right" ? " bc-st-right" : "");
      }
      slider.value = String(k);
      buttons.start.disabled = buttons.prev.disabled = k === 0;
      buttons.end.disabled = buttons.next.disabled = k === n - 1;
      if (data.predict && revealed[k]) fillItem(k);
      items.forEach(function (li, i) {
        if (i === k) li.setAttribute("aria-current", "step");
        else li.removeAttribute("aria-current");
      });
      live.textContent = said.join(" ");
      drawGraph();
    }

    function go(i) {
      k = Math.max(0, Math.min(n - 1, i));
      guess.value = "";
      render();
    }

    function stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      buttons.play.textContent = "Play";
      buttons.play.setAttribute("aria-label", "Play");
    }

    function play() {
      if (timer !== null) { stop(); return; }
      if (k === n - 1) go(0);
      buttons.play.textContent = "Pause";
      buttons.play.setAttribute("aria-label", "Pause");
      timer = setInterval(function () {
        if (k >= n - 1) stop(); else go(k + 1);
      }, 1200);
    }

    function judge() {
      var s = steps[k], answer = parseFloat(s.answer);
      var typed = parseFloat(guess.value.replace("−", "-").replace(",", "."));
      if (isNaN(typed)) {
        verdicts[k] = "Type a number, such as -0.25.";
      } else if (Math.abs(typed - answer) <= 0.01 * Math.abs(answer) + 0.0005) {
        verdicts[k] = "Right: the engine sent " + s.answer + ".";
        revealed[k] = "right";
      } else {
        verdicts[k] = "Not quite: " + guess.value + " is not what the engine sent. " +
          "Try again (upstream gradient × local derivative), or press Show.";
      }
      render();
    }

    check.addEventListener("click", judge);
    show.addEventListener("click", function () {
      revealed[k] = "shown";
      verdicts[k] = "The engine sent " + steps[k].answer + ".";
      render();
    });
    Object.keys(buttons).forEach(function (name) {
      buttons[name].addEventListener("click", function () {
        if (name === "play") { play(); return; }
        stop();
        go({ start: 0, prev: k - 1, next: k + 1, end: n - 1 }[name]);
      });
    });
    slider.addEventListener("input", function () { stop(); go(Number(slider.value)); });
    root.addEventListener("keydown", function (e) {
      var t = e.target;
      if (t === guess) {
        if (e.key === "Enter") { e.preventDefault(); judge(); }
        return;
      }
      if (t === slider && /^(Arrow|Page|Home|End)/.test(e.key)) return; // the slider's own
      if (t.tagName === "BUTTON" && (e.key === " " || e.key === "Enter")) return;
      var moves = { ArrowRight: k + 1, ArrowLeft: k - 1, Home: 0, End: n - 1 };
      if (e.key in moves) { stop(); go(moves[e.key]); }
      else if (e.key === " " || e.key === "k") play();
      else return;
      e.preventDefault();
    });
    render();
  }

  var me = document.currentScript;
  var root = me && me.closest ? me.closest(".bc-st") : null;
  if (root) init(root);
  else document.querySelectorAll(".bc-st").forEach(init);
})();
