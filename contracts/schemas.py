"""Generate the committed JSON Schema files from the models: `python -m contracts.schemas`."""

import json
import sys
from pathlib import Path
from typing import Any

from contracts.registry import EVENT_TYPES

SCHEMA_DIR = Path(__file__).parent / "schemas"


def schema_files() -> dict[str, str]:
    """File name -> JSON text, one per event type and version."""
    files = {}
    for name, model in EVENT_TYPES.items():
        schema = _tags_required(model.model_json_schema())
        schema["$id"] = f"https://ocsea-hub.example/contracts/{name}.v{model.SCHEMA_VERSION}.json"
        files[f"{name}.v{model.SCHEMA_VERSION}.json"] = (
            json.dumps(schema, indent=2, sort_keys=True) + "\n"
        )
    return files


def _tags_required(schema: dict[str, Any]) -> dict[str, Any]:
    """A report's `channel` picks its model (the union's tag): the decoder refuses a report
    without it (union_tag_not_found), where the schema, reading its default, took one."""
    for definition in schema.get("$defs", {}).values():
        channel = definition.get("properties", {}).get("channel", {})
        if "const" in channel:
            channel.pop("default", None)
            definition["required"] = ["channel", *definition.get("required", [])]
    return schema


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for filename, text in schema_files().items():
        path = SCHEMA_DIR / filename
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(filename)
        else:
            path.write_text(text)
    if stale:
        print("schemas out of date, run `python -m contracts.schemas`: " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
