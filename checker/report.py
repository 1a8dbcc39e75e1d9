"""The result object as readable Italian text (the command line's `--format text`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from . import checks
from .model import Rules
from .money import eur
from .timezone import italian

VERDICTS = {
    "eligible": "AMMISSIBILE – i requisiti verificati sono rispettati.",
    "not_eligible": "NON AMMISSIBILE – almeno un requisito non è rispettato.",
    "incomplete": "INCOMPLETO – mancano risposte per concludere la verifica.",
}
MARKS = {"pass": "[sì]", "fail": "[no]", "missing": "[? ]"}
WINDOW = {"open": "aperto", "closed": "chiuso", "not_yet_open": "non ancora aperto"}


def _money(value: float) -> str:
    return eur(Decimal(str(value)))


def text_report(rules: Rules, result: dict[str, Any]) -> str:
    lines = [rules.title, f"Esito: {VERDICTS[result['verdict']]}", "", "Verifiche:"]
    titles = {c.id: checks.title(rules, c) for c in rules.checks}
    for check in result["checks"]:
        lines.append(f"  {MARKS[check['status']]} {titles[check['id']]}")
        lines.append(f"       {check['message']}")
    w = result["window"]
    lines += ["", f"Sportello: {WINDOW[w['status']]} alla data di presentazione considerata "
                  f"({italian(datetime.fromisoformat(w['evaluated_at']))})."]
    grant = result["grant"]
    if grant is None:
        lines += ["", "Contributo: indica le spese per avere una stima."]
    else:
        lines += ["", rules.render(rules.grant.headline, amount=_money(grant["amount"]))]  # as the page says it
        width = max(len(step["label"]) for step in grant["steps"])
        for step in grant["steps"]:
            lines.append(f"  {step['label']:<{width}}  {_money(step['amount']):>16}")
        lines += [f"  {grant['note']}"]
    lines += ["", f"Versione delle regole: {result['rules_version']}"]
    return "\n".join(lines) + "\n"
