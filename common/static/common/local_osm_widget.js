// Starts each admin map widget from its JSON options (gis_core/local_osm_widget.html): the
// same work as Django's inline script in gis/openlayers-osm.html, allowed by the site's CSP.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const data of document.querySelectorAll('script[id$="_ht_widget_options"]')) {
    const options = JSON.parse(data.textContent);
    options.base_layer = new ol.layer.Tile({ source: new ol.source.OSM() });
    const module = options.module;
    delete options.module;
    window[module] = new MapWidget(options);
  }
});
