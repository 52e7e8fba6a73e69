// "Nhập phản ánh": a tap on the map places the report's point and fills the coordinate fields;
// typed (or pasted "lat, lon") coordinates move the pin. The form posts without this script.

const DECIMALS = 6; // about 10 cm: more than a tap can mean

function readJSON(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

/** A typed coordinate as a number, or null (ASCII decimals only, as the server reads them). */
export function coordinate(text) {
  const value = String(text || "").trim();
  return /^[+-]?\d+(\.\d+)?$/.test(value) ? Number(value) : null;
}

/** "21.5338, 107.9653" (what map apps copy: latitude first) as [lat, lon], or null. */
export function latLonPair(text) {
  const parts = String(text || "").split(",");
  if (parts.length !== 2) return null;
  const lat = coordinate(parts[0]);
  const lon = coordinate(parts[1]);
  return lat === null || lon === null ? null : [lat, lon];
}

function setUp(form, mapNode) {
  const config = readJSON("staff-config") || {};
  const latInput = form.elements.namedItem("lat");
  const lonInput = form.elements.namedItem("lon");
  const map = window.L.map(mapNode, { scrollWheelZoom: false }).setView(config.center, config.zoom);
  if (config.tiles?.url) {
    window.L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution }).addTo(map);
  }
  const icon = window.L.divIcon({ className: "st-entry-pin", iconSize: [22, 22], iconAnchor: [11, 11] });
  let pin = null;

  function place(lat, lon) {
    if (pin) pin.setLatLng([lat, lon]);
    else pin = window.L.marker([lat, lon], { icon, keyboard: false }).addTo(map);
    mapNode.dataset.pinned = "true";
  }

  function fromInputs({ pan }) {
    const pair = latLonPair(latInput.value);
    if (pair) [latInput.value, lonInput.value] = pair.map(String);
    const lat = coordinate(latInput.value);
    const lon = coordinate(lonInput.value);
    if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return;
    place(lat, lon);
    if (pan) map.setView([lat, lon], Math.max(map.getZoom(), 16));
  }

  map.on("click", (event) => {
    const { lat, lng } = event.latlng.wrap();
    latInput.value = lat.toFixed(DECIMALS);
    lonInput.value = lng.toFixed(DECIMALS);
    place(lat, lng);
  });
  for (const input of [latInput, lonInput]) {
    input.addEventListener("change", () => fromInputs({ pan: true }));
  }
  fromInputs({ pan: true }); // coordinates put back after a mistake
}

const form = document.getElementById("entry-form");
const mapNode = document.getElementById("entry-map");
if (form && mapNode && window.L) setUp(form, mapNode);
if (form) form.dataset.entryReady = "true";
