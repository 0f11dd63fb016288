"""Render resources/icons/app.svg into app.png (256 px) and a multi-size app.ico with Qt.

Run from the repo root: `python build/make_icons.py`. The generated files are committed,
so a build never needs this step; run it again only when app.svg changes.

The .ico holds PNG-compressed images (16–256 px), which Windows reads since Vista;
Qt's own ICO writer stores a single size, so the container is written here.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file whose entries are PNG images (size, png data)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in images:
        side = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = ICONS / "app.svg"
    render(svg, 256).save(str(ICONS / "app.png"), "PNG")
    ico = ico_bytes([(size, png_bytes(render(svg, size))) for size in ICO_SIZES])
    (ICONS / "app.ico").write_bytes(ico)
    print(f"wrote {ICONS / 'app.png'} and {ICONS / 'app.ico'} ({len(ico)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
