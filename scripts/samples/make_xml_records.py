"""Generates samples/datasets/xml-records/{train,test}.jsonl: free-text case narratives -> one XML record.

The user message is a fictional clinical visit note or legal case summary written in one of
several styles (clinician note, third-person account, terse chart entry, referral letter, court
report, paralegal memo, news item, client email) with dates in varied formats. The assistant
answers with exactly one <record> element in the schema documented in samples/datasets/README.md,
built from the same values as the narrative. Deterministic (seeded).
Run: python3 scripts/samples/make_xml_records.py
"""
import datetime
import json
import os
import random
import sys
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xml_content as C  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "samples", "datasets", "xml-records")
SYSTEM = "You are a helpful assistant."
MAX_CHARS = 1230

PREFIXES = ["", "", "", "Turn this note into a record:\n\n", "Structure the following case.\n\n",
            "Please convert this to the XML record format.\n\n", "Case notes below.\n\n", "Make a record of this:\n\n",
            "Summarise as a structured record.\n\n"]


def ordinal(n):
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def date_text(rng, d):
    style = rng.randrange(6)
    if style == 0:
        return f"{d.day} {d:%B %Y}"
    if style == 1:
        return f"{d:%B} {d.day}, {d.year}"
    if style == 2:
        return d.isoformat()
    if style == 3:
        return f"{d.day} {d:%b %Y}"
    if style == 4:
        return f"the {ordinal(d.day)} of {d:%B %Y}"
    return f"{d:%A} {d.day} {d:%B %Y}"


def random_date(rng):
    """A working day (Monday to Friday) between 2019-01-01 and 2026-10-30."""
    start = datetime.date(2019, 1, 1)
    while True:
        d = start + datetime.timedelta(days=rng.randrange((datetime.date(2026, 10, 31) - start).days))
        if d.weekday() < 5:
            return d


def lc(text):
    """Lower-cases the first letter unless the first word is an acronym or code (ECG, HbA1c, GAD-7)."""
    word = text.split(" ", 1)[0]
    if any(ch.isupper() or ch.isdigit() for ch in word[1:]):
        return text
    return text[0].lower() + text[1:]


def article(number):
    return "an" if str(number).startswith("8") or number in (11, 18) else "a"


def cap(text):
    return text[0].upper() + text[1:]


def record(kind, date, parties, summary, findings, outcome):
    lines = ["<record>", f"  <type>{kind}</type>", f"  <date>{date.isoformat()}</date>", "  <parties>"]
    lines += [f"    <party role={quoteattr(role)}>{escape(name)}</party>" for role, name in parties]
    lines += ["  </parties>", f"  <summary>{escape(summary)}</summary>", "  <findings>"]
    lines += [f"    <finding>{escape(f)}</finding>" for f in findings]
    lines += ["  </findings>", f"  <outcome>{escape(outcome)}</outcome>", "</record>"]
    return "\n".join(lines)


def clinical(rng):
    s = rng.choice(C.CLINICAL)(rng)
    date = random_date(rng)
    female = s.get("female", rng.random() < 0.5)
    name = C.person(rng, female)
    clinician = f"Dr. {C.person(rng)}"
    clinic = rng.choice(C.CLINICS)
    child = s.get("child", False)
    age = rng.randint(2, 9) if child else rng.randint(18, 84)
    sexword = ("girl" if female else "boy") if child else ("woman" if female else "man")
    pron = "She" if female else "He"
    f1, f2, f3 = s["findings"]
    parties = [("patient", name), ("clinician", clinician)]
    carer_text = ""
    if child:
        relation = rng.choice(["mother", "father", "grandmother", "aunt"])
        carer = C.person(rng, relation != "father")
        parties.insert(1, ("carer", carer))
        carer_text = f" {pron} came with {'her' if female else 'his'} {relation}, {carer}."
    d = date_text(rng, date)
    style = rng.randrange(4)
    if style == 0:
        text = (f"Seen at {clinic} on {d}. {name}, {age}, presented with {s['presenting']}.{carer_text} "
                f"On examination: {f1}; {lc(f2)}; {lc(f3)}. Plan: {s['outcome']}. ({clinician})")
    elif style == 1:
        text = (f"On {d}, {clinician} saw {name}, {article(age)} {age}-year-old {sexword}, at {clinic} for {s['presenting']}.{carer_text} "
                f"Examination showed {lc(f1)}, {lc(f2)} and {lc(f3)}. {pron} was advised as follows: {lc(s['outcome'])}.")
    elif style == 2:
        carer_line = f"\nWith: {parties[1][1]} (carer)" if child else ""
        text = (f"Date: {d}\nPatient: {name} ({age}{'F' if female else 'M'}){carer_line}\nClinician: {clinician}\nSite: {clinic}\n"
                f"C/O: {s['presenting']}\nO/E: {f1}. {f2}. {f3}.\nPlan: {s['outcome']}.")
    else:
        text = (f"Dear colleague,\n\nI reviewed {name} ({age}) at {clinic} on {d} regarding {s['presenting']}.{carer_text} "
                f"Findings: {lc(f1)}; {lc(f2)}; {lc(f3)}. Outcome: {lc(s['outcome'])}.\n\nKind regards,\n{clinician}")
    summary = f"{cap(article(age))} {age}-year-old {sexword} assessed as {s['summary_core']}."
    return text, record("clinical-visit", date, parties, summary, s["findings"], s["outcome"])


