// The operation network: fetch the laid-out graph (positions come from the server, so the
// browser only draws) and render it with sigma.js on WebGL. Without JavaScript, or when
// WebGL is unavailable, the evidence table on the page is the same information.
(function () {
  "use strict";
  var box = document.getElementById("op-graph");
  var status = document.getElementById("op-graph-status");
  if (!box || !status) return;
  if (typeof graphology === "undefined" || typeof Sigma === "undefined") {
    status.textContent = "The network view is not installed here; the evidence table below has the same links.";
    return;
  }
  var COLORS = { report: "#1f4e8c", template: "#6b5ba8", indicator: "#9b1111" };
  var started = performance.now();
  status.textContent = "Loading the network…";
  fetch(box.getAttribute("data-graph-url"), { credentials: "same-origin" })
    .then(function (r) {
      if (!r.ok) throw new Error("the server answered " + r.status);
      return r.json();
    })
    .then(function (data) {
      var received = performance.now();
      var g = new graphology.Graph({ type: "undirected", multi: false });
      var nodes = data.nodes, edges = data.edges, i;
      var small = nodes.length <= 300;  // few nodes: big enough to read, labels on
      for (i = 0; i < nodes.length; i++) {
        var n = nodes[i], isReport = n[1] === "report";
        g.addNode(n[0], {
          x: n[3], y: n[4],
          size: small ? (isReport ? 8 : Math.min(14, 6 + Math.sqrt(n[5] || 1)))
            : (isReport ? 3 : Math.min(8, 1.5 + Math.sqrt(n[5] || 1))),
          color: isReport ? COLORS.report : COLORS.indicator,
          label: isReport ? "report " + n[2] + (n[5] ? " (" + n[5] + ")" : "") : n[1] + " " + n[2],
          kind: n[1], ref: n[0]
        });
      }
      for (i = 0; i < edges.length; i++) {
        var e = edges[i], a = nodes[e[0]][0], b = nodes[e[1]][0];
        if (!g.hasEdge(a, b)) {
          g.addEdge(a, b, { color: e[2] === "template" ? COLORS.template : "#b9bec7", size: e[2] === "template" ? 1 : 0.5 });
        }
      }
      var built = performance.now();
      var settings = {
        renderLabels: small,
        stagePadding: small ? 120 : 30,  // room for the labels at the edges
        labelRenderedSizeThreshold: 6,
        hideEdgesOnMove: nodes.length > 2000,
        zIndex: true
      };
      // Large graphs: one-pixel GL lines for edges and GL points for nodes. Without a GPU
      // (Chromium falls back to software WebGL) the default quads cost several times more to
      // rasterise, and at thousands of nodes the difference is not visible.
      var R = Sigma.rendering || {};
      if (nodes.length > 2000 && R.EdgeLineProgram && R.NodePointProgram) {
        settings.edgeProgramClasses = { line: R.EdgeLineProgram };
        settings.nodeProgramClasses = { circle: R.NodePointProgram };
      }
      var renderer = new Sigma(g, box, settings);
      var hovered = null;
      renderer.on("enterNode", function (ev) { hovered = ev.node; renderer.refresh({ skipIndexation: true }); });
      renderer.on("leaveNode", function () { hovered = null; renderer.refresh({ skipIndexation: true }); });
      renderer.setSetting("nodeReducer", function (node, attrs) {
        if (hovered && node !== hovered && !g.areNeighbors(node, hovered)) {
          return Object.assign({}, attrs, { color: "#d5d8de", label: "" });
        }
        if (hovered && (node === hovered || g.areNeighbors(node, hovered))) {
          return Object.assign({}, attrs, { forceLabel: true, zIndex: 1 });
        }
        return attrs;
      });
      renderer.setSetting("edgeReducer", function (edge, attrs) {
        if (hovered && !g.hasExtremity(edge, hovered)) return Object.assign({}, attrs, { hidden: true });
        return attrs;
      });
      renderer.on("clickNode", function (ev) {
        var ref = g.getNodeAttribute(ev.node, "ref");
        if (ref.indexOf("r:") === 0) {
          window.location.href = "/analyst/reports/" + encodeURIComponent(ref.slice(2));
        } else {
          var key = ref.slice(2), cut = key.indexOf(":");
          window.location.href = "/analyst/lookup?type=" + encodeURIComponent(key.slice(0, cut)) +
            "&value=" + encodeURIComponent(key.slice(cut + 1));
        }
      });
      renderer.once("afterRender", function () {
        var ms = Math.round(performance.now() - started);
        var now = performance.now();
        // where the time went, for the browser test's report (ms since navigation start)
        box.setAttribute("data-timings", JSON.stringify({
          script: Math.round(started), json: Math.round(received),
          graph: Math.round(built), drawn: Math.round(now)
        }));
        box.setAttribute("data-rendered-ms", String(Math.round(now)));
        status.textContent = g.order + " nodes and " + g.size + " links drawn in " + ms + " ms.";
      });
      renderer.refresh();
    })
    .catch(function (err) {
      status.textContent = "The network could not be drawn (" + err.message + "); the evidence table below has the same links.";
    });
})();
