// Cytoscape draws labels on a canvas: it neither inherits the page's CSS font nor makes the
// browser fetch the bundled Noto Sans JP's pieces, so Japanese names came out as boxes on a
// machine without a Japanese font. Maps name the page's font stack and redraw when more
// pieces of it arrive (the page's own text — the twin tables and lists — asks for them).

import type { Core, StylesheetJson } from "cytoscape";

/** ``style`` with the page's font stack on every node and edge label. */
export function withPageFont(style: StylesheetJson): StylesheetJson {
  const family = getComputedStyle(document.body).fontFamily;
  return [{ selector: "node, edge", style: { "font-family": family } }, ...style];
}

/** Redraw ``cy``'s labels whenever font pieces finish loading, until it is destroyed. */
export function redrawWhenFontsLoad(cy: Core): void {
  const redraw = (): void => {
    if (cy.destroyed()) document.fonts.removeEventListener("loadingdone", redraw);
    else cy.style().update();
  };
  document.fonts.addEventListener("loadingdone", redraw);
  void document.fonts.ready.then(redraw);
}
