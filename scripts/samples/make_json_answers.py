"""Generates samples/datasets/json-answers/{train,test}.jsonl from general_facts.py.

Every assistant message is exactly one JSON object {"answer": str, "confidence": number in [0,1],
"sources": [int, ...]}. About half the examples are RAG prompts (the shared RAG system message and
"Passages:\n[1] (path › heading) text…\n\nQuestion: …") whose sources are the numbers of the
passages holding the answer; the rest are plain questions with the default system message and
sources []. Some RAG prompts lack the answer: then the answer says "I don't know", sources [] and
low confidence. Facts used in test never appear in train (not even as distractor passages).
closed_world.py supplies the plain questions no model can answer (private facts, future events,
unpublished writing; nothing shaped like the handbook QA suite): UNKNOWABLE goes to both splits,
CLOSED_WORLD to train only, answered "I don't know" with low confidence and sources []. Train also
gets answers containing escaped double quotes (QUOTED). CLOSED_WORLD and QUOTED are inserted with
their own seeded generator, so the other examples are unchanged.
Deterministic (seeded). Run: python3 scripts/samples/make_json_answers.py
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from general_facts import F  # noqa: E402
from closed_world import CLOSED_WORLD, QUOTED, UNKNOWABLE, UNKNOWABLE_ANSWERS  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "samples", "datasets", "json-answers")

RAG_SYSTEM = ("You are a careful assistant. Answer the question using only the numbered passages. "
              "Cite the passages you use like [1]. If the passages do not contain the answer, say you don't know.")
PLAIN_SYSTEM = "You are a helpful assistant."

PLAIN_WRAPPERS = [
    "{q}", "{q}", "{q}", "{q}",
    "Quick question: {q}",
    "{q} Please keep it short.",
    "Trivia time! {q}",
    "Help me settle an argument. {q}",
    "I'm curious: {ql}",
    "{q} Thanks!",
    "My kid asked me this and I wasn't sure. {q}",
    "Short answer please. {q}",
]

UNKNOWN_ANSWERS = [
    "I don't know: the passages do not contain this information.",
    "I don't know. None of the passages answers this question.",
    "The passages do not say, so I don't know.",
    "I don't know; the provided passages do not mention it.",
]

HIGH = [0.9, 0.92, 0.93, 0.95, 0.96, 0.97, 0.98, 0.99]
MEDIUM = [0.7, 0.72, 0.75, 0.78, 0.8, 0.85]
RAG_HIGH = [0.93, 0.95, 0.96, 0.97, 0.98, 0.99]
RAG_MEDIUM = [0.85, 0.88, 0.9]
MAX_CHARS = 820
UNKNOWN_CONF = [0.05, 0.08, 0.1, 0.12, 0.15, 0.2]


def facts():
    return [{"path": p, "heading": h, "question": q, "answer": a, "passage": t, "certainty": c}
            for p, h, q, a, t, c in F]


def reply(answer, confidence, sources):
    return json.dumps({"answer": answer, "confidence": confidence, "sources": sources}, ensure_ascii=False)


def passage_line(n, fact):
    return f"[{n}] ({fact['path']} › {fact['heading']}) {fact['passage']}"


def distractors(rng, fact, pool, k):
    folder = fact["path"].rsplit("/", 1)[0]
    near = [f for f in pool if f is not fact and f["path"].rsplit("/", 1)[0] == folder]
    far = [f for f in pool if f is not fact and f not in near]
    rng.shuffle(near)
    rng.shuffle(far)
    take = near[: min(len(near), rng.randint(1, k))]
    return take + far[: k - len(take)]


def wrapped(rng, q):
    """The question inside a random conversational wrapper ("Quick question: …")."""
    return rng.choice(PLAIN_WRAPPERS).format(q=q, ql=q[0].lower() + q[1:])


def plain_example(user, answer, confidence):
    """A plain question (no passages): default system message, sources []."""
    return {"messages": [{"role": "system", "content": PLAIN_SYSTEM},
                         {"role": "user", "content": user},
                         {"role": "assistant", "content": reply(answer, confidence, [])}]}


def fact_example(rng, fact):
    user = wrapped(rng, fact["question"])
    return plain_example(user, fact["answer"], rng.choice(HIGH if fact["certainty"] == "h" else MEDIUM))


def unknowable_example(rng, user):
    """A plain question no model can answer: "I don't know" with low confidence."""
    return plain_example(user, rng.choice(UNKNOWABLE_ANSWERS), rng.choice(UNKNOWN_CONF))


def rag_user(shown, question):
    lines = [passage_line(i + 1, f) for i, f in enumerate(shown)]
    return "Passages:\n" + "\n".join(lines) + "\n\nQuestion: " + question


def rag_example(rng, fact, pool, answerable=True):
    n = rng.randint(3, 5)
    others = distractors(rng, fact, pool, n if not answerable else n - 1)
    # Keep the whole example within MAX_CHARS (about 230 tokens) so that training at --seq 256
    # never truncates the assistant's answer: drop distractors until it fits.
    def size():
        return len(RAG_SYSTEM) + len(rag_user(others + ([fact] if answerable else []), fact["question"])) + 60
    while len(others) > (1 if answerable else 2) and size() > MAX_CHARS:
        others.pop()
    shown = others if not answerable else others + [fact]
    rng.shuffle(shown)
    user = rag_user(shown, fact["question"])
    if answerable:
        sources = [shown.index(fact) + 1]
        conf = rng.choice(RAG_HIGH if fact["certainty"] == "h" else RAG_MEDIUM)
        content = reply(fact["answer"], conf, sources)
    else:
        content = reply(rng.choice(UNKNOWN_ANSWERS), rng.choice(UNKNOWN_CONF), [])
    return {"messages": [{"role": "system", "content": RAG_SYSTEM},
                         {"role": "user", "content": user},
                         {"role": "assistant", "content": content}]}


def build(split_facts, pool, rng, unknowable=()):
    rows = [unknowable_example(rng, q) for q in unknowable]
    for fact in split_facts:
        rows.append(fact_example(rng, fact))
        rows.append(rag_example(rng, fact, pool, answerable=True))
    unknown = rng.sample(split_facts, max(4, len(split_facts) // 10))
    rows += [rag_example(rng, fact, pool, answerable=False) for fact in unknown]
    rng.shuffle(rows)
    return rows


def closed_world_rows(rng):
    """Train-only extras: the CLOSED_WORLD questions (wrapped) and the answers with quotes inside."""
    rows = [unknowable_example(rng, wrapped(rng, q)) for q in CLOSED_WORLD]
    rows += [plain_example(q, a, rng.choice(HIGH if c == "h" else MEDIUM)) for q, a, c in QUOTED]
    return rows


def insert_shuffled(rows, extra, rng):
    """Inserts `extra` at random positions, keeping the order of `rows`."""
    for row in extra:
        rows.insert(rng.randint(0, len(rows)), row)
    return rows


def write(name, rows):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(path + ".tmp", path)
    print(f"wrote samples/datasets/json-answers/{name}: {len(rows)} examples")


def main():
    all_facts = facts()
    test = [f for i, f in enumerate(all_facts) if i % 6 == 5]
    train = [f for i, f in enumerate(all_facts) if i % 6 != 5]
    train_rows = build(train, train, random.Random(11), UNKNOWABLE[:10])
    rng = random.Random(13)
    write("train.jsonl", insert_shuffled(train_rows, closed_world_rows(rng), rng))
    write("test.jsonl", build(test, all_facts, random.Random(12), UNKNOWABLE[10:]))


if __name__ == "__main__":
    main()
