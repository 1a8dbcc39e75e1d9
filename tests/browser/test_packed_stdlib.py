"""The standard library ships packed twice (build_scripts/bundle.py: BROTLI_STDLIB, PACKED_STDLIB) and Pyodide
receives it unpacked (docs/assets/checker/python-package.js, `unpackingFetch`): in a real Chromium, Pyodide's
request for the zip gets exactly the zip the build packed, from the brotli file where the host sends it with
`Content-Encoding: br` (as the site's `_headers` says: the browser decodes it), else from the gzip file,
whether the host sends it as it is or, as some servers do with `.gz` files, with `Content-Encoding: gzip`.
A host that sends the brotli file without the header, or compressed once more, costs the gzip file only."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import pytest

from build_scripts import bundle
from build_scripts.fingerprint import built_name

pytestmark = pytest.mark.browser

UNPACK = """async ([module, folder, brotliBase64]) => {
  const { unpackingFetch, STDLIB, BROTLI_STDLIB, PACKED_STDLIB } = await import(module);
  const digest = async (response) => {
    const bytes = await response.arrayBuffer();
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  const packed = await (await fetch(folder + PACKED_STDLIB)).arrayBuffer();
  const gunzip = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  const zip = await new Response(gunzip).arrayBuffer();
  // The brotli file's own bytes, as a host that does not have the browser decode them sends them.
  const brotli = Uint8Array.from(atob(brotliBase64), (c) => c.charCodeAt(0));
  /** A host answering the brotli file with `brBody` (null: 404) and `brHeaders`, the gzip file with `gzBody`
   * (the real one if undefined), logging what it is asked for. */
  const host = (asked, brBody, brHeaders, gzBody) => async (url, init) => {
    asked.push(url.slice(folder.length));
    if (url === folder + BROTLI_STDLIB) return new Response(brBody, { status: brBody ? 200 : 404, headers: brHeaders });
    if (url === folder + PACKED_STDLIB && gzBody !== undefined) return new Response(gzBody);
    return fetch(url, init);
  };
  const run = async (fetcher) => {
    const asked = [];
    const response = await unpackingFetch(fetcher(asked), folder)(folder + STDLIB);
    return { digest: await digest(response), asked };
  };
  const asSent = (asked) => async (url, init) => { asked.push(url.slice(folder.length)); return fetch(url, init); };
  const lockfile = await unpackingFetch(fetch, folder)(folder + "pyodide-lock.json");
  return {
    as_sent: await run(asSent),
    brotli_without_the_header: await run((asked) => host(asked, brotli, {})),
    brotli_compressed_again: await run((asked) => host(asked, brotli, { "Content-Encoding": "br" })),
    no_brotli_file: await run((asked) => host(asked, null, {})),
    gzip_unpacked_by_host: await run((asked) => host(asked, brotli, {}, zip)),
    brotli_decoded_header: await (async () => {
      const response = await fetch(folder + BROTLI_STDLIB);
      return response.headers.get("Content-Encoding");
    })(),
    other_files_as_they_are: lockfile.ok && (await lockfile.json()).packages !== undefined,
  };
}"""


def test_pyodide_gets_the_zip_the_build_packed(page: Any, server: Any, site_dir: Path) -> None:
    runtime = bundle.site_runtime(site_dir)
    expected = hashlib.sha256(bundle.unpacked_stdlib(runtime)).hexdigest()
    page.goto(server.url("/"))
    module = server.url("/" + built_name(site_dir, "assets/checker/python-package.js"))
    folder = server.url("/" + runtime.relative_to(site_dir).as_posix() + "/")
    brotli = base64.b64encode((runtime / bundle.BROTLI_STDLIB).read_bytes()).decode()
    seen = page.evaluate(UNPACK, [module, folder, brotli])
    br, gz = bundle.BROTLI_STDLIB, bundle.PACKED_STDLIB
    assert seen.pop("other_files_as_they_are") is True
    assert seen.pop("brotli_decoded_header") == "br", "the test server should send the brotli file as _headers says"
    assert seen == {
        "as_sent": {"digest": expected, "asked": [br]},
        "brotli_without_the_header": {"digest": expected, "asked": [br, gz]},
        "brotli_compressed_again": {"digest": expected, "asked": [br, gz]},
        "no_brotli_file": {"digest": expected, "asked": [br, gz]},
        "gzip_unpacked_by_host": {"digest": expected, "asked": [br, gz]},
    }
