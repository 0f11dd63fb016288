"""The log file: records reach r3izzy.log, which rotates at its size limit into five
older files, the oldest dropped, nothing lost in between."""

from __future__ import annotations

import logging
import os

from r3izzy_desktop import logs
from r3izzy_desktop.logs import RotatingLog


def _logger(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"test_logs.{id(handler)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return logger


def test_records_go_to_the_file_and_it_rotates_at_its_limit(tmp_path):
    path = tmp_path / "r3izzy.log"
    handler = RotatingLog(path, max_bytes=200, backups=2)
    logger = _logger(handler)
    try:
        for number in range(20):  # 20 lines of 41 bytes: four to a file
            logger.info("linha %02d %s", number, "x" * 31)
    finally:
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["r3izzy.log", "r3izzy.log.1", "r3izzy.log.2"]  # .3 and on: dropped
    assert all(p.stat().st_size < 200 for p in tmp_path.iterdir())
    kept = [
        line[:8]
        for name in ("r3izzy.log.2", "r3izzy.log.1", "r3izzy.log")
        for line in (tmp_path / name).read_text(encoding="utf-8").splitlines()
    ]
    assert kept == [f"linha {n:02d}" for n in range(8, 20)]  # in order, none missing


def test_a_reopened_log_goes_on_where_it_was_and_an_empty_one_takes_a_long_line(tmp_path):
    path = tmp_path / "r3izzy.log"
    path.write_text("x" * 150 + "\n", encoding="utf-8")  # left by the last run
    handler = RotatingLog(path, max_bytes=200, backups=5)
    logger = _logger(handler)
    try:
        logger.info("y" * 60)  # 150 + 61 would pass 200: the old lines move to .1
        logger.info("z" * 300)  # longer than the limit: still written, after a rotation
    finally:
        handler.close()
    assert (tmp_path / "r3izzy.log.2").read_text(encoding="utf-8") == "x" * 150 + "\n"
    assert (tmp_path / "r3izzy.log.1").read_text(encoding="utf-8") == "y" * 60 + "\n"
    assert path.read_text(encoding="utf-8") == "z" * 300 + "\n"


def test_a_file_that_cannot_be_renamed_keeps_its_records(tmp_path, monkeypatch):
    """Windows refuses to rename a file another process holds open (the check process logs
    to the same file): nothing is lost, the rotation waits for a later record."""
    path = tmp_path / "r3izzy.log"
    handler = RotatingLog(path, max_bytes=100, backups=3)
    logger = _logger(handler)
    refused = []
    real_replace = os.replace

    def replace(source, target):
        refused.append(target)
        raise PermissionError(13, "in use by another process", source)

    try:
        logger.info("a" * 60)
        monkeypatch.setattr(logs.os, "replace", replace)
        logger.info("b" * 60)  # would rotate: refused, written to the same file
        monkeypatch.setattr(logs.os, "replace", real_replace)
        logger.info("c" * 60)  # the rotation now goes through
    finally:
        handler.close()
    assert refused
    rotated = (tmp_path / "r3izzy.log.1").read_text(encoding="utf-8")
    assert rotated == "a" * 60 + "\n" + "b" * 60 + "\n"
    assert path.read_text(encoding="utf-8") == "c" * 60 + "\n"
