"""Headless Chromium for the integration tests: find (or install) it, run it, read its PNGs.

Chromium comes from Debian (``scripts/ensure_chromium.sh``); tests skip with the reason when it
cannot be had. Each run is its own process group, killed with its helpers even on a timeout.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import struct
import subprocess
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def ensure_chromium() -> str | None:
    found = find_chromium()
    if found:
        return found
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure_chromium.sh")], timeout=900, check=False)
    return find_chromium()


def decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    """Width, height, channels and raw pixel bytes of an 8-bit RGB/RGBA/grey PNG (no Pillow here)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
    assert depth == 8 and interlace == 0, f"unsupported PNG (depth {depth}, interlace {interlace})"
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    out = bytearray(height * stride)
    prev = bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b, c = prev[i], prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        out[y * stride:(y + 1) * stride] = line
        prev = line
    return width, height, channels, bytes(out)


def run_chromium(browser: str, args: list[str], cwd: Path, timeout: float = 120) -> tuple[int | None, str, str]:
    """Run Chromium with ``FLAGS`` + ``args`` (a profile under ``cwd``); returns (exit code, stdout, stderr)."""
    cmd = [browser, *FLAGS, f"--user-data-dir={cwd / 'profile'}", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        out, err = "", f"chromium did not finish within {timeout:.0f} s"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    return proc.returncode, out, err


def colours_and_ink(png: bytes) -> tuple[int, int, set[bytes], float]:
    """Width, height, the set of RGB colours and the share of non-white pixels of a screenshot."""
    width, height, channels, pixels = decode_png(png)
    colours: set[bytes] = set()
    non_white = 0
    for i in range(0, len(pixels), channels):
        px = pixels[i:i + 3] if channels >= 3 else pixels[i:i + 1] * 3
        colours.add(px)
        if px[0] < 240 or px[1] < 240 or px[2] < 240:
            non_white += 1
    return width, height, colours, non_white / (width * height)
