"""Reading back what the checker prints: PDF pages counted, a screenshot's QR code decoded.

No PDF or image library is needed: Chromium's PDFs name each page object `/Type /Page`, and a
screenshot (an 8-bit PNG, inflated with Node's zlib) is read by jsQR, an npm development dependency in
pure JavaScript, under Node.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sitekit import ROOT

JSQR = ROOT / "node_modules" / "jsqr" / "dist" / "jsQR.js"
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", re.S)

# Node: the PNG (8-bit RGB or RGBA, not interlaced: a Chromium screenshot) decoded with zlib, then jsQR.
DECODE = """
const jsQR = require(process.argv[1]);
const zlib = require("zlib");
{
  const png = require("fs").readFileSync(process.argv[2]);
  let pos = 8, idat = [], width, height, channels;
  while (pos < png.length) {
    const length = png.readUInt32BE(pos), kind = png.toString("ascii", pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + length);
    if (kind === "IHDR") {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      if (data[8] !== 8 || ![2, 6].includes(data[9]) || data[12] !== 0) throw new Error("unsupported PNG");
      channels = data[9] === 6 ? 4 : 3;
    } else if (kind === "IDAT") idat.push(data);
    pos += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat)), stride = width * channels;
  const rgba = new Uint8ClampedArray(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels] : 0, b = previous[x], c = x >= channels ? previous[x - channels] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const predicted = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      out[x] = (line[x] + predicted) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) rgba[(y * width + x) * 4 + k] = out[x * channels + k];
      rgba[(y * width + x) * 4 + 3] = channels === 4 ? out[x * channels + 3] : 255;
    }
    previous = out;
  }
  const code = jsQR(rgba, width, height);
  process.stdout.write(JSON.stringify(code ? Buffer.from(code.binaryData).toString("utf8") : null));
}
"""


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF Chromium printed (its page objects, checked against the page tree)."""
    pages = len(_PAGE.findall(pdf))
    counts = {int(a or b) for a, b in _COUNT.findall(pdf)}
    assert counts == {pages}, f"page objects {pages}, page tree /Count {counts}"
    return pages


def decode_qr(png: bytes) -> str | None:
    """The text of the QR code in the screenshot `png` (UTF-8), or None if jsQR finds none."""
    node = shutil.which("node")
    assert node is not None, "node is required to read the QR code"
    assert JSQR.is_file(), "node_modules/jsqr mancante: esegui `make setup`"
    with tempfile.TemporaryDirectory() as folder:  # a file, not a pipe: under pytest's capture a pipe hung
        image = Path(folder) / "qr.png"
        image.write_bytes(png)
        proc = subprocess.run([node, "-e", DECODE, str(JSQR), str(image)], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, check=True, timeout=60)
    text: str | None = json.loads(proc.stdout)
    return text
