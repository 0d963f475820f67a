"""Optional retrieval sanity check (not a test): BM25 (rank_bm25, from the reference venv) over samples/beir/corpus.jsonl.

Prints the share of BEIR queries with a judged section in the top 10 and the share of QA questions
with a gold string in a top-5 section. Run: /tmp/peers/venv/bin/python scripts/samples/bm25_sanity.py
"""
import collections
import json
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
from rank_bm25 import BM25Okapi
C=[json.loads(l) for l in open(os.path.join(ROOT, 'samples/beir/corpus.jsonl'))]
tok=lambda s: re.findall(r"[a-z0-9]+",s.lower())
bm=BM25Okapi([tok(c['title']+' '+c['text']) for c in C])
Q=[json.loads(l) for l in open(os.path.join(ROOT, 'samples/beir/queries.jsonl'))]
qr=collections.defaultdict(dict)
for l in open(os.path.join(ROOT, 'samples/beir/qrels/test.tsv')).readlines()[1:]:
    a,b,c=l.split('\t'); qr[a][b]=int(c)
hit=0
for q in Q:
    s=bm.get_scores(tok(q['text'])); top=sorted(range(len(C)),key=lambda i:-s[i])[:10]
    ok=any(C[i]['_id'] in qr[q['_id']] for i in top)
    hit+=ok
print('beir recall@10 any', hit/len(Q))
qa=[json.loads(l) for l in open(os.path.join(ROOT, 'samples/qa/handbook-qa.jsonl'))]
h5=0
for q in qa:
    s=bm.get_scores(tok(q['question'])); top=sorted(range(len(C)),key=lambda i:-s[i])[:5]
    ok=any(any(g.lower() in (C[i]['text']).lower() for g in q['answers']) for i in top)
    h5+=ok
    if not ok: print('MISS',q['id'],q['question'])
print('qa gold-in-top5', h5/len(qa))
