#!/usr/bin/env python3
"""Draw the integration's brand images: custom_components/sunpower_pvs/brand/*.png.

Home Assistant 2026.3 and later serve a custom integration's icon and logo from its
``brand/`` folder (``/api/brands/integration/<domain>/<image>``). This script draws them from
scratch with the standard library only, so they can be regenerated without any image library:
every shape is a signed distance function, and a pixel's coverage of a shape is read from its
distance to the shape's edge, which anti-aliases every edge by exactly one pixel.

The mark is our own (not SunPower's): a sun rising behind a tilted solar panel of 4 x 3 cells.
The logo is the mark followed by the letters "PVS" built from strokes and arcs (no font).

    python3 scripts/make-brand-images.py [--out DIR] [--preview DIR] [--check]

``--preview DIR`` also writes each image over a light and a dark background and the icon
shrunk to 32 px, enlarged again to be looked at. ``--check`` renders in memory and fails if a
file in the brand folder differs (the output is deterministic).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
import math
from pathlib import Path
import struct
import sys
import zlib

REPO = Path(__file__).resolve().parent.parent
BRAND = REPO / "custom_components" / "sunpower_pvs" / "brand"

Rgb = tuple[int, int, int]
Point = tuple[float, float]
Sdf = Callable[[float, float], float]

SUN: Rgb = (0xFB, 0xB0, 0x1A)
FRAME: Rgb = (0x17, 0x2F, 0x4D)
CELL_ROWS: tuple[Rgb, ...] = ((0x3D, 0x9B, 0xF0), (0x23, 0x7F, 0xDB), (0x17, 0x66, 0xC0))
INK_LIGHT: Rgb = (0x17, 0x2F, 0x4D)  # letters on a light background
INK_DARK: Rgb = (0xE8, 0xEE, 0xF5)  # letters on a dark background
PREVIEW_BACKGROUNDS: dict[str, Rgb] = {"light": (0xFF, 0xFF, 0xFF), "dark": (0x1C, 0x1C, 0x1C)}


# --- shapes: signed distance functions (negative inside) with a bounding box ----------------


@dataclass(frozen=True)
class Shape:
    """A signed distance function over design units and the box outside which it is > 0."""

    sdf: Sdf
    box: tuple[float, float, float, float]  # x0, y0, x1, y1

    def grown(self, by: float) -> Shape:
        """The shape dilated by ``by`` (rounded outwards)."""
        x0, y0, x1, y1 = self.box
        sdf = self.sdf
        return Shape(lambda x, y: sdf(x, y) - by, (x0 - by, y0 - by, x1 + by, y1 + by))


def circle(cx: float, cy: float, r: float) -> Shape:
    """A disc."""
    return Shape(lambda x, y: math.hypot(x - cx, y - cy) - r, (cx - r, cy - r, cx + r, cy + r))


def capsule(a: Point, b: Point, w: float) -> Shape:
    """A stroke of half-width ``w`` from ``a`` to ``b`` with round caps."""
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy

    def sdf(x: float, y: float) -> float:
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
        return math.hypot(x - ax - t * dx, y - ay - t * dy) - w

    return Shape(sdf, (min(ax, bx) - w, min(ay, by) - w, max(ax, bx) + w, max(ay, by) + w))


def polygon(points: Sequence[Point]) -> Shape:
    """A convex polygon (exact distance inside and outside)."""
    pts = list(points)
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True))
    if area < 0:
        pts.reverse()
    edges = []
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        ex, ey = x1 - x0, y1 - y0
        length = math.hypot(ex, ey)
        # Counter-clockwise in y-down coordinates: the outward normal is (ey, -ex).
        edges.append((x0, y0, ex, ey, ex * ex + ey * ey, ey / length, -ex / length))

    def sdf(x: float, y: float) -> float:
        inside = -math.inf
        nearest = math.inf
        for x0, y0, ex, ey, len2, nx, ny in edges:
            px, py = x - x0, y - y0
            inside = max(inside, px * nx + py * ny)
            t = max(0.0, min(1.0, (px * ex + py * ey) / len2))
            nearest = min(nearest, math.hypot(px - t * ex, py - t * ey))
        return inside if inside <= 0 else nearest

    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return Shape(sdf, (min(xs), min(ys), max(xs), max(ys)))


def inset(points: Sequence[Point], d: float) -> list[Point]:
    """A convex polygon's corners with every edge moved ``d`` inwards."""
    pts = list(points)
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True))
    sign = 1.0 if area > 0 else -1.0
    lines = []  # each edge moved inwards: a point on it and its direction
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        ex, ey = x1 - x0, y1 - y0
        length = math.hypot(ex, ey)
        nx, ny = -ey / length * sign, ex / length * sign  # inward normal
        lines.append((x0 + nx * d, y0 + ny * d, ex, ey))
    out = []
    for (ax, ay, adx, ady), (bx, by, bdx, bdy) in zip(lines[-1:] + lines[:-1], lines, strict=True):
        cross = adx * bdy - ady * bdx
        t = ((bx - ax) * bdy - (by - ay) * bdx) / cross
        out.append((ax + adx * t, ay + ady * t))
    return out


