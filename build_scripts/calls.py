"""Every call's rules for a build of the site, read anew from checker/calls/ (`mkdocs serve` rebuilds in
the same process: an edited rules file must show up). A broken rules file stops the build."""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from checker import catalogue, model
from checker.errors import CheckerError


def load_calls(hook: str) -> list[model.Rules]:
    """The rules of every call, in the order of their ids; `hook` names who asks, in the error."""
    catalogue.get.cache_clear()
    catalogue.call_ids.cache_clear()
    try:
        return [catalogue.get(call_id) for call_id in catalogue.call_ids()]
    except CheckerError as err:
        raise PluginError(f"{hook}: regole non valide: {err}") from err
