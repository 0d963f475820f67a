#!/bin/sh
# Regenerates every derived file under samples/ from the handbook and the hand-written tables, then checks them.
set -e
cd "$(dirname "$0")/../.."
python3 scripts/samples/make_changes.py
python3 scripts/samples/make_qa.py
python3 scripts/samples/make_beir.py
python3 scripts/samples/make_json_answers.py
python3 scripts/samples/make_xml_records.py
python3 scripts/samples/check_qa.py
python3 scripts/samples/check_datasets.py
