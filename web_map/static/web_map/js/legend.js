// One legend box for the planner: a section per visible thematic layer, in the order of the
// layer control, rebuilt when a layer loads or is toggled.

import { gettext } from "./l10n.js";

export class PlannerLegend {
  constructor(map, layers) {
    this.layers = layers;
    this.control = L.control({ position: "bottomright" });
    this.control.onAdd = () => {
      const box = L.DomUtil.create("section", "pl-legend");
      box.id = "pl-legend";
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      this.box = box;
      this.render();
      return box;
    };
    this.control.addTo(map);
  }

  render() {
    if (!this.box) return;
    const sections = [];
    for (const layer of this.layers) {
      if (!layer.visible) continue;
      const section = layer.legend();
      if (!section) continue;
      section.classList.add("pl-legend__section");
      section.dataset.layer = layer.key;
      sections.push(section);
    }
    this.box.replaceChildren();
    this.box.hidden = !sections.length;
    if (!sections.length) return;
    const title = document.createElement("h2");
    title.className = "pl-legend__title";
    title.textContent = gettext("Chú giải");
    this.box.append(title, ...sections);
  }
}
