"""Validates every file in samples/datasets/ (run: python3 scripts/samples/check_datasets.py).

All sets: each line is {"messages": [system, user, assistant]} with non-empty string contents;
train and test share no user message.
json-answers: the assistant message is exactly one JSON object with keys answer (non-empty str),
confidence (number in [0,1], not bool) and sources (list of ints); RAG prompts (shared system
message, "Passages:" … "Question:") cite only existing passage numbers and the cited passage
contains the answer; plain prompts use the default system message and sources []; no handbook
names leak in.
xml-records: the assistant message is one well-formed <record> with nothing around it, children
type, date, parties, summary, findings, outcome in that order; type clinical-visit|legal-case;
date YYYY-MM-DD and a real date; 1+ <party> with an allowed role; 1+ non-empty <finding>;
every party name appears in the narrative.
facts, facts-updated: assistant answers are short (<= 12 words).
Overlap with the evaluation suite (json-answers, xml-records): no sentence of a user message may
share half or more of its content words with a question of samples/qa/handbook-qa.jsonl (see
suite_overlaps), so no format dataset trains on near-copies of the suite's questions.
Exit status 1 on any failure.
"""
import datetime
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATASETS = os.path.join(ROOT, "samples", "datasets")
RAG_SYSTEM = ("You are a careful assistant. Answer the question using only the numbered passages. "
              "Cite the passages you use like [1]. If the passages do not contain the answer, say you don't know.")
PLAIN_SYSTEM = "You are a helpful assistant."
HANDBOOK_NAMES = ["Saltmarsh", "SVI", "Kestrel", "Halyard", "Murmur", "Tern DL", "Ripple", "SeaLedger", "Petrel", "Kerrow"]
RECORD_CHILDREN = ["type", "date", "parties", "summary", "findings", "outcome"]
ROLES = {"clinical-visit": {"patient", "clinician", "carer"},
         "legal-case": {"claimant", "defendant", "appellant", "respondent", "judge"}}
PASSAGE = re.compile(r"^\[(\d+)\] \(([^()]+) › ([^()]+)\) (.+)$")
SUITE = os.path.join(ROOT, "samples", "qa", "handbook-qa.jsonl")
# facts and facts-updated are exempt: they are *meant* to be about the handbook (the suite's
# questions and paraphrases of them, to teach its facts through weights).
OVERLAP_SETS = ["json-answers", "xml-records"]
OVERLAP_LIMIT = 0.5       # |A ∩ B| / |smaller set| at or above this fails ...
OVERLAP_MIN_WORDS = 3     # ... when the smaller set has at least this many content words
# Words that carry no topic: function words, the question frame ("how many", "what … of"), number
# words, the units that name the kind of answer wanted ("how many days", "on what date"), and the
# format request both the suite and the format datasets make on purpose ("write a … record").
STOP_WORDS = set("""
a an the and or but nor of to in on at by for from with without into onto over under about above below
after before between through during within per via as than then that this these those there here it its
is are was were be been being am do does did done doing have has had having will would shall should can
could may might must get gets got make makes made
what which who whom whose when where why how many much long often far
i me my mine you your yours he him his she her hers we us our they them their
not no yes any some each every all both either neither other another such same own
if so too very just only also still yet ever never up down out off again once
one two three four five six seven eight nine ten eleven twelve hundred thousand million
second minute hour day week month year time date
write record format xml json please convert structure structured following note below
de la le van von der du da di del
""".split())
ORGANISATION = {"saltmarsh", "vey", "svi"}
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*|[.?!\n]")
SENTENCE = re.compile(r"(?<=[.?!])\s+|\n+")


class Problems:
    def __init__(self):
        self.count = 0

    def __call__(self, where, message):
        self.count += 1
        if self.count <= 40:
            print(f"  {where}: {message}")


def load(path, problem):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                problem(f"{path}:{n}", f"not JSON ({e})")
                continue
            msgs = row.get("messages")
            if (not isinstance(msgs, list) or [m.get("role") for m in msgs] != ["system", "user", "assistant"]
                    or not all(isinstance(m.get("content"), str) and m["content"].strip() for m in msgs)):
                problem(f"{path}:{n}", "messages must be system, user, assistant with non-empty contents")
                continue
            rows.append((n, msgs))
    return rows


