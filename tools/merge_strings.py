"""Add strings to the language tables, keeping them sorted: for developers.

    python tools/merge_strings.py new.yml
where new.yml looks like {id: {group: {key: "…"}}, en: {group: {key: "…"}}}.
Existing keys are replaced; comments at the top of each table are kept.
"""
import sys
from pathlib import Path

import yaml

LOCALES = Path(__file__).resolve().parents[1] / "hooks" / "infohub" / "locales"


def merge(into: dict, new: dict) -> None:
    for key, value in new.items():
        if isinstance(value, dict):
            merge(into.setdefault(key, {}), value)
        else:
            into[key] = value


def emit(data: dict, indent: int = 0) -> str:
    out = ""
    for key in sorted(data):
        value = data[key]
        if isinstance(value, dict):
            out += " " * indent + f"{key}:\n" + emit(value, indent + 2)
        else:
            out += " " * indent + f"{key}: " + '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"\n'
    return out


def main(path: str) -> None:
    additions = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    for lang, strings in additions.items():
        table = LOCALES / f"{lang}.yml"
        body = table.read_text(encoding="utf-8") if table.exists() else ""
        comments = "".join(line + "\n" for line in body.splitlines() if line.startswith("#"))
        data = yaml.load(body, Loader=yaml.BaseLoader) or {}
        merge(data, strings)
        table.write_text(comments + emit(data), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