def rect(x0: float, y0: float, x1: float, y1: float) -> Shape:
    """An axis-aligned rectangle."""
    return polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def arc(cx: float, cy: float, r: float, w: float, *, start: float, sweep: float) -> Shape:
    """A ring stroke of half-width ``w`` with square-cut ends.

    Angles in degrees, y down: 0 is east, 90 south; the arc runs from ``start`` through
    increasing angles for ``sweep`` degrees.
    """
    a0 = math.radians(start)
    a1 = math.radians(start + sweep)
    span = math.radians(sweep)
    ends = [(math.cos(a), math.sin(a)) for a in (a0, a1)]

    def sdf(x: float, y: float) -> float:
        px, py = x - cx, y - cy
        if (math.atan2(py, px) - a0) % math.tau <= span:
            return abs(math.hypot(px, py) - r) - w
        best = math.inf
        for ux, uy in ends:  # distance to the end's cut: the segment r - w .. r + w along u
            t = max(r - w, min(r + w, px * ux + py * uy))
            best = min(best, math.hypot(px - t * ux, py - t * uy))
        return best

    o = r + w
    return Shape(sdf, (cx - o, cy - o, cx + o, cy + o))


def union(shapes: Iterable[Shape]) -> Shape:
    """The shapes together (parts that only touch leave a seam: let them overlap)."""
    parts = list(shapes)
    sdfs = [s.sdf for s in parts]
    box = (
        min(s.box[0] for s in parts),
        min(s.box[1] for s in parts),
        max(s.box[2] for s in parts),
        max(s.box[3] for s in parts),
    )
    return Shape(lambda x, y: min(f(x, y) for f in sdfs), box)


# --- the drawing: layers painted in order -----------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """Paint ``shape`` in ``color``, or with ``color`` None cut it out of what is below."""

    shape: Shape
    color: Rgb | None


