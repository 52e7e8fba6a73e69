"""A synthetic partition of Vietnam into its 34 provinces and 3,321 communes, for tests and
benchmarks of a nationwide deployment.

Real commune polygons of the whole country are not in the repository (and their licences
vary), yet the lookup, the bulk assigner and the province filters must be measured at that
scale. This module draws a stand-in that has the properties those costs depend on:

- the real number of units per province since 1 July 2025 (34 provinces, 3,321 communes, no
  districts; codes and names of the provinces as in Resolution 202/2025/QH15 and the
  Government's Decision 19/2025/QĐ-TTg on the administrative unit codes, unit counts per
  province from the National Assembly Standing Committee's 2025 resolutions on the communes
  of each province; they sum to 3,321, Quảng Ninh 54);
- Voronoi cells (Lloyd-relaxed) over a hand-made S-shaped outline of the country, grouped
  into provinces by a capacity-constrained assignment to rough province centres, so each
  province is one compact region holding exactly its number of units;
- edges densified to the vertex counts of real wards (the Móng Cái files have 8-208
  vertices per ward) and bent by one smooth noise field, so the edges wiggle like
  coastlines while the cells stay an exact partition (shared edges carry the same vertices,
  moved by the same field, whose Lipschitz constant is below 1 so nothing folds);
- optionally a hole where the demo's Móng Cái wards are, so the national version and the
  Móng Cái versions can be in force on the same day without overlapping; Quảng Ninh then
  has 54 minus the Móng Cái file's units, and the total is 3,321 with them.

Everything is a pure function of the seed: the same arguments give the same polygons.
Unit codes are "9" + four digits (real GSO commune codes stop near 33000, so they never
collide with a real ward); names are "Xã/Phường <province> <n>".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]  # no types
from shapely.geometry import MultiPolygon, Polygon

DEFAULT_SEED = 2025
GENERATOR_VERSION = 1  # part of the cache key: bump when the output changes
MONG_CAI_2025 = (
    Path(__file__).resolve().parent.parent / "data/mong_cai/mong_cai_wards_2025_derived.geojson"
)

# (code, name, units, rough centre lon, lat). The centres only steer where each province's
# region lies; they are not the capitals' exact positions.
PROVINCES: tuple[tuple[str, str, int, float, float], ...] = (
    ("01", "Thành phố Hà Nội", 126, 105.70, 21.00),
    ("04", "Tỉnh Cao Bằng", 56, 106.10, 22.70),
    ("08", "Tỉnh Tuyên Quang", 124, 105.20, 22.40),
    ("11", "Tỉnh Điện Biên", 45, 102.95, 21.60),
    ("12", "Tỉnh Lai Châu", 38, 103.20, 22.30),
    ("14", "Tỉnh Sơn La", 75, 104.00, 21.20),
    ("15", "Tỉnh Lào Cai", 99, 104.30, 22.10),
    ("19", "Tỉnh Thái Nguyên", 92, 105.90, 21.90),
    ("20", "Tỉnh Lạng Sơn", 65, 106.60, 21.85),
    ("22", "Tỉnh Quảng Ninh", 54, 107.40, 21.25),
    ("24", "Tỉnh Bắc Ninh", 99, 106.35, 21.30),
    ("25", "Tỉnh Phú Thọ", 148, 105.10, 21.05),
    ("31", "Thành phố Hải Phòng", 114, 106.50, 20.85),
    ("33", "Tỉnh Hưng Yên", 104, 106.20, 20.55),
    ("37", "Tỉnh Ninh Bình", 129, 105.95, 20.25),
    ("38", "Tỉnh Thanh Hóa", 166, 105.35, 19.95),
    ("40", "Tỉnh Nghệ An", 130, 104.90, 19.15),
    ("42", "Tỉnh Hà Tĩnh", 69, 105.80, 18.30),
    ("44", "Tỉnh Quảng Trị", 78, 106.50, 17.20),
    ("46", "Thành phố Huế", 40, 107.50, 16.35),
    ("48", "Thành phố Đà Nẵng", 94, 108.00, 15.70),
    ("51", "Tỉnh Quảng Ngãi", 96, 108.00, 14.80),
    ("52", "Tỉnh Gia Lai", 135, 108.40, 13.90),
    ("56", "Tỉnh Khánh Hòa", 65, 108.90, 12.00),
    ("66", "Tỉnh Đắk Lắk", 102, 108.50, 12.90),
    ("68", "Tỉnh Lâm Đồng", 124, 108.00, 11.70),
    ("75", "Tỉnh Đồng Nai", 95, 107.10, 11.40),
    ("79", "Thành phố Hồ Chí Minh", 168, 106.70, 10.85),
    ("80", "Tỉnh Tây Ninh", 96, 106.20, 10.90),
    ("82", "Tỉnh Đồng Tháp", 102, 105.90, 10.40),
    ("86", "Tỉnh Vĩnh Long", 124, 106.20, 9.90),
    ("91", "Tỉnh An Giang", 102, 105.00, 10.30),
    ("92", "Thành phố Cần Thơ", 103, 105.75, 9.80),
    ("96", "Tỉnh Cà Mau", 64, 105.10, 9.20),
)
TOTAL_UNITS = 3321
QUANG_NINH = "22"

# A hand-made outline (lon, lat), clockwise from the western tripoint: the northern border,
# the coast down to Cà Mau, then the Cambodian and Lao borders back north. About 30 km off
# the real lines in places; its north-east corner lies inside the Móng Cái wards, so
# the Móng Cái hole leaves no slivers of sea. Enough to give the partition its S shape and a coast.
OUTLINE: tuple[tuple[float, float], ...] = (
    (102.14, 22.40), (102.40, 22.68), (102.88, 22.58), (103.35, 22.80), (103.97, 22.50),
    (104.40, 22.80), (104.80, 23.10), (105.32, 23.39), (105.90, 23.00), (106.50, 22.90),
    (106.75, 22.45), (106.70, 22.00), (107.40, 21.65), (107.76, 21.61), (107.95, 21.52),
    (107.86, 21.46), (107.35, 21.02), (106.80, 20.80), (106.55, 20.25), (106.00, 19.95),
    (105.80, 19.30),
    (105.70, 18.80), (106.10, 18.35), (106.50, 17.85), (107.10, 17.10), (107.85, 16.40),
    (108.25, 16.10), (108.75, 15.40), (109.05, 14.60), (109.30, 13.70), (109.45, 12.90),
    (109.20, 12.20), (109.00, 11.55), (108.40, 11.00), (107.10, 10.35), (106.75, 10.20),
    (106.40, 9.70), (105.80, 9.20), (105.30, 8.60), (104.80, 8.58), (104.75, 8.75),
    (104.85, 9.60), (104.50, 10.40), (105.05, 10.95), (105.85, 10.90), (106.15, 11.30),
    (106.45, 11.70), (106.95, 12.00), (107.50, 12.30), (107.55, 13.40), (107.55, 14.70),
    (107.35, 15.40), (107.20, 15.90), (106.65, 16.40), (106.15, 17.25), (105.60, 18.00),
    (104.90, 18.80), (104.05, 19.30), (104.40, 20.00), (104.05, 20.45), (103.55, 20.75),
    (103.10, 20.85), (102.90, 21.30), (102.65, 21.70), (102.10, 22.10),
)  # fmt: skip

# Share of each province's units that are phường (the ones nearest its centre); the real
# country has 687 phường among 3,321 units.
PHUONG_SHARE = 0.21
# Vertices per unit: the Móng Cái wards have a median of 45 (2024) to 100 (2025).
TARGET_MEDIAN_VERTICES = 110
LLOYD_ITERATIONS = 2


@dataclass(frozen=True)
class NationalUnit:
    code: str
    name: str
    full_name: str
    unit_type: str
    province_code: str
    province_name: str
    geometry: MultiPolygon


def outline_polygon() -> Polygon:
    """The simplified outline of Vietnam, valid, in lon/lat."""
    return Polygon(OUTLINE)


def mong_cai_hole(path: str | Path = MONG_CAI_2025) -> tuple[shapely.Geometry, int]:
    """(union of the Móng Cái wards of `path`, their count): the area the demo covers."""
    import pyogrio

    frame = pyogrio.read_dataframe(path)
    return shapely.union_all(frame.geometry.to_numpy()), len(frame)


def province_counts(*, hole_units: int = 0) -> list[tuple[str, str, int, float, float]]:
    """PROVINCES with Quảng Ninh's count lowered by the units of a hole cut into it."""
    out = []
    for code, name, units, lon, lat in PROVINCES:
        out.append((code, name, units - hole_units if code == QUANG_NINH else units, lon, lat))
    return out


