"""The standard library ships packed (build_scripts/bundle.py, PACKED_STDLIB) and the browser unpacks it for
Pyodide (docs/assets/checker/python-package.js, `unpackingFetch`): in a real Chromium, Pyodide's request for
the zip gets exactly the zip the build packed, whether the host sends the `.gz` file as it is or, as some
servers do with `.gz` files, with `Content-Encoding: gzip` (the browser has then unpacked it already)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from build_scripts import bundle
from build_scripts.fingerprint import built_name

pytestmark = pytest.mark.browser

UNPACK = """async ([module, folder]) => {
  const { unpackingFetch, STDLIB, PACKED_STDLIB } = await import(module);
  const digest = async (response) => {
    const bytes = await response.arrayBuffer();
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  const packed = await (await fetch(folder + PACKED_STDLIB)).arrayBuffer();
  const gunzip = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  const zip = await new Response(gunzip).arrayBuffer();
  const asSent = unpackingFetch(fetch, folder);
  const host = async (url) => (url === folder + PACKED_STDLIB ? new Response(zip) : fetch(url));
  const unpackedByHost = unpackingFetch(host, folder);
  const lockfile = await asSent(folder + "pyodide-lock.json");
  return {
    as_sent: await digest(await asSent(folder + STDLIB)),
    unpacked_by_host: await digest(await unpackedByHost(folder + STDLIB)),
    other_files_as_they_are: lockfile.ok && (await lockfile.json()).packages !== undefined,
  };
}"""


def test_pyodide_gets_the_zip_the_build_packed(page: Any, server: Any, site_dir: Path) -> None:
    runtime = bundle.site_runtime(site_dir)
    expected = hashlib.sha256(bundle.unpacked_stdlib(runtime)).hexdigest()
    page.goto(server.url("/"))
    module = server.url("/" + built_name(site_dir, "assets/checker/python-package.js"))
    folder = server.url("/" + runtime.relative_to(site_dir).as_posix() + "/")
    seen = page.evaluate(UNPACK, [module, folder])
    assert seen == {"as_sent": expected, "unpacked_by_host": expected, "other_files_as_they_are": True}
