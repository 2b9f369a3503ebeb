/* samverkan: one network view, drawn with vis-network from the JSON data in the page. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("samverkan-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var many = data.nodes.length > 1000;
  // physics: false (precomputed layout), true (settle from it), or "default" (vis-network's own)
  var physics = data.physics === "default" ? { enabled: true }
    : data.physics ? { stabilization: { iterations: 250 }, barnesHut: { gravitationalConstant: -5000, springLength: 130 } }
    : false;
  var options = {
    physics: physics,
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: many, hideEdgesOnZoom: many },
    layout: { improvedLayout: false },
    nodes: { font: { size: 14, face: "Arial" } },
    edges: { font: { size: 10, align: "middle" }, smooth: many ? false : { type: "continuous" }, arrows: { to: { scaleFactor: 0.5 } } }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var state = { network: network, nodes: nodes, edges: edges, ready: false, readyAt: null };
  window.samverkan = state;
  function ready() {
    if (state.ready) { return; }
    state.ready = true;
    state.readyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); ready(); });
  } else {
    network.once("afterDrawing", ready);
  }
  var details = document.getElementById("details");
  function show(text) { details.textContent = text; details.classList.remove("empty"); }
  state.show = function (id) { var n = nodes.get(id); if (n) { network.selectNodes([id]); show(n.title); } };
  network.on("selectNode", function (p) { show(nodes.get(p.nodes[0]).title); });
  network.on("selectEdge", function (p) { if (!p.nodes.length) { show(edges.get(p.edges[0]).title); } });

  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  function find() {
    var q = fold(search.value.trim());
    if (!q) { status.textContent = ""; network.unselectAll(); return; }
    var hits = nodes.get({ filter: function (n) { return !n.hidden && fold(n.label + " " + n.id).indexOf(q) >= 0; } });
    status.textContent = hits.length + " träffar";
    if (hits.length) {
      network.selectNodes(hits.map(function (n) { return n.id; }));
      network.focus(hits[0].id, { scale: 1.2, animation: false });
      show(hits[0].title);
    }
  }
  search.addEventListener("input", find);
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { find(); } });

  Array.prototype.forEach.call(document.querySelectorAll("input[data-group]"), function (box) {
    box.addEventListener("change", function () {
      var group = box.getAttribute("data-group");
      var changed = nodes.get({ filter: function (n) { return group === "föreslagen" ? n.status === "föreslagen" : n.group === group; } });
      nodes.update(changed.map(function (n) { return { id: n.id, hidden: !box.checked }; }));
    });
  });
})();
