"""Checks the QA suites against the handbook: every gold string must occur verbatim (case-insensitively).

- samples/qa/handbook-qa.jsonl against samples/handbook (and in the line's own "doc").
- samples/changes/qa.jsonl against the handbook with samples/changes/documents copied over it;
  each changed document must differ from the original, and the first gold string of a changed
  question must not be the old answer.
Exit status 1 on any failure. Run: python3 scripts/samples/check_qa.py
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SAMPLES = os.path.join(ROOT, "samples")


def load_tree(base):
    docs = {}
    for dirpath, _, files in os.walk(base):
        for name in files:
            if name.endswith((".md", ".txt")):
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    docs["handbook/" + os.path.relpath(path, base)] = f.read()
    return docs


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check_suite(name, rows, docs):
    errors = 0
    corpus = "\n".join(docs.values()).lower()
    formats = {}
    for r in rows:
        for key, typ in (("id", str), ("question", str), ("answers", list)):
            if not isinstance(r.get(key), typ):
                print(f"{name} {r.get('id')}: field {key} missing or not {typ.__name__}")
                errors += 1
        if not r.get("answers"):
            print(f"{name} {r['id']}: no gold answers")
            errors += 1
        fmt = r.get("format", "none")
        if fmt not in ("none", "json", "xml"):
            print(f"{name} {r['id']}: unknown format {fmt}")
            errors += 1
        formats[fmt] = formats.get(fmt, 0) + 1
        doc = docs.get(r.get("doc", ""), None)
        for gold in r["answers"]:
            if gold.lower() not in corpus:
                print(f"{name} {r['id']}: gold {gold!r} not found in the handbook")
                errors += 1
            elif doc is not None and gold.lower() not in doc.lower():
                print(f"{name} {r['id']}: gold {gold!r} not in its document {r['doc']}")
                errors += 1
        if "doc" in r and doc is None:
            print(f"{name} {r['id']}: document {r['doc']} does not exist")
            errors += 1
    golds = sum(len(r["answers"]) for r in rows)
    print(f"{name}: {len(rows)} questions, {golds} gold strings, formats {formats}, errors {errors}")
    return errors


def main():
    handbook = load_tree(os.path.join(SAMPLES, "handbook"))
    print(f"handbook: {len(handbook)} documents, {sum(len(t.split()) for t in handbook.values())} words")
    errors = check_suite("qa/handbook-qa.jsonl", load_jsonl(os.path.join(SAMPLES, "qa", "handbook-qa.jsonl")), handbook)

    changes = load_tree(os.path.join(SAMPLES, "changes", "documents"))
    updated = dict(handbook)
    for path, text in changes.items():
        if path not in handbook:
            print(f"changes: {path} is not a handbook document")
            errors += 1
        elif handbook[path] == text:
            print(f"changes: {path} is identical to the handbook version")
            errors += 1
        updated[path] = text
    change_rows = load_jsonl(os.path.join(SAMPLES, "changes", "qa.jsonl"))
    errors += check_suite("changes/qa.jsonl (updated handbook)", change_rows, updated)

    old = {r["id"]: r for r in load_jsonl(os.path.join(SAMPLES, "qa", "handbook-qa.jsonl"))}
    for r in change_rows:
        if r["id"] in old and r["answers"][0].lower() in [a.lower() for a in old[r["id"]]["answers"]]:
            print(f"changes {r['id']}: new answer equals an old gold answer")
            errors += 1
        if r.get("doc") not in changes:
            print(f"changes {r['id']}: its document {r.get('doc')} is not in the change set")
            errors += 1
    print(f"changes: {len(changes)} documents, {len(change_rows)} questions "
          f"({sum(r['id'] in old for r in change_rows)} shared with handbook-qa)")
    print("OK" if errors == 0 else f"FAILED with {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