def judge_for(rng, court):
    last, first = rng.choice(C.LAST), rng.choice(C.FIRST)
    if "Tribunal" in court:
        return f"Employment Judge {last}"
    if "Magistrates" in court:
        return f"District Judge {last}"
    return rng.choice([f"District Judge {last}", f"Judge {first} {last}", f"Her Honour Judge {last}", f"His Honour Judge {last}"])


def legal(rng):
    fn = rng.choice(C.LEGAL)
    s = fn(rng)
    if fn is C.unfair_dismissal or fn is C.unpaid_overtime:
        court = "Harlow Vale Employment Tribunal"
    elif fn is C.speeding_appeal:
        court = "Central Riverside Magistrates' Court"
    else:
        court = rng.choice([c for c in C.COURTS if "Tribunal" not in c and "Magistrates" not in c])
    judge = judge_for(rng, court)
    date = random_date(rng)
    (role_a, a), (role_b, b) = s["parties"]
    f1, f2, f3 = s["findings"]
    d = date_text(rng, date)
    body = "tribunal" if "Tribunal" in court else "court"
    style = rng.randrange(4)
    if style == 0:
        text = (f"In {a} v {b}, heard at {court} on {d} before {judge}, the {role_a} brought a case about {s['matter']}. "
                f"The {body} found that {lc(f1)}, that {lc(f2)}, and that {lc(f3)}. Outcome: {lc(s['outcome'])}.")
    elif style == 1:
        text = (f"MEMO re: {a} v {b}\nHearing date: {d}\nCourt: {court} ({judge})\nIssue: {s['matter']}.\n"
                f"Key findings:\n- {f1}\n- {f2}\n- {f3}\nResult: {s['outcome']}.")
    elif style == 2:
        text = (f"{court} ruled on {d} in a dispute between {a} ({role_a}) and {b} ({role_b}) over {s['matter']}. "
                f"{judge} noted that {lc(f1)}. The {body} also accepted that {lc(f2)} and that {lc(f3)}. {cap(s['outcome'])}.")
    else:
        text = (f"Hi,\n\nQuick update on {a} v {b}. The hearing was on {d} at {court}, with {judge} presiding. "
                f"The case concerned {s['matter']}. The key points: {lc(f1)}; {lc(f2)}; {lc(f3)}. "
                f"Result: {lc(s['outcome'])}.\n\nBest,\nCase team")
    parties = s["parties"] + [("judge", judge)]
    summary = f"{cap(s['summary_core'])} heard at {court}."
    return text, record("legal-case", date, parties, summary, s["findings"], s["outcome"])


def build(rng, n, seen):
    rows = []
    while len(rows) < n:
        text, xml = (clinical if len(rows) % 2 == 0 else legal)(rng)
        user = rng.choice(PREFIXES) + text
        # Keep every example within about 384 tokens of the default model (train with --seq 384).
        if user in seen or len(SYSTEM) + len(user) + len(xml) > MAX_CHARS:
            continue
        seen.add(user)
        rows.append({"messages": [{"role": "system", "content": SYSTEM},
                                  {"role": "user", "content": user},
                                  {"role": "assistant", "content": xml}]})
    rng.shuffle(rows)
    return rows


def write(name, rows):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(path + ".tmp", path)
    print(f"wrote samples/datasets/xml-records/{name}: {len(rows)} examples")


def main():
    seen = set()
    write("train.jsonl", build(random.Random(21), 260, seen))
    write("test.jsonl", build(random.Random(22), 48, seen))


if __name__ == "__main__":
    main()
