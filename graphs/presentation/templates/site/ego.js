/* samverkan site: the small network on an entity's page; a click on a node opens its page. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ego-data").textContent);
  var container = document.getElementById("ego");
  var network = new vis.Network(container, { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }, {
    physics: { stabilization: { iterations: 200 }, barnesHut: { gravitationalConstant: -4000, springLength: 120 } },
    interaction: { hover: true, tooltipDelay: 150, keyboard: false },
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: { font: { size: 13, face: "Arial" } },
    edges: { font: { size: 10, align: "middle" }, smooth: { type: "continuous" }, arrows: { to: { scaleFactor: 0.5 } } }
  });
  var hrefs = {};
  data.nodes.forEach(function (n) { hrefs[n.id] = n.href; });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    document.body.setAttribute("data-ego-ready", "1");
  });
  network.on("click", function (p) {
    if (p.nodes.length && hrefs[p.nodes[0]]) { window.location.href = hrefs[p.nodes[0]]; }
  });
  window.samverkanEgo = network;
})();