def check_json(where, msgs, problem, stats):
    system, user, content = (m["content"] for m in msgs)
    try:
        obj = json.loads(content)
    except json.JSONDecodeError as e:
        return problem(where, f"assistant is not JSON: {e}")
    if content.strip() != content or not content.startswith("{"):
        problem(where, "assistant must be exactly one JSON object")
    if not isinstance(obj, dict) or set(obj) != {"answer", "confidence", "sources"}:
        return problem(where, f"keys must be answer, confidence, sources: {content[:80]}")
    if not isinstance(obj["answer"], str) or not obj["answer"].strip():
        problem(where, "answer must be a non-empty string")
    c = obj["confidence"]
    if isinstance(c, bool) or not isinstance(c, (int, float)) or not 0 <= c <= 1:
        problem(where, f"confidence must be a number in [0,1], got {c!r}")
    src = obj["sources"]
    if not isinstance(src, list) or not all(isinstance(s, int) and not isinstance(s, bool) for s in src):
        return problem(where, f"sources must be a list of integers, got {src!r}")
    for name in HANDBOOK_NAMES:
        if name in user or name in content:
            problem(where, f"handbook name {name!r} leaks into the general dataset")
    if user.startswith("Passages:\n"):
        stats["rag"] += 1
        if system != RAG_SYSTEM:
            problem(where, "RAG prompt must use the shared RAG system message")
        head, sep, question = user.partition("\n\nQuestion: ")
        if not sep or not question.strip():
            return problem(where, "RAG prompt must end with '\\n\\nQuestion: …'")
        passages = {}
        for i, line in enumerate(head.split("\n")[1:], 1):
            m = PASSAGE.match(line)
            if not m or int(m.group(1)) != i:
                return problem(where, f"bad passage line {line[:60]!r}")
            passages[i] = m.group(4)
        if not src:
            stats["unknown"] += 1
            if "know" not in obj["answer"].lower():
                problem(where, "an answer without sources must say it does not know")
        for s in src:
            if s not in passages:
                problem(where, f"source {s} is not a passage number")
            elif obj["answer"].lower() not in passages[s].lower():
                problem(where, f"cited passage [{s}] does not contain the answer {obj['answer']!r}")
    else:
        stats["plain"] += 1
        if system != PLAIN_SYSTEM:
            problem(where, "plain prompt must use the default system message")
        if src:
            problem(where, "plain questions must have sources []")


def check_xml(where, msgs, problem, stats):
    user, content = msgs[1]["content"], msgs[2]["content"]
    if not (content.startswith("<record>") and content.endswith("</record>")):
        problem(where, "assistant must be exactly one <record> element with nothing around it")
    try:
        root = ET.fromstring(content)
    except ET.ParseError as e:
        return problem(where, f"not well-formed XML: {e}")
    if root.tag != "record" or [c.tag for c in root] != RECORD_CHILDREN:
        return problem(where, f"record children must be {RECORD_CHILDREN}, got {[c.tag for c in root]}")
    kind = root.findtext("type")
    if kind not in ROLES:
        problem(where, f"type must be clinical-visit or legal-case, got {kind!r}")
        return
    stats[kind] += 1
    date = root.findtext("date") or ""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            raise ValueError
        datetime.date.fromisoformat(date)
    except ValueError:
        problem(where, f"date must be YYYY-MM-DD, got {date!r}")
    parties = root.find("parties").findall("party")
    if not parties or len(parties) != len(root.find("parties")):
        problem(where, "parties must hold one or more <party> elements only")
    for p in parties:
        if p.get("role") not in ROLES[kind]:
            problem(where, f"role {p.get('role')!r} not allowed for {kind}")
        if not (p.text or "").strip() or p.text not in user:
            problem(where, f"party {p.text!r} is empty or not in the narrative")
    findings = root.find("findings")
    if not len(findings) or any(f.tag != "finding" or not (f.text or "").strip() for f in findings):
        problem(where, "findings must hold one or more non-empty <finding> elements")
    for tag in ("summary", "outcome"):
        if not (root.findtext(tag) or "").strip():
            problem(where, f"<{tag}> must not be empty")


