"""Draw the mini program's tab bar icons (miniprogram/images/tab-*.png), with no dependency:
shapes on a 4× grid, averaged down to 81×81 px (WeChat's recommended size), written as PNG
by zlib. Run it again after changing a shape or a colour: `python tools/miniprogram_icons.py`.
"""

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

SIZE = 81
SCALE = 4
OUT = Path(__file__).resolve().parents[1] / "miniprogram" / "images"
# app.json's tabBar color and selectedColor.
COLOURS = {"": (0x66, 0x66, 0x66), "-on": (0xB4, 0x53, 0x3A)}

Shape = Callable[[float, float], bool]


def rect(x0: float, y0: float, x1: float, y1: float) -> Shape:
    return lambda x, y: x0 <= x <= x1 and y0 <= y <= y1


def ring_rect(x0: float, y0: float, x1: float, y1: float, width: float) -> Shape:
    outer, inner = rect(x0, y0, x1, y1), rect(x0 + width, y0 + width, x1 - width, y1 - width)
    return lambda x, y: outer(x, y) and not inner(x, y)


def disc(cx: float, cy: float, r: float) -> Shape:
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def calendar() -> list[Shape]:
    """A calendar page: frame, header band, two rings, a grid of days."""
    shapes = [ring_rect(12, 16, 69, 70, 5), rect(12, 16, 69, 30), rect(24, 9, 30, 22)]
    shapes.append(rect(51, 9, 57, 22))
    for row in range(2):
        for col in range(3):
            x, y = 22 + col * 14, 38 + row * 14
            shapes.append(rect(x, y, x + 8, y + 8))
    return shapes


def listing() -> list[Shape]:
    """My bookings: three lines, each with a dot."""
    shapes = []
    for row in range(3):
        y = 20 + row * 19
        shapes += [disc(17, y + 3.5, 5), rect(29, y, 70, y + 7)]
    return shapes


def png(pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    raw = b"".join(b"\0" + b"".join(bytes(p) for p in row) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def draw(shapes: list[Shape], colour: tuple[int, int, int]) -> bytes:
    rows = []
    for py in range(SIZE):
        row = []
        for px in range(SIZE):
            hits = sum(
                any(shape(px + (sx + 0.5) / SCALE, py + (sy + 0.5) / SCALE) for shape in shapes)
                for sx in range(SCALE)
                for sy in range(SCALE)
            )
            row.append((*colour, round(255 * hits / SCALE**2)))
        rows.append(row)
    return png(rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, shapes in (("book", calendar()), ("mine", listing())):
        for suffix, colour in COLOURS.items():
            (OUT / f"tab-{name}{suffix}.png").write_bytes(draw(shapes, colour))


if __name__ == "__main__":
    main()
