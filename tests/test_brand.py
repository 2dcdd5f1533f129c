"""The brand images: well-formed PNGs of the brands rules' sizes, served by Home Assistant.

From Home Assistant 2026.3 the ``brands`` integration serves a custom integration's images from
its ``brand/`` folder at ``/api/brands/integration/<domain>/<image>`` (falling back along a
chain, e.g. ``dark_icon.png`` to ``icon.png``); earlier releases point the frontend at the
brands CDN, which has no images for a custom integration. Which one applies is read from Home
Assistant's own code (is there a ``brands`` integration with its view?), not from its version.
"""

from __future__ import annotations

from dataclasses import dataclass
import importlib
from pathlib import Path
import struct
from types import ModuleType, SimpleNamespace
import zlib

from homeassistant.components.update import UpdateEntity
from homeassistant.core import HomeAssistant
from homeassistant.loader import Integration
from homeassistant.setup import async_setup_component
import pytest

from custom_components.sunpower_pvs.const import DOMAIN

BRAND = Path(__file__).parent.parent / "custom_components" / DOMAIN / "brand"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ICONS = {"icon.png": 256, "icon@2x.png": 512}
LOGOS = {"logo.png": 1, "logo@2x.png": 2, "dark_logo.png": 1, "dark_logo@2x.png": 2}

# What the frontend gets for each image it may ask for: dark_icon*.png are not shipped (the icon
# reads on a dark background) and fall back to the icon; the logo's letters need a dark variant.
SERVED = {
    "icon.png": "icon.png",
    "icon@2x.png": "icon@2x.png",
    "logo.png": "logo.png",
    "logo@2x.png": "logo@2x.png",
    "dark_icon.png": "icon.png",
    "dark_icon@2x.png": "icon@2x.png",
    "dark_logo.png": "dark_logo.png",
    "dark_logo@2x.png": "dark_logo@2x.png",
}


@dataclass(frozen=True)
class Png:
    width: int
    height: int
    bit_depth: int
    color_type: int
    interlace: int
    alpha: list[bytes]  # the alpha channel, row by row

    def opaque_box(self) -> tuple[int, int, int, int]:
        """The bounding box (x0, y0, x1, y1, exclusive) of pixels not fully transparent."""
        xs = [x for row in self.alpha for x, a in enumerate(row) if a]
        ys = [y for y, row in enumerate(self.alpha) if any(row)]
        return min(xs), min(ys), max(xs) + 1, max(ys) + 1


