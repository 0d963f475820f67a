"""Writes samples/changes/documents/: new versions of 7 handbook files with specific facts changed.

Each edit is an exact (old, new) replacement that must match exactly once, so the change set
stays in sync with the handbook. Run from the repository root: python3 scripts/samples/make_changes.py
"""
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
HANDBOOK = os.path.join(ROOT, "samples", "handbook")
OUT = os.path.join(ROOT, "samples", "changes", "documents")

SEALEDGER_480 = """## 4.8.0 (1 December 2026)

- New: SeaLedger Edge, a local cache that keeps dashboards working on vessels without internet.
- New: alarm escalation chains (SMS, then phone call) for Fleet and Ocean plans.
- Changed: the minimum TLS version for instrument connections is now TLS 1.3.
- Fixed: geofence alarms ignored positions older than 30 minutes after a reconnection (SL-2340).

## 4.7.2 (14 October 2026)"""

EDITS = {
    "products/price-list-2026.md": [
        ("Prices in euros, excluding VAT and shipping, effective 1 January 2026.",
         "Prices in euros, excluding VAT and shipping. Revised prices apply from 1 December 2026; the list first took effect on 1 January 2026."),
        ("| Kestrel CTD-40 sonde | KCT-40 | €14,850 |", "| Kestrel CTD-40 sonde | KCT-40 | €15,390 |"),
        ("| Halyard HB-7 data buoy | HB-7 | €61,200 |", "| Halyard HB-7 data buoy | HB-7 | €63,900 |"),
        ("| Factory calibration, per sensor | €1,150 |", "| Factory calibration, per sensor | €1,275 |"),
        ("Quotes are valid for 60 days.", "Quotes are valid for 45 days."),
    ],
    "policies/travel.md": [
        ("It was last revised on 1 February 2026.", "It was last revised on 1 December 2026."),
        ("Book through Wayfarer at least 14 days before departure.", "Book through Wayfarer at least 21 days before departure."),
        ("reimbursed at €0.38 per km.", "reimbursed at €0.42 per km."),
        ("| Tier A | €185 |", "| Tier A | €210 |"),
        ("| Tier A city | €62 per day |", "| Tier A city | €70 per day |"),
    ],
    "policies/leave.md": [
        ("Last revised on 1 January 2026.", "Last revised on 1 December 2026, with effect from 1 January 2027."),
        ("Full-time employees receive 27 days of paid annual leave", "Full-time employees receive 29 days of paid annual leave"),
        ("Up to 5 days of unused leave can be carried over", "Up to 8 days of unused leave can be carried over"),
        ("| Primary carer | 20 weeks |", "| Primary carer | 24 weeks |"),
    ],
    "engineering/on-call.md": [
        ("| P1 | SeaLedger down or data being lost for many customers | 20 minutes |",
         "| P1 | SeaLedger down or data being lost for many customers | 15 minutes |"),
        ("If a P1 is not resolved within 45 minutes,", "If a P1 is not resolved within 30 minutes,"),
        ("- On-call stipend: €240 per week of on-call.", "- On-call stipend: €310 per week of on-call."),
    ],
    "products/warranty.md": [
        ("| Halyard HB-7 data buoy | 24 months |", "| Halyard HB-7 data buoy | 36 months |"),
        ("It costs 9% of the instrument's list price", "It costs 7% of the instrument's list price"),
    ],
    "company/org-chart.md": [
        ("Last reviewed: 1 October 2026.", "Last reviewed: 1 December 2026."),
        ("| Customer Support | Tomasz Ferreira | COO |", "| Customer Support | Aoife Brannigan | COO |"),
    ],
    "engineering/release-notes-sealedger.md": [
        ("## 4.7.2 (14 October 2026)", SEALEDGER_480),
    ],
}


def main() -> int:
    for rel, edits in EDITS.items():
        with open(os.path.join(HANDBOOK, rel), encoding="utf-8") as f:
            text = f.read()
        for old, new in edits:
            n = text.count(old)
            if n != 1:
                print(f"{rel}: expected exactly one match for {old!r}, found {n}", file=sys.stderr)
                return 1
            text = text.replace(old, new)
        dst = os.path.join(OUT, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        tmp = dst + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, dst)
        print(f"wrote changes/documents/{rel} ({len(edits)} edits)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
