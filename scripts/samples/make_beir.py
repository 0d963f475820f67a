"""Builds samples/beir/ (BEIR format) from samples/handbook and the hand-written queries.

corpus.jsonl: one entry per handbook section: {"_id": "policies/travel.md#per-diem",
"title": "Travel Policy > Per diem", "text": section body}. Markdown sections start at a heading
(#, ##, ###); plain-text sections start at a line written in capitals (optionally numbered).
queries.jsonl and qrels/test.tsv come from scripts/samples/beir_queries.py; every judged id must
exist in the corpus. Run: python3 scripts/samples/make_beir.py
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
HANDBOOK = os.path.join(ROOT, "samples", "handbook")
OUT = os.path.join(ROOT, "samples", "beir")

MD_HEADING = re.compile(r"^(#{1,3})\s+(.*\S)\s*$")
TXT_HEADING = re.compile(r"^(?:\d+\.\s+)?([A-Z][A-Z0-9 ,&()/'-]*[A-Z0-9)])\s*$")


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def md_sections(text):
    """Yields (heading path, body) for each Markdown section with a non-empty body."""
    path, body, out = [], [], []
    for line in text.splitlines():
        m = MD_HEADING.match(line)
        if m:
            out.append((list(path), "\n".join(body).strip()))
            level = len(m.group(1))
            path = path[: level - 1] + [m.group(2)]
            body = []
        else:
            body.append(line)
    out.append((list(path), "\n".join(body).strip()))
    return [(p, b) for p, b in out if p and b]


SMALL_WORDS = {"a", "an", "and", "at", "for", "in", "is", "of", "on", "the", "to"}
ACRONYMS = {"SVI", "RV", "RMA", "IT"}


def heading_case(line):
    """'SAFETY AT SEA RULES' -> 'Safety at Sea Rules'; keeps known acronyms."""
    words = []
    for i, w in enumerate(line.split()):
        if w in ACRONYMS:
            words.append(w)
        elif i > 0 and w.lower() in SMALL_WORDS:
            words.append(w.lower())
        else:
            words.append(w.capitalize())
    return " ".join(words)


def txt_sections(text):
    """Yields (heading path, body) for plain text: the first line is the title, capital lines are sections."""
    lines = text.splitlines()
    title = heading_case(lines[0].strip()) if lines else ""
    path, body, out = [title], [], []
    for line in lines[1:]:
        m = TXT_HEADING.match(line.strip())
        if m and len(line.split()) <= 6:
            out.append((list(path), "\n".join(body).strip()))
            path = [title, heading_case(m.group(1).strip())]
            body = []
        else:
            body.append(line)
    out.append((list(path), "\n".join(body).strip()))
    return [(p, b) for p, b in out if b]


def build_corpus():
    corpus = []
    for dirpath, _, files in sorted(os.walk(HANDBOOK)):
        for name in sorted(files):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, HANDBOOK)
            with open(full, encoding="utf-8") as f:
                text = f.read()
            sections = md_sections(text) if name.endswith(".md") else txt_sections(text)
            seen = set()
            for path, body in sections:
                sid = f"{rel}#{slug(path[-1])}"
                n = 2
                while sid in seen:
                    sid = f"{rel}#{slug(path[-1])}-{n}"
                    n += 1
                seen.add(sid)
                corpus.append({"_id": sid, "title": " > ".join(path), "text": body})
    return corpus


def write(rel, content):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(content)
    os.replace(path + ".tmp", path)


def main():
    corpus = build_corpus()
    ids = {c["_id"] for c in corpus}
    write("corpus.jsonl", "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in corpus))
    print(f"corpus.jsonl: {len(corpus)} sections from the handbook")
    if "--list" in sys.argv:
        for c in corpus:
            print(c["_id"], "|", c["title"], "|", len(c["text"].split()), "words")
        return 0
    from beir_queries import QUERIES
    errors = 0
    qids = [q[0] for q in QUERIES]
    if len(qids) != len(set(qids)):
        print("duplicate query ids")
        errors += 1
    rows = []
    for qid, text, judged in QUERIES:
        if not judged or 2 not in judged.values():
            print(f"{qid}: needs at least one section judged 2")
            errors += 1
        for cid, grade in judged.items():
            if cid not in ids:
                print(f"{qid}: unknown corpus id {cid}")
                errors += 1
            if grade not in (1, 2):
                print(f"{qid}: grade {grade} not in 1..2")
                errors += 1
            rows.append(f"{qid}\t{cid}\t{grade}\n")
    if errors:
        print(f"FAILED with {errors} errors")
        return 1
    write("queries.jsonl", "".join(json.dumps({"_id": q, "text": t}, ensure_ascii=False) + "\n" for q, t, _ in QUERIES))
    write("qrels/test.tsv", "query-id\tcorpus-id\tscore\n" + "".join(rows))
    print(f"queries.jsonl: {len(QUERIES)} queries; qrels/test.tsv: {len(rows)} judgements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