def lerp(a: Point, b: Point, t: float) -> Point:
    """The point a fraction ``t`` of the way from ``a`` to ``b``."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def mark(x: float = 0.0, y: float = 0.0, size: float = 1.0) -> list[Layer]:
    """The sun rising behind a solar panel, in a ``size`` square with top-left ``(x, y)``."""

    def p(u: float, v: float) -> Point:
        return (x + u * size, y + v * size)

    def s(d: float) -> float:
        return d * size

    layers: list[Layer] = []
    sun_x, sun_y = p(0.5, 0.385)
    layers.append(Layer(circle(sun_x, sun_y, s(0.175)), SUN))
    for angle in (180, 225, 270, 315, 360):  # the rays above the horizon
        c, si = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        start = (sun_x + c * s(0.255), sun_y + si * s(0.255))
        end = (sun_x + c * s(0.345), sun_y + si * s(0.345))
        layers.append(Layer(capsule(start, end, s(0.036)), SUN))

    # The panel leans back: a trapezoid, its far (top) edge shorter than its near one.
    outer = [p(0.175, 0.535), p(0.825, 0.535), p(0.996, 0.996), p(0.004, 0.996)]
    rounding = s(0.02)
    # Rounding clips the acute near corners; widen the near edge until they reach the sides.
    for _ in range(4):
        core = inset(outer, rounding)
        reach = x + s(0.004) - (min(cx for cx, _ in core) - rounding)
        (blx, bly), (brx, bry) = outer[3], outer[2]
        outer[3], outer[2] = (blx + reach, bly), (brx - reach, bry)
    panel = polygon(inset(outer, rounding)).grown(rounding)
    layers.append(Layer(panel.grown(s(0.038)), None))  # a clear gap between sun and panel
    layers.append(Layer(panel, FRAME))

    # Cells: 4 columns by 3 rows inside the frame; rows get deeper towards the viewer.
    tl, tr, br, bl = inset(outer, s(0.03))
    rows = [0.0, 0.30, 0.64, 1.0]  # foreshortened: the far row is the shallowest
    columns = 4
    gap = s(0.014)

    def at(u: float, v: float) -> Point:
        return lerp(lerp(tl, tr, u), lerp(bl, br, u), v)

    for row in range(3):
        v0, v1 = rows[row], rows[row + 1]
        for col in range(columns):
            u0, u1 = col / columns, (col + 1) / columns
            cell = [at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)]
            layers.append(Layer(polygon(inset(cell, gap)), CELL_ROWS[row]))
    return layers


def letters(x: float, baseline: float, height: float, ink: Rgb) -> tuple[list[Layer], float]:
    """The letters P, V and S, ``height`` tall, from ``x``: their layers and right edge."""
    h = height
    t = 0.2 * h  # stroke weight
    top = baseline - h
    gap = 0.15 * h
    seam = 0.01 * h
    layers: list[Layer] = []

    # P: a stem and a bowl (two bars joined by a half ring) over the upper 58 %.
    bowl = 0.58 * h
    r = (bowl - t) / 2
    bowl_x = x + 0.58 * h - t / 2 - r
    p_shape = union(
        [
            rect(x, top, x + t, baseline),
            # The bars run a hair into the ring: shapes that only touch leave a seam.
            rect(x, top, bowl_x + seam, top + t),
            rect(x, top + bowl - t, bowl_x + seam, top + bowl),
            arc(bowl_x, top + bowl / 2, r, t / 2, start=-90, sweep=180),
        ]
    )
    layers.append(Layer(p_shape, ink))
    x = bowl_x + r + t / 2 + gap

    # V: two slanted strokes meeting in a flat foot on the baseline.
    width = 0.74 * h
    stroke = 0.235 * h  # horizontal width of a slanted stroke (reads as wide as the others)
    foot = 0.2 * h
    mid = x + width / 2
    v_shape = union(
        [
            polygon(
                [
                    (x, top),
                    (x + stroke, top),
                    (mid + foot / 2, baseline),
                    (mid - foot / 2, baseline),
                ]
            ),
            polygon(
                [
                    (x + width - stroke, top),
                    (x + width, top),
                    (mid + foot / 2, baseline),
                    (mid - foot / 2, baseline),
                ]
            ),
        ]
    )
    layers.append(Layer(v_shape, ink))
    x += width + gap

    # S: two stacked three-quarter rings, the upper open to the lower right, the lower to the
    # upper left; slightly wider than tall per ring to sit well beside P and V.
    r = (h - t) / 4
    cx = x + r + t / 2
    upper = arc(
        cx, top + t / 2 + r, r, t / 2, start=87, sweep=243
    )  # both overlap the spine by 3 degrees
    lower = arc(cx, top + t / 2 + 3 * r, r, t / 2, start=267, sweep=243)
    layers.append(Layer(union([upper, lower]), ink))
    return layers, cx + r + t / 2


# --- rasterising and PNG ----------------------------------------------------------------------


def render(width: int, height: int, scale: float, layers: Sequence[Layer]) -> list[float]:
    """Premultiplied RGBA floats (0..1), row-major, of ``layers`` at ``scale`` pixels per unit."""
    buf = [0.0] * (width * height * 4)
    for layer in layers:
        x0, y0, x1, y1 = layer.shape.box
        px0, py0 = max(0, int(x0 * scale) - 1), max(0, int(y0 * scale) - 1)
        px1, py1 = min(width, int(x1 * scale) + 2), min(height, int(y1 * scale) + 2)
        sdf = layer.shape.sdf
        color = None if layer.color is None else [c / 255 for c in layer.color]
        for py in range(py0, py1):
            y = (py + 0.5) / scale
            row = py * width
            for px in range(px0, px1):
                coverage = 0.5 - sdf((px + 0.5) / scale, y) * scale
                if coverage <= 0:
                    continue
                coverage = min(coverage, 1.0)
                i = (row + px) * 4
                keep = 1 - coverage
                if color is None:
                    for k in range(4):
                        buf[i + k] *= keep
                else:
                    for k in range(3):
                        buf[i + k] = color[k] * coverage + buf[i + k] * keep
                    buf[i + 3] = coverage + buf[i + 3] * keep
    return buf


def to_rgba8(buf: Sequence[float]) -> bytes:
    """Premultiplied floats to straight-alpha 8-bit RGBA."""
    out = bytearray(len(buf))
    for i in range(0, len(buf), 4):
        a = buf[i + 3]
        if a <= 0:
            continue
        for k in range(3):
            out[i + k] = min(255, round(buf[i + k] / a * 255))
        out[i + 3] = min(255, round(a * 255))
    return bytes(out)


def png(width: int, height: int, rgba: bytes) -> bytes:
    """An 8-bit RGBA PNG, each row filtered with whichever filter compresses it best."""
    stride = width * 4
    raw = bytearray()
    previous = bytes(stride)
    for y in range(height):
        line = rgba[y * stride : (y + 1) * stride]
        candidates = [bytes([0]) + line]
        sub = bytes((line[i] - (line[i - 4] if i >= 4 else 0)) & 0xFF for i in range(stride))
        up = bytes((line[i] - previous[i]) & 0xFF for i in range(stride))
        candidates += [bytes([1]) + sub, bytes([2]) + up]
        raw += min(candidates, key=lambda c: sum(b if b < 128 else 256 - b for b in c[1:]))
        previous = line

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


# --- the image set ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Image:
    """One file of the brand folder and what to draw in it."""

    name: str
    width: int
    height: int
    scale: float  # pixels per design unit
    layers: list[Layer]


def icon(name: str, size: int) -> Image:
    """The mark filling a ``size`` px square."""
    return Image(name, size, size, float(size), mark())


def logo(name: str, density: int, ink: Rgb) -> Image:
    """The mark, one unit tall, then the letters; 128 px tall at ``density`` 1, 256 px at 2."""
    text, right = letters(1.15, 0.996, 0.56, ink)
    width = math.ceil((right + 0.004) * 128) * density
    return Image(name, width, 128 * density, 128.0 * density, mark() + text)


def images() -> list[Image]:
    """The brand folder: no dark icon, as the icon reads on dark backgrounds as it is."""
    return [
        icon("icon.png", 256),
        icon("icon@2x.png", 512),
        logo("logo.png", 1, INK_LIGHT),
        logo("logo@2x.png", 2, INK_LIGHT),
        logo("dark_logo.png", 1, INK_DARK),
        logo("dark_logo@2x.png", 2, INK_DARK),
    ]


def draw(image: Image) -> tuple[list[float], bytes]:
    """The image's premultiplied pixels and its PNG file."""
    buf = render(image.width, image.height, image.scale, image.layers)
    return buf, png(image.width, image.height, to_rgba8(buf))


