"""The JSON Schema of the scenario format, for editors (``pact schema``, ``scenarios/schema.json``).

It is generated from the pydantic models and post-processed so that TOML editors can use it:
only Draft 4-7 keywords that every editor understands (``definitions`` rather than ``$defs``,
``enum`` rather than ``const``, no ``null`` alternatives since TOML has no null), dates as
strings (Taplo shows TOML dates as strings), and a second, lenient form for files that
``extends`` another and so hold only what changes (chosen by ``if``/``then`` on ``extends``, so
errors are located at their key). The schema helps while typing; ``pact
validate`` remains the full check (references between tables, dates, expressions).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .model import Scenario

SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
DATE_PATTERN = r"^\d{4}-\d{2}(-\d{2}([T ].*)?)?$"
# Entries of these definitions are merged by id (pair for relations) in files that extend
# another: there, 'remove = true' deletes the entry.
KEYED = {
    "Rung": "id",
    "Actor": "id",
    "Relation": "pair",
    "Treaty": "id",
    "Clause": "id",
    "Action": "id",
    "Event": "id",
    "Outcome": "id",
    "Dilemma": "id",
    "Choice": "id",
    "Goal": "id",
    "Question": "id",
    "RedLine": "id",
    "Theatre": "id",
}
_FULL_ONLY = {
    "TensionEffect",
    "RungEffect",
    "AttackEffect",
    "AttrEffect",
    "TreatyEffect",
    "FlagEffect",
}
_DROP = {"title", "format"}


def _clean(node: Any) -> Any:
    """Rewrite one pydantic schema node (recursively) into editor-friendly JSON Schema."""
    if isinstance(node, list):
        return [_clean(x) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "discriminator" or (key in _DROP and isinstance(value, str)):
            continue
        if key == "$ref":
            out[key] = value.replace("#/$defs/", "#/definitions/")
        elif key in ("properties", "patternProperties", "definitions", "$defs"):
            out["definitions" if key == "$defs" else key] = {k: _clean(v) for k, v in value.items()}
        else:
            out[key] = _clean(value)
    # Optional values: TOML has no null, so 'X or null' is just X.
    if "anyOf" in out:
        alts = [a for a in out["anyOf"] if a != {"type": "null"}]
        if len(alts) == 1:
            del out["anyOf"]
            inner = alts[0]
            for k, v in inner.items():
                if k == "description" and "description" in out:
                    continue
                out.setdefault(k, v)
        else:
            out["anyOf"] = alts
    if out.get("default", 0) is None:
        del out["default"]
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if "exclusiveMinimum" in out and not isinstance(out["exclusiveMinimum"], bool):
        out["minimum"] = out.pop("exclusiveMinimum")
    if out.get("pattern") == r"^\d{4}-\d{2}(-\d{2})?$":
        out["pattern"] = DATE_PATTERN
    # dict[Literal[...], X]: list the keys, so editors can complete them.
    names = out.get("propertyNames")
    if isinstance(names, dict) and "enum" in names:
        value_schema = out.get("additionalProperties", {})
        out["properties"] = {k: copy.deepcopy(value_schema) for k in names["enum"]}
        out["additionalProperties"] = False
        del out["propertyNames"]
    elif isinstance(names, dict) and "patternProperties" in out:
        del out["propertyNames"]
        out.setdefault("additionalProperties", False)
    # A $ref with siblings: keep the siblings (descriptions) readable by older drafts.
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out = {**out, "allOf": [{"$ref": ref}]}
    return out


def _keyed_array(prop: dict[str, Any]) -> bool:
    """Whether a property is an array of entries merged by id."""
    ref = prop.get("items", {}).get("$ref", "") if prop.get("type") == "array" else ""
    return ref.rsplit("/", 1)[-1] in KEYED


def _partial(defs: dict[str, Any]) -> dict[str, Any]:
    """Lenient copies of the definitions for files that extend another: nothing is required
    but the id of each merged entry, and entries may say remove = true."""
    out = {}
    for name, schema in defs.items():
        if name in _FULL_ONLY:
            continue
        s = copy.deepcopy(schema)
        keep = KEYED.get(name)
        s.pop("required", None)
        if keep:
            s["required"] = [keep]
            s["properties"]["remove"] = {
                "type": "boolean",
                "description": "true: delete this entry of the scenario it extends.",
            }
            for side in ("after", "before"):
                s["properties"][side] = {
                    "type": "string",
                    "description": f"Place this entry (new or inherited) {side} the entry "
                    f"with this id.",
                }
        for prop in s.get("properties", {}).values():
            if _keyed_array(prop):
                prop.pop("minItems", None)
        out[name + "Change"] = s
    text = json.dumps(out)
    for name in defs:
        if name not in _FULL_ONLY:
            text = text.replace(f'"#/definitions/{name}"', f'"#/definitions/{name}Change"')
    return json.loads(text)


DISTRIBUTION = {
    "description": "An uncertain number, drawn once per run: { low = .., high = .. } "
    "(uniform, within the key's bounds) or { mean = .., sd = .. } (normal, clipped to the "
    "key's bounds). See 'Uncertain numbers' in scenarios/README.md.",
    "anyOf": [
        {
            "type": "object",
            "properties": {"low": {"type": "number"}, "high": {"type": "number"}},
            "required": ["low", "high"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"mean": {"type": "number"}, "sd": {"type": "number", "minimum": 0}},
            "required": ["mean", "sd"],
            "additionalProperties": False,
        },
    ],
}


def _or_distribution(prop: dict[str, Any]) -> dict[str, Any]:
    """A number's schema that also takes a distribution."""
    number = {k: v for k, v in prop.items() if k not in ("description", "default")}
    out = {k: prop[k] for k in ("description", "default") if k in prop}
    out["anyOf"] = [number, {"$ref": "#/definitions/Distribution"}]
    return out