def generate_units(
    *,
    seed: int = DEFAULT_SEED,
    provinces: list[tuple[str, str, int, float, float]] | None = None,
    hole: shapely.Geometry | None = None,
    target_median_vertices: int = TARGET_MEDIAN_VERTICES,
) -> list[NationalUnit]:
    """The partition as units in code order (province by province).

    Parameters
    ----------
    seed : int
        Everything random comes from this seed.
    provinces : list, optional
        (code, name, units, centre lon, centre lat) per province; default PROVINCES (or,
        with `hole`, PROVINCES with Quảng Ninh reduced by nothing: pass province_counts()).
        A small list gives a small partition of the same shape, for tests.
    hole : geometry, optional
        An area left out of every unit (e.g. mong_cai_hole()); no unit centre falls in it.
    target_median_vertices : int
        Roughly the median number of vertices of a unit.
    """
    provinces = list(provinces if provinces is not None else PROVINCES)
    rng = np.random.default_rng(seed)
    outline = outline_polygon()
    counts = np.array([p[2] for p in provinces])
    n = int(counts.sum())
    seeds = _seed_points(rng, outline, n, hole)
    for _ in range(LLOYD_ITERATIONS):
        seeds = _lloyd_step(seeds, outline, hole)
    province_of = _assign_provinces(seeds, provinces)
    faces, face_cell = _densified_faces(rng, seeds, outline, target_median_vertices)
    faces = _displace(faces, rng, spacing=_mean_spacing(outline, n))
    if hole is not None:
        faces = shapely.difference(faces, hole)
    cells: dict[int, list[Polygon]] = {}
    for face, cell in zip(faces, face_cell, strict=True):
        cells.setdefault(int(cell), []).extend(
            p for p in shapely.get_parts(face) if isinstance(p, Polygon) and not p.is_empty
        )
    return _label_units(seeds, province_of, provinces, cells)


