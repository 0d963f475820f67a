"""Writes the QA suites and facts datasets from scripts/samples/qa_table.py.

Outputs (run from anywhere): samples/qa/handbook-qa.jsonl, samples/changes/qa.jsonl,
samples/datasets/facts/{train,test}.jsonl, samples/datasets/facts-updated/{train,test}.jsonl.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qa_table import CHANGE_ONLY, CHANGES, QUESTIONS  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SAMPLES = os.path.join(ROOT, "samples")
SYSTEM = "You are a helpful assistant."


def write_jsonl(rel, rows):
    path = os.path.join(SAMPLES, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    print(f"wrote samples/{rel}: {len(rows)} lines")


def suite_line(q, answers):
    line = {"id": q["id"], "question": q["question"], "answers": answers}
    if q["format"]:
        line["format"] = q["format"]
    line["doc"] = "handbook/" + q["doc"]
    return line


def plain_question(q):
    """The question without the 'Write a … record …:' lead-in used by XML-format suite lines."""
    text = q["question"]
    if q["format"] == "xml" and ": " in text:
        rest = text.split(": ", 1)[1]
        text = rest[0].upper() + rest[1:]
    return text


def chat(question, answer):
    return {"messages": [{"role": "system", "content": SYSTEM},
                         {"role": "user", "content": question},
                         {"role": "assistant", "content": answer}]}


def facts_sets(questions, answers_of):
    train, test = [], []
    for q in questions:
        answer = answers_of(q)[0]
        for text in [plain_question(q)] + q["paraphrases"]:
            train.append(chat(text, answer))
        test.append(chat(plain_question(q), answer))
    random.Random(7).shuffle(train)
    return train, test


def main():
    ids = [q["id"] for q in QUESTIONS + CHANGE_ONLY]
    assert len(ids) == len(set(ids)), "duplicate question ids"
    assert set(CHANGES) <= {q["id"] for q in QUESTIONS}, "CHANGES names an unknown id"

    write_jsonl("qa/handbook-qa.jsonl", [suite_line(q, q["answers"]) for q in QUESTIONS])

    changed = [q for q in QUESTIONS if q["id"] in CHANGES] + CHANGE_ONLY
    new_answers = lambda q: CHANGES.get(q["id"], q["answers"])  # noqa: E731
    write_jsonl("changes/qa.jsonl", [suite_line(q, new_answers(q)) for q in changed])

    train, test = facts_sets(QUESTIONS, lambda q: q["answers"])
    write_jsonl("datasets/facts/train.jsonl", train)
    write_jsonl("datasets/facts/test.jsonl", test)
    train, test = facts_sets(changed, new_answers)
    write_jsonl("datasets/facts-updated/train.jsonl", train)
    write_jsonl("datasets/facts-updated/test.jsonl", test)


if __name__ == "__main__":
    main()
