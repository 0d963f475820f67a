#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets (Fuzz/Corpus/TARGET/).

Standard library only; run from the repository root: python3 Fuzz/make-seeds.py
Binary seeds (GGUF, safetensors) are small hand-built files that cover every value type the
readers know; text seeds are short excerpts of the committed samples plus hand-written edge cases.
"""
import json
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def sample(path, limit=1500):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()[:limit]


def first_lines(path, count):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return "".join(f.readline() for _ in range(count))


# --- GGUF (ggml/docs/gguf.md): v3, every metadata type, a tiny gpt2 tokenizer, four tensor types ---
def gguf_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf_value(kind, value):
    scalar = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
    if kind == 8:
        return gguf_string(value)
    if kind == 9:
        element, items = value
        return struct.pack("<IQ", element, len(items)) + b"".join(gguf_value(element, v) for v in items)
    return struct.pack(scalar[kind], value)


def gguf(metadata, tensors, alignment=32, version=3):
    out = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(metadata))
    for key, kind, value in metadata:
        out += gguf_string(key) + struct.pack("<I", kind) + gguf_value(kind, value)
    offset, blobs = 0, []
    for name, dims, ggml_type, blob in tensors:
        out += gguf_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", ggml_type, offset)
        blobs.append(blob)
        offset += (len(blob) + alignment - 1) // alignment * alignment
    out += b"\0" * (-len(out) % alignment)
    for blob in blobs:
        out += blob + b"\0" * (-len(blob) % alignment)
    return out


tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "a", "b", "c", "Ġ", "ab", "Ġa", "abc"]
tokens += [chr(c) for c in range(0x21, 0x7F) if chr(c) not in tokens]
metadata = [
    ("general.architecture", 8, "llama"), ("general.alignment", 4, 32),
    ("llama.block_count", 4, 1), ("llama.embedding_length", 4, 32), ("llama.feed_forward_length", 4, 64),
    ("llama.attention.head_count", 4, 2), ("llama.attention.head_count_kv", 4, 1),
    ("llama.rope.freq_base", 6, 10000.0), ("llama.attention.layer_norm_rms_epsilon", 6, 1e-5),
    ("llama.context_length", 10, 128), ("test.i8", 1, -3), ("test.u8", 0, 7), ("test.i16", 3, -300),
    ("test.u16", 2, 300), ("test.i32", 5, -70000), ("test.i64", 11, -1), ("test.f64", 12, 0.5),
    ("test.bool", 7, True), ("test.nested", 9, (9, [(4, [1, 2]), (8, ["x"])])),
    ("tokenizer.ggml.model", 8, "gpt2"), ("tokenizer.ggml.pre", 8, "smollm"),
    ("tokenizer.ggml.tokens", 9, (8, tokens)),
    ("tokenizer.ggml.token_type", 9, (5, [3, 3, 3] + [1] * (len(tokens) - 3))),
    ("tokenizer.ggml.merges", 9, (8, ["a b", "Ġ a", "ab c"])),
    ("tokenizer.ggml.bos_token_id", 4, 1), ("tokenizer.ggml.eos_token_id", 4, 2),
    ("tokenizer.chat_template", 8, "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{% endfor %}"),
]
q8_block = struct.pack("<e", 0.25) + bytes(range(32))
q4_1_block = struct.pack("<ee", 0.5, -1.0) + bytes(range(16))
q4_0_block = struct.pack("<e", 0.5) + bytes(range(16))
tensors = [
    ("token_embd.weight", [32, 1], 0, struct.pack("<32f", *range(32))),
    ("f16", [4], 1, struct.pack("<4e", 1, 2, 3, 4)),
    ("q4_0", [32], 2, q4_0_block),
    ("q4_1", [32], 3, q4_1_block),
    ("q8_0", [32, 2], 8, q8_block * 2),
]
write("FuzzGGUF", "full-v3.gguf", gguf(metadata, tensors))
write("FuzzGGUF", "v2-no-tensors.gguf", gguf(metadata[:4], [], version=2))
write("FuzzGGUF", "align-64.gguf", gguf([("general.alignment", 4, 64)], tensors[:2], alignment=64))
write("FuzzGGUF", "empty.gguf", gguf([], []))

# --- safetensors (huggingface/safetensors "Format"): u64 header length + JSON header + data ---
def safetensors(entries, metadata=None):
    header, data = {}, b""
    for name, dtype, shape, blob in entries:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
    if metadata is not None:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


write("FuzzSafetensors", "mixed.safetensors", safetensors([
    ("w", "F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)), ("h", "F16", [3], struct.pack("<3e", 1, -2, 0.5)),
    ("b", "BF16", [2], b"\x80\x3f\x00\x40"), ("i", "I8", [4], b"\x01\xff\x02\xfe"),
    ("s", "F32", [], struct.pack("<f", 7)), ("z", "F32", [0, 3], b""),
], {"format": "pt"}))
write("FuzzSafetensors", "empty.safetensors", safetensors([]))

# --- tokenizers ---
for i, text in enumerate([
    "Hello, world! How's it going?", "  leading and trailing spaces  \n\n\ttabs",
    "Numbers 1234567 and 3.14159, dates 2026-11-24", "naïve café, Ünïcödé, 東京, 한국어, emoji 🙂👍🏽",
    "<|im_start|>user\nfake turn<|im_end|><|endoftext|>", "code: for (i = 0; i < n; i++) { x += y[i]; }",
    "I'm, you're, we'll, they'd, it's, can't", "\u0301combining first, ZWJ 👨‍👩‍👧, RTL עברית",
]):
    write("FuzzBPE", f"text-{i}.txt", text)
    write("FuzzWordPiece", f"text-{i}.txt", text)

# --- document loaders (FuzzLoader): first byte % 5 selects txt (0), md (1), rst (2), html (3), pdftotext output (4) ---
TEXT, MARKDOWN, RST, HTML, PDF_TEXT = b"\x00", b"\x01", b"\x02", b"\x03", b"\x04"
write("FuzzLoader", "offices.txt", TEXT + sample("samples/handbook/company/offices.txt"))
write("FuzzLoader", "crlf-bom.txt", TEXT + b"\xef\xbb\xbfFirst line\r\nSecond line.\r\n\r\nNew paragraph. Another sentence.")
write("FuzzLoader", "travel.md", MARKDOWN + sample("samples/handbook/policies/travel.md"))
write("FuzzLoader", "headings.md", MARKDOWN + "Title\n=====\n\nIntro.\n\n## Part A\n\n- item one\n- item two\n\n"
      "Sub\n---\n\n```\ncode # not a heading\n```\n\n#### Deep ####\n\n1. first. 2. second.\n".encode())
write("FuzzLoader", "doc.rst", RST + "=====\nTitle\n=====\n\nSection\n-------\n\nText with *emphasis*.\n\n"
      "Subsection\n~~~~~~~~~~\n\n.. note:: A directive.\n\n* bullet\n* bullet\n".encode())
write("FuzzLoader", "page.html", HTML + "<!DOCTYPE html><html><head><title>Per diem &amp; hotels</title>"
      "<style>p{color:red}</style><script>var x = '<p>';</script></head><body><h1>Travel</h1>"
      "<p>Tier A is &euro;60&nbsp;a day &#8212; see <a href='x'>rules</a>.</p><ul><li>one<li>two</ul>"
      "<table><tr><td>a</td><td>b</td></tr></table><!-- comment --><br/>&#x1F600; &unknown; &#99999999;</body></html>".encode())
write("FuzzLoader", "fragment.htm", HTML + "<div><p>Unclosed <b>bold <i>italic</div></p><svg><text>x</text></svg>".encode())
write("FuzzLoader", "pages.txt", PDF_TEXT + "Page one text.\n\x0cPage two\nwith a heading\n\x0c\x0c".encode())
write("FuzzLoader", "ligatures.txt", PDF_TEXT + "Eﬃcient ﬂow\u00ad hyphen-\nation \u2022 bullet \u2013 dash\x0c".encode())

# --- BEIR: first byte selects corpus (0), queries (1) or qrels (2) ---
write("FuzzBEIR", "corpus.jsonl", b"\x00" + first_lines("samples/beir/corpus.jsonl", 2).encode()[:1500])
write("FuzzBEIR", "queries.jsonl", b"\x01" + first_lines("samples/beir/queries.jsonl", 3).encode())
write("FuzzBEIR", "qrels.tsv", b"\x02" + sample("samples/beir/qrels/test.tsv", 200) if os.path.exists(
    os.path.join(ROOT, "samples/beir/qrels/test.tsv")) else b"\x02query-id\tcorpus-id\tscore\nq1\td1\t2\n")
write("FuzzBEIR", "trec.txt", b"\x02q1 0 d1 1\nq1 0 d2 0.5\n")
# Empty files (FuzzBEIR once found swift-foundation leaking 4 KiB per empty file read, Fuzz/README.md).
write("FuzzBEIR", "empty-qrels", b"\x02")
write("FuzzBEIR", "empty-queries", b"\x01")
# Regression: FuzzBEIR's finding, a score that overflows Double (trapped converting to Int; fixed in 8196c49).
write("FuzzBEIR", "regression-qrels-huge-score", b"\x02q1 002d  1e30805\n")

# --- QA suites, chat datasets, themes ---
write("FuzzQASuite", "handbook.jsonl", first_lines("samples/qa/handbook-qa.jsonl", 3))
write("FuzzQASuite", "edge.jsonl", '// comment\n\n{"id": 7, "question": "q?", "answers": ["a", "b"], "format": "JSON"}\n')
for name in ["json-answers", "xml-records", "facts"]:
    write("FuzzChatDataset", f"{name}.jsonl", first_lines(f"samples/datasets/{name}/train.jsonl", 1))
write("FuzzChatDataset", "forms.jsonl", '{"prompt": "Q?", "completion": "A."}\n{"question": "Q?", "answer": "A."}\n'
      '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n')
for theme in sorted(os.listdir(os.path.join(ROOT, "themes"))):
    write("FuzzTheme", theme, sample(f"themes/{theme}", 4000))

# --- model output: XML and JSON answers ---
record = ("<record><type>incident</type><date>2025-07-01</date><parties><party role=\"a\">X</party></parties>"
          "<summary>S &amp; T</summary><findings><![CDATA[raw <text>]]></findings><outcome>ok</outcome></record>")
write("FuzzXML", "record.xml", record)
write("FuzzXML", "prolog.xml", "<?xml version=\"1.0\"?>\n<!-- c --><a x='1' y=\"2\"><b/><c>&#65;&lt;&#x42;</c></a>")
write("FuzzFormatCompliance", "record.xml", record)
write("FuzzFormatCompliance", "answer.json", '{"answer": "14 March 2009", "confidence": 0.9, "sources": [1, 2]}')
write("FuzzFormatCompliance", "prose.txt", "The per diem is 60 euros [1][2]. I don't know about [3].")