def check_facts(where, msgs, problem, stats):
    if len(msgs[2]["content"].split()) > 12:
        problem(where, "facts answers must be short")
    stats["qa"] += 1


def content_words(text):
    """Lower-cased topic words of `text`: no stop words, numbers, organisation name or capitalised
    proper names (a capitalised word that does not start a sentence); plural -s and possessive 's
    are stripped so that "employees" meets "employee's"."""
    words, sentence_start = set(), True
    for match in TOKEN.finditer(text):
        token = match.group()
        if token in ".?!\n":
            sentence_start = True
            continue
        first, sentence_start = sentence_start, False
        if token[0].isupper() and not first:
            continue
        word = token.lower().replace("’", "'").strip("'-")
        if word.endswith("'s"):
            word = word[:-2]
        if word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        if len(word) > 1 and any(c.isalpha() for c in word) and word not in STOP_WORDS and word not in ORGANISATION:
            words.add(word)
    return words


def question_units(user):
    """The parts of a user message that could ask a question: the question of a RAG prompt (its
    passages are general-knowledge reference text, not questions), otherwise each sentence. A whole
    150-word narrative always holds half the words of some 4-word question, so whole messages are
    not compared."""
    if user.startswith("Passages:\n"):
        return [user.partition("\n\nQuestion: ")[2]]
    return [s for s in SENTENCE.split(user) if s.strip()]


def suite_overlaps(path, suite, problem):
    """Reports every (user sentence, suite question) pair whose content-word overlap
    |A ∩ B| / min(|A|, |B|) is at least OVERLAP_LIMIT with at least OVERLAP_MIN_WORDS words on the
    smaller side."""
    rows = load(path, problem)
    for n, msgs in rows:
        for unit in question_units(msgs[1]["content"]):
            a = content_words(unit)
            for qid, question, b in suite:
                smaller = min(len(a), len(b))
                if smaller >= OVERLAP_MIN_WORDS and len(a & b) / smaller >= OVERLAP_LIMIT:
                    problem(f"{os.path.relpath(path, DATASETS)}:{n}",
                            f"overlaps suite {qid} ({len(a & b)}/{smaller}: {', '.join(sorted(a & b))}): "
                            f"{unit.strip()[:90]!r} ~ {question!r}")


def load_suite():
    """(id, question, content words) of every question in the evaluation suite."""
    with open(SUITE, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [(r["id"], r["question"], content_words(r["question"])) for r in rows]


CHECKS = {"json-answers": check_json, "xml-records": check_xml, "facts": check_facts, "facts-updated": check_facts}


def main():
    total = 0
    for name, check in CHECKS.items():
        problem = Problems()
        users = {}
        for split in ("train", "test"):
            path = os.path.join(DATASETS, name, f"{split}.jsonl")
            if not os.path.exists(path):
                problem(path, "missing")
                continue
            stats = {"rag": 0, "plain": 0, "unknown": 0, "clinical-visit": 0, "legal-case": 0, "qa": 0}
            rows = load(path, problem)
            for n, msgs in rows:
                check(f"{name}/{split}.jsonl:{n}", msgs, problem, stats)
            users[split] = {m[1]["content"] for _, m in rows}
            shown = {k: v for k, v in stats.items() if v}
            print(f"{name}/{split}.jsonl: {len(rows)} examples {shown}")
        if name != "facts" and name != "facts-updated" and users.get("train", set()) & users.get("test", set()):
            problem(name, f"{len(users['train'] & users['test'])} user messages appear in both train and test")
        print(f"  {name}: {'OK' if problem.count == 0 else f'{problem.count} problems'}")
        total += problem.count
    suite = load_suite()
    problem = Problems()
    for name in OVERLAP_SETS:
        for split in ("train", "test"):
            path = os.path.join(DATASETS, name, f"{split}.jsonl")
            if os.path.exists(path):
                suite_overlaps(path, suite, problem)
    print(f"overlap with {os.path.relpath(SUITE, ROOT)} ({len(suite)} questions): "
          f"{'OK' if problem.count == 0 else f'{problem.count} pairs at or above {OVERLAP_LIMIT}'}")
    total += problem.count
    print("OK" if total == 0 else f"FAILED with {total} problems")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
