"""The Qt binding must keep Python's books straight.

PySide6 6.12.0 on Python 3.11 takes a reference to None away on every call of a Qt method
that returns nothing (on 3.12+ None is immortal, so it does not show). A busy Agenda week
paints tens of thousands of such calls, and the app died with "Fatal Python error:
none_dealloc" after a few repaints. pyproject.toml keeps that version out; this test
catches a binding with the same fault. It runs in a child process, which a faulty
binding may crash without taking the test run with it.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label = QLabel()
image = QImage(40, 40, QImage.Format.Format_ARGB32)
painter = QPainter(image)
before = sys.getrefcount(None)
for _ in range(200):
    label.setText("x")
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#2e9e5b"))
    painter.drawEllipse(QPointF(5, 5), 4.0, 4.0)
    painter.restore()
print(sys.getrefcount(None) - before, flush=True)
painter.end()
"""


def test_void_qt_calls_keep_none_alive():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    lines = done.stdout.split()
    assert lines, f"the probe crashed: {done.stderr[-500:]}"
    # 200 loops of six calls that return None: a faulty binding loses 1.200 references.
    assert int(lines[0]) > -100, f"None lost {-int(lines[0])} references"
