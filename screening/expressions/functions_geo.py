"""ODK's area() and distance() over geopoint, geotrace and geoshape values
(`lat lon [alt acc]` points separated by `;`), as JavaRosa and Enketo compute them: a sphere of
radius 6,378,100 m, distance by the spherical law of cosines, area by the spherical-excess
approximation Leaflet.draw uses; results rounded to the centimetre."""

from __future__ import annotations

import math
from itertools import pairwise

from screening.expressions.values import NAN, NodeSet, to_string

EARTH_RADIUS_M = 6_378_100.0


def _points(values: tuple[object, ...]) -> list[tuple[float, float]] | None:
    texts: list[str] = []
    for value in values:
        items = value.items if type(value) is NodeSet else [value]
        for item in items:
            texts.extend(part for part in to_string(item).split(";") if part.strip())
    points: list[tuple[float, float]] = []
    for text in texts:
        parts = text.split()
        try:
            latitude, longitude = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            return None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None
        points.append((math.radians(latitude), math.radians(longitude)))
    return points


def distance(*values: object) -> float:
    """The length of the line through the points, in metres; NaN for an invalid point."""
    points = _points(values)
    if points is None:
        return NAN
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in pairwise(points):
        cosine = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(
            lon1 - lon2
        )
        total += math.acos(max(-1.0, min(1.0, cosine))) * EARTH_RADIUS_M
    return round(total, 2)


def area(*values: object) -> float:
    """The area enclosed by the points, in square metres; 0 for fewer than 3 points."""
    points = _points(values)
    if points is None:
        return NAN
    if len(points) < 3:
        return 0.0
    total = 0.0
    for index, (lat1, lon1) in enumerate(points):
        lat2, lon2 = points[(index + 1) % len(points)]
        total += (lon2 - lon1) * (2 + math.sin(lat1) + math.sin(lat2))
    return round(abs(total * EARTH_RADIUS_M * EARTH_RADIUS_M / 2.0), 2)