def _distributions(defs: dict[str, Any]) -> None:
    """The keys that may vary from run to run (game.scenario.draws.VARIABLE) take a
    distribution too."""
    from .draws import VARIABLE

    defs["Distribution"] = copy.deepcopy(DISTRIBUTION)
    for pattern, model, field in VARIABLE:
        props = defs[model.__name__]["properties"]
        last = pattern[-1]
        if last is str:  # a table of numbers by key (credibility_by)
            table = props[pattern[-2]]
            for where in ("additionalProperties", "patternProperties"):
                node = table.get(where)
                if where == "patternProperties" and isinstance(node, dict):
                    for k in node:
                        node[k] = _or_distribution(node[k])
                elif isinstance(node, dict):
                    table[where] = _or_distribution(node)
            continue
        names = sorted(last) if isinstance(last, frozenset) else [field or last]
        for name in names:
            props[name] = _or_distribution(props[name])


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (a whole scenario, or a file that extends one)."""
    raw = Scenario.model_json_schema()
    cleaned = _clean(raw)
    defs = cleaned.pop("definitions")
    full = {k: v for k, v in cleaned.items() if k != "description"}
    # The lenient form: the same keys, nothing required at the top but 'extends'.
    change = copy.deepcopy(full)
    change["required"] = ["extends"]
    for prop in change["properties"].values():
        if _keyed_array(prop):
            prop.pop("minItems", None)
    text = json.dumps(change)
    for name in defs:
        if name not in _FULL_ONLY:
            text = text.replace(f'"#/definitions/{name}"', f'"#/definitions/{name}Change"')
    change = json.loads(text)
    full["properties"] = {k: v for k, v in full["properties"].items() if k != "extends"}
    full["additionalProperties"] = False
    # An event needs a date, a condition, or both (a model validator, written out here).
    defs["Event"]["anyOf"] = [{"required": ["date"]}, {"required": ["when"]}]
    _distributions(defs)
    defs = {**defs, **_partial(defs)}
    defs["EventChange"].pop("anyOf", None)
    defs["Scenario"] = full
    defs["ScenarioChange"] = change
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "Pact scenario",
        "description": "A Pact scenario file (TOML). Reference: scenarios/README.md. Check a "
        "file with 'pact validate FILE': it also checks references between tables, dates "
        "and conditions, which a schema cannot.",
        # A file with 'extends' holds changes, any other a whole scenario. Chosen with
        # if/then/else rather than anyOf, so that validators report each error at its key
        # instead of one "matches neither form" over the whole file.
        "type": "object",
        "if": {"required": ["extends"]},
        "then": {"$ref": "#/definitions/ScenarioChange"},
        "else": {"$ref": "#/definitions/Scenario"},
        "definitions": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """The schema as written to scenarios/schema.json (stable key order, trailing newline)."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def toml_to_json(value: Any) -> Any:
    """A parsed TOML document as JSON values (dates and times become ISO strings)."""
    import datetime as _dt

    if isinstance(value, dict):
        return {k: toml_to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [toml_to_json(v) for v in value]
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    return value