def shrink(buf: Sequence[float], width: int, height: int, factor: int) -> list[float]:
    """Box-filter premultiplied RGBA by an integer factor (how a browser scales down)."""
    w, h = width // factor, height // factor
    out = [0.0] * (w * h * 4)
    n = factor * factor
    for y in range(h):
        for x in range(w):
            for dy in range(factor):
                base = ((y * factor + dy) * width + x * factor) * 4
                for dx in range(factor):
                    for k in range(4):
                        out[(y * w + x) * 4 + k] += buf[base + dx * 4 + k] / n
    return out


def flatten(buf: Sequence[float], background: Rgb, enlarge: int = 1, width: int = 0) -> bytes:
    """Premultiplied RGBA over an opaque background, optionally enlarged by pixel repetition."""
    bg = [c / 255 for c in background]
    pixels = [
        bytes(
            [
                *(round((buf[i + k] + bg[k] * (1 - buf[i + 3])) * 255) for k in range(3)),
                255,
            ]
        )
        for i in range(0, len(buf), 4)
    ]
    if enlarge == 1:
        return b"".join(pixels)
    rows = [pixels[i : i + width] for i in range(0, len(pixels), width)]
    out = bytearray()
    for row in rows:
        line = b"".join(p * enlarge for p in row)
        out += line * enlarge
    return bytes(out)


def preview(image: Image, buf: list[float], folder: Path) -> None:
    """Write the image over light and dark backgrounds (and the icon at 32 px) to ``folder``."""
    stem = image.name.removesuffix(".png")
    for label, background in PREVIEW_BACKGROUNDS.items():
        data = png(image.width, image.height, flatten(buf, background))
        (folder / f"{stem}-on-{label}.png").write_bytes(data)
        if image.name == "icon.png":
            small = shrink(buf, image.width, image.height, 8)  # 256 -> 32 px
            big = flatten(small, background, enlarge=8, width=32)
            (folder / f"icon-32px-on-{label}.png").write_bytes(png(256, 256, big))


def main() -> int:
    """Write (or with --check compare) the brand folder's images."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=BRAND, help=f"default: {BRAND}")
    parser.add_argument("--preview", type=Path, help="also write previews to this folder")
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    args = parser.parse_args()

    stale = []
    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
    if args.preview:
        args.preview.mkdir(parents=True, exist_ok=True)
    for image in images():
        buf, data = draw(image)
        target = args.out / image.name
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                stale.append(image.name)
        else:
            target.write_bytes(data)
            print(f"{target}: {image.width}x{image.height} px, {len(data)} bytes")
        if args.preview:
            preview(image, buf, args.preview)
    if stale:
        print(f"stale, run {Path(__file__).name}: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
