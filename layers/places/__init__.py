"""Places for visitors (issue 13): reads (selectors, search, opening hours) and the tourism
office's writes (services), over layers.PointOfInterest and its prices, photos and changes."""
