// The front end's strings have one home: gettext() calls in the modules, with the Vietnamese
// text written inside the call, so `makemessages -d djangojs` finds every one. These checks
// keep a key→string dictionary or an in-browser language setting from coming back.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, test } from "node:test";

const DIR = new URL("../../web_map/static/web_map/js/", import.meta.url);
const MODULES = readdirSync(DIR)
  .filter((name) => name.endsWith(".js"))
  .map((name) => ({ name, source: readFileSync(new URL(name, DIR), "utf8") }));

describe("the modules' messages", () => {
  test("every gettext/ngettext/pgettext call has a string literal first (makemessages reads it)", () => {
    const call = /\b(n|p)?gettext\(\s*([^\s)])/g;
    for (const { name, source } of MODULES) {
      if (name === "l10n.js") continue; // where the functions are defined
      for (const match of source.matchAll(call)) {
        assert.match(match[2], /["'`]/, `${name}: ${source.slice(match.index, match.index + 60)}`);
      }
    }
  });

  test("no language is chosen or stored in the browser", () => {
    for (const { name, source } of MODULES) {
      for (const banned of [
        "ht-lang",
        "hientruong.lang",
        "dataset.vi =",
        "dataset.en =",
        "data-vi",
        "data-en=",
        "gettext_noop",
        "setLanguage",
      ]) {
        assert.ok(!source.includes(banned), `${name} holds ${banned}`);
      }
    }
  });
});
