#!/usr/bin/env python3
"""scenarios/schema.json is a valid draft 2020-12 schema and every scenario in the repository follows it,
so editors and other tools that read the schema agree with `vapidash scenario validate`."""
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(sys.argv[1])
schema = json.loads((root / "scenarios/schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
files = sorted(root.glob("scenarios/*.json")) + sorted(root.glob("scenarios/load/*.json")) + sorted(root.glob("scenarios/simulate/*.json")) + sorted(root.glob("tests/data/scenarios/**/*.json"))
failures = 0
checked = 0
for path in files:
    document = json.loads(path.read_text())
    if not isinstance(document, dict) or "vapidash_scenario" not in document:
        continue
    checked += 1
    for error in validator.iter_errors(document):
        failures += 1
        print(f"{path}: /{'/'.join(map(str, error.absolute_path))}: {error.message}")
print(f"{checked} scenarios checked against scenarios/schema.json, {failures} problems")
sys.exit(1 if failures or checked == 0 else 0)
