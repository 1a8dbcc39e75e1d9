"""Where the site puts the checker's pages: the checker of a call, and its embeddable twin (the spec's
«Browser» and «Embedding»). Read by the hooks, the pages' templates and the security headers."""

CHECKER_DIR = "verifica"  # verifica/<call-id>/: the checker page of a call
# incorpora/<call-id>/: the same checker without the site's chrome, which any site may frame
# (build_scripts/hooks/security.py allows it for this folder only)
EMBED_DIR = "incorpora"