def read_png(path: Path) -> Png:
    """Parse a non-interlaced 8-bit RGBA PNG's chunks and undo its row filters."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name}: not a PNG"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"{path.name}: bad CRC in {kind!r}"
        chunks.setdefault(kind, []).append(body)
        pos += 12 + length
    assert next(iter(chunks)) == b"IHDR", f"{path.name}: IHDR is not the first chunk"
    assert b"IEND" in chunks
    width, height, bit_depth, color_type, _, _, interlace = struct.unpack(
        ">IIBBBBB", chunks[b"IHDR"][0]
    )
    alpha: list[bytes] = []
    if (bit_depth, color_type, interlace) == (8, 6, 0):
        raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
        stride = width * 4
        assert len(raw) == height * (stride + 1)
        previous = bytearray(stride)
        for y in range(height):
            kind = raw[y * (stride + 1)]
            line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
            for i in range(stride):
                left = line[i - 4] if i >= 4 else 0
                up = previous[i]
                up_left = previous[i - 4] if i >= 4 else 0
                if kind == 1:
                    line[i] = (line[i] + left) & 0xFF
                elif kind == 2:
                    line[i] = (line[i] + up) & 0xFF
                elif kind == 3:
                    line[i] = (line[i] + (left + up) // 2) & 0xFF
                elif kind == 4:
                    p = left + up - up_left
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                    predictor = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                    line[i] = (line[i] + predictor) & 0xFF
                else:
                    assert kind == 0, f"{path.name}: unknown filter {kind}"
            alpha.append(bytes(line[3::4]))
            previous = line
    return Png(width, height, bit_depth, color_type, interlace, alpha)


def assert_transparent_rgba(png: Png, name: str) -> None:
    assert (png.bit_depth, png.color_type, png.interlace) == (8, 6, 0), (
        f"{name}: not 8-bit RGBA, non-interlaced"
    )
    pixels = png.width * png.height
    clear = sum(row.count(0) for row in png.alpha)
    solid = sum(row.count(255) for row in png.alpha)
    assert clear >= pixels // 10, f"{name}: no transparent background"
    assert solid >= pixels // 10, f"{name}: the drawing is not opaque"
    assert png.alpha[0][0] == 0, f"{name}: the top-left corner is not transparent"


@pytest.mark.parametrize("name", sorted(ICONS))
def test_icon_is_a_trimmed_square_transparent_png(name: str) -> None:
    png = read_png(BRAND / name)
    assert (png.width, png.height) == (ICONS[name], ICONS[name])
    assert_transparent_rgba(png, name)
    x0, y0, x1, y1 = png.opaque_box()
    # Trimmed: the drawing reaches (to within the anti-aliasing) the edges in both directions.
    assert x1 - x0 >= png.width - 4
    assert y1 - y0 >= png.height - 4


@pytest.mark.parametrize("name", sorted(LOGOS))
def test_logo_is_a_trimmed_landscape_transparent_png(name: str) -> None:
    png = read_png(BRAND / name)
    density = LOGOS[name]
    # The brands rules: landscape, its shortest side 128 to 256 px (the @2x one twice that).
    assert png.width > png.height
    assert 128 * density <= png.height <= 256 * density
    single = read_png(BRAND / name.replace("@2x", "")) if density == 2 else png
    assert (png.width, png.height) == (single.width * density, single.height * density)
    assert_transparent_rgba(png, name)
    x0, y0, x1, y1 = png.opaque_box()
    assert x1 - x0 >= png.width - 4 * density
    assert y1 - y0 >= png.height - 4 * density


def test_dark_logo_pairs_the_logo() -> None:
    for name in ("logo.png", "logo@2x.png"):
        light, dark = read_png(BRAND / name), read_png(BRAND / f"dark_{name}")
        assert (light.width, light.height) == (dark.width, dark.height)
        assert (BRAND / name).read_bytes() != (BRAND / f"dark_{name}").read_bytes()
    shipped = {path.name for path in BRAND.iterdir()}
    assert shipped == set(ICONS) | set(LOGOS)


def brands_component() -> ModuleType | None:
    """Home Assistant's brands integration, on releases that serve brand images themselves."""
    try:
        return importlib.import_module("homeassistant.components.brands")
    except ModuleNotFoundError:
        return None


def icon_url() -> str:
    """Where Home Assistant itself points the frontend for this integration's icon."""
    entity = UpdateEntity()
    entity.platform = SimpleNamespace(platform_name=DOMAIN)  # type: ignore[assignment]
    url = entity.entity_picture
    assert url is not None
    return url


async def test_home_assistant_serves_the_brand_images(
    hass: HomeAssistant, hass_client, hass_client_no_auth, hass_ws_client
) -> None:
    brands = brands_component()
    if brands is None or not hasattr(brands, "BrandsIntegrationView"):
        # A release before local brand images: no brands integration, no notion of an
        # integration's brand folder, and the frontend is sent to the brands CDN.
        assert not hasattr(Integration, "has_branding")
        assert icon_url() == f"https://brands.home-assistant.io/_/{DOMAIN}/icon.png"
        return

    assert await async_setup_component(hass, "brands", {})
    assert icon_url() == f"/api/brands/integration/{DOMAIN}/icon.png"

    client = await hass_client()
    for image, file in SERVED.items():
        response = await client.get(f"/api/brands/integration/{DOMAIN}/{image}")
        assert response.status == 200, image
        assert response.content_type == "image/png", image
        assert await response.read() == (BRAND / file).read_bytes(), image

    # The frontend's way in: an <img> carries no Authorization header but the token it got over
    # the websocket; without one the view refuses.
    anonymous = await hass_client_no_auth()
    response = await anonymous.get(f"/api/brands/integration/{DOMAIN}/icon.png")
    assert response.status == 403
    ws = await hass_ws_client(hass)
    await ws.send_json({"id": 1, "type": "brands/access_token"})
    reply = await ws.receive_json()
    assert reply["success"], reply
    response = await anonymous.get(
        f"/api/brands/integration/{DOMAIN}/logo.png", params={"token": reply["result"]["token"]}
    )
    assert response.status == 200
    assert await response.read() == (BRAND / "logo.png").read_bytes()