def _seed_points(rng, outline: Polygon, n: int, hole) -> np.ndarray:
    """n points uniformly inside the outline (and outside the hole, with a margin)."""
    minx, miny, maxx, maxy = outline.bounds
    forbidden = outline if hole is None else outline.difference(hole.buffer(0.02))
    shapely.prepare(forbidden)
    found: list[np.ndarray] = []
    total = 0
    while total < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(4 * n, 2))
        xy = xy[shapely.contains_xy(forbidden, xy[:, 0], xy[:, 1])]
        found.append(xy)
        total += len(xy)
    return np.concatenate(found)[:n]


def _voronoi_cells(seeds: np.ndarray, outline: Polygon) -> np.ndarray:
    """Voronoi cell of each seed, clipped to the outline, in seed order."""
    points = shapely.multipoints(seeds)
    envelope = outline.buffer(1.0).envelope
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=envelope))
    tree = shapely.STRtree(cells)
    seed_idx, cell_idx = tree.query(shapely.points(seeds), predicate="intersects")
    order = np.empty(len(seeds), dtype=int)
    order[seed_idx] = cell_idx
    return shapely.intersection(cells[order], outline)


def _lloyd_step(seeds: np.ndarray, outline: Polygon, hole) -> np.ndarray:
    """Each seed moved to its cell's centroid (kept out of the hole): rounder cells."""
    cells = _voronoi_cells(seeds, outline)
    moved = shapely.get_coordinates(shapely.centroid(cells))
    if hole is not None:
        inside = shapely.contains_xy(hole.buffer(0.02), moved[:, 0], moved[:, 1])
        moved[inside] = seeds[inside]
    return moved


