"""The words of the grant estimate's steps and notes (checker/formulas.py says which, with their figures).

The words that differ by call are the rules file's (`grant.cap_label`, `grant.cap_increase_labels`,
`grant.phase_note`); these are the same for every call.
"""

WORDS = {
    "admitted": "{expense}: importo ammesso{note}",
    "flat": "{expense}: importo forfettario{note}",
    "eligible": "Spese ammissibili complessive",
    "one_rate": "Contributo al {rate} delle spese ammissibili",
    "rates": "Contributo: {parts}",
    "estimate": "Contributo stimato",
    "capped": "Contributo stimato (ridotto al massimale)",
    "per_member_cap": "Massimale: {per_member} per ogni {label} ({members})",
    "per_member_cap_unknown": "Massimale: {per_member} per ogni {label}; indica i membri per calcolarlo",
    "rules": "{label}",
}
# An expense type's line, when its rule changed what was entered: `{note}` above is the note after this
# separator (the note alone is also the line's `note` in the result).
NOTE_SEPARATOR = " – "
SHARE_LIMIT_NOTE = "ridotto al limite del {share} delle altre voci ({others}): {limit}; {excess} non ammessi"
FLAT_RATE_NOTE = "{rate} delle voci precedenti, così come ammesse ({base})"
ESTIMATE_NOTE = "Stima informativa: l’importo effettivamente concesso può essere diverso."
