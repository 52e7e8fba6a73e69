"""Open311 GeoReport v2 server: the city's reports through the standard civic-issue API."""