def _assign_provinces(seeds: np.ndarray, provinces) -> np.ndarray:
    """Province index of each seed: exactly `units` seeds each, nearest their centre overall
    (optimal transport with squared distance, whose regions are compact power cells)."""
    centres = np.array([(p[3], p[4]) for p in provinces])
    slots = np.repeat(np.arange(len(provinces)), [p[2] for p in provinces])
    cost = ((seeds[:, None, :] - centres[None, slots, :]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    out = np.empty(len(seeds), dtype=int)
    out[rows] = slots[cols]
    return out


def _mean_spacing(outline: Polygon, n: int) -> float:
    """Side of an average cell in degrees: the scale of the noise and of the densification."""
    return float(np.sqrt(outline.area / n))


def _densified_faces(
    rng, seeds: np.ndarray, outline: Polygon, target_median_vertices: int
) -> tuple[np.ndarray, np.ndarray]:
    """Faces of the noded Voronoi edges + outline, every edge densified once (so both sides
    share its vertices exactly), and the seed index each face belongs to."""
    edges = shapely.voronoi_polygons(
        shapely.multipoints(seeds), extend_to=outline.buffer(1.0).envelope, only_edges=True
    )
    # One union nodes every crossing once; the faces outside the outline are dropped below.
    parts = shapely.get_parts(shapely.union_all(np.array([edges, outline.exterior], dtype=object)))
    # A cell has ~6 edges of about one mean spacing: this many degrees per vertex gives the
    # target median; each edge gets its own spacing so counts vary as real ones do.
    spacing = 6 * _mean_spacing(outline, len(seeds)) / target_median_vertices
    factors = rng.lognormal(0.0, 0.45, size=len(parts))
    dense = shapely.segmentize(parts, spacing * factors)
    faces = shapely.get_parts(shapely.polygonize(dense))
    shapely.prepare(outline)
    faces = faces[
        shapely.contains_xy(outline, shapely.get_coordinates(shapely.point_on_surface(faces)))
    ]
    # Which seed's cell holds each face: a face is one piece of exactly one clipped cell.
    cells = _voronoi_cells(seeds, outline)
    tree = shapely.STRtree(cells)
    probe = shapely.point_on_surface(faces)
    face_idx, cell_idx = tree.query(probe, predicate="within")
    face_cell = np.full(len(faces), -1)
    face_cell[face_idx] = cell_idx
    if (face_cell < 0).any():  # a probe on a cell edge by rounding: take the nearest cell
        for i in np.flatnonzero(face_cell < 0):
            face_cell[i] = int(tree.nearest(probe[i]))
    return faces, face_cell


def _displace(faces: np.ndarray, rng, *, spacing: float) -> np.ndarray:
    """Every vertex moved by the same smooth field (sums of sines over three octaves).

    The field's Lipschitz constant is below 0.5, so the map is one-to-one: shared vertices
    move together, nothing crosses, the partition stays exact and valid.
    """
    waves = []
    lipschitz_per_wave = 0.06
    for octave in range(3):
        wavelength = 3.0 * spacing / 2**octave
        k = 2 * np.pi / wavelength
        for _ in range(2):
            angle = rng.uniform(0, 2 * np.pi)
            amplitude = lipschitz_per_wave / k
            phase_x, phase_y = rng.uniform(0, 2 * np.pi, size=2)
            waves.append((k * np.cos(angle), k * np.sin(angle), amplitude, phase_x, phase_y))

    def field(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        dx = np.zeros_like(x)
        dy = np.zeros_like(y)
        for kx, ky, amplitude, phase_x, phase_y in waves:
            t = kx * x + ky * y
            dx += amplitude * np.sin(t + phase_x)
            dy += amplitude * np.sin(t + phase_y)
        return np.column_stack((x + dx, y + dy))

    return shapely.transform(faces, field)


def _label_units(seeds, province_of, provinces, cells: dict[int, list[Polygon]]):
    """Units with codes, names and unit types, province by province, nearest centre first."""
    units: list[NationalUnit] = []
    serial = 0
    for p_idx, (code, name, _count, lon, lat) in enumerate(provinces):
        members = np.flatnonzero(province_of == p_idx)
        distance = np.hypot(seeds[members, 0] - lon, seeds[members, 1] - lat)
        members = members[np.argsort(distance, kind="stable")]
        short = name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        n_phuong = round(PHUONG_SHARE * len(members))
        for rank, cell in enumerate(members):
            polygons = cells.get(int(cell), [])
            if not polygons:
                continue  # wholly inside the hole: cannot happen with seeds kept out of it
            serial += 1
            unit_type = "phuong" if rank < n_phuong else "xa"
            label = "Phường" if unit_type == "phuong" else "Xã"
            unit_name = f"{short} {rank + 1}"
            units.append(
                NationalUnit(
                    code=f"9{serial:04d}",
                    name=unit_name,
                    full_name=f"{label} {unit_name}",
                    unit_type=unit_type,
                    province_code=code,
                    province_name=name,
                    geometry=MultiPolygon(polygons),
                )
            )
    return units


# --- frames, files and checks -----------------------------------------------------------------


def units_frame(units: list[NationalUnit]):
    """The units as a GeoDataFrame in EPSG:4326 with import_wards' column names."""
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {
            "ward_code": [u.code for u in units],
            "name": [u.name for u in units],
            "full_name": [u.full_name for u in units],
            "unit_type": [u.unit_type for u in units],
            "province_code": [u.province_code for u in units],
            "province_name": [u.province_name for u in units],
        },
        geometry=[u.geometry for u in units],
        crs="EPSG:4326",
    )


def national_frame(*, seed: int = DEFAULT_SEED, mong_cai_hole_path: str | Path | None = None):
    """The full partition (3,321 units, or 3,321 minus the Móng Cái file's units with the
    hole) as a GeoDataFrame: what the benchmarks spread points over."""
    hole, hole_units = (None, 0)
    if mong_cai_hole_path is not None:
        hole, hole_units = mong_cai_hole(mong_cai_hole_path)
    return units_frame(
        generate_units(seed=seed, provinces=province_counts(hole_units=hole_units), hole=hole)
    )


def cache_key(*, seed: int, mong_cai_hole_path: str | Path | None) -> str:
    """A short hash of everything the output depends on, for a file name under var/."""
    hole_digest = ""
    if mong_cai_hole_path is not None:
        hole_digest = hashlib.sha256(Path(mong_cai_hole_path).read_bytes()).hexdigest()
    payload = json.dumps(
        [GENERATOR_VERSION, seed, PROVINCES, OUTLINE, hole_digest, TARGET_MEDIAN_VERTICES]
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def write_national_file(
    path: str | Path, *, seed: int = DEFAULT_SEED, mong_cai_hole_path: str | Path | None = None
) -> Path:
    """Write the partition as GeoJSON (import_wards reads it as is)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = national_frame(seed=seed, mong_cai_hole_path=mong_cai_hole_path)
    tmp = path.with_suffix(path.suffix + ".tmp")
    frame.to_file(tmp, driver="GeoJSON", COORDINATE_PRECISION=7)
    tmp.replace(path)
    return path


def cached_national_file(
    directory: str | Path, *, seed: int = DEFAULT_SEED, mong_cai_hole_path: str | Path | None = None
) -> Path:
    """The partition's GeoJSON under `directory`, generated on first use (name = cache key)."""
    key = cache_key(seed=seed, mong_cai_hole_path=mong_cai_hole_path)
    suffix = "-hole" if mong_cai_hole_path is not None else ""
    path = Path(directory) / f"national-{seed}{suffix}-{key}.geojson"
    if not path.exists():
        write_national_file(path, seed=seed, mong_cai_hole_path=mong_cai_hole_path)
    return path


@dataclass(frozen=True)
class PartitionCheck:
    """How close the units are to an exact partition of their union."""

    invalid: int
    union_area: float  # square degrees
    sum_area: float
    max_overlap: float  # largest pairwise intersection area, square degrees


def check_partition(geoms) -> PartitionCheck:
    """Validity, union vs summed area (equal iff no overlaps) and the largest pairwise overlap."""
    geoms = np.asarray(list(geoms), dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    overlaps = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]]))
    return PartitionCheck(
        invalid=int((~shapely.is_valid(geoms)).sum()),
        union_area=float(shapely.area(shapely.union_all(geoms))),
        sum_area=float(shapely.area(geoms).sum()),
        max_overlap=float(overlaps.max()) if overlaps.size else 0.0,
    )
