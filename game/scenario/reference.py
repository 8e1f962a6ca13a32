"""The generated part of the format reference in ``scenarios/README.md``.

Tables of every key (type, default, range, meaning) come from the pydantic models, the list of
condition functions from ``game.engine.expr.FUNCTIONS`` and the limits from the code that
enforces them, so the reference cannot drift from the validator: a test compares the README
with this output. Regenerate the README section with::

    python -m game.scenario.reference --write
"""

from __future__ import annotations

import datetime as _dt
import sys
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from game.atomic import write_text

from . import model as m

BEGIN = "<!-- BEGIN GENERATED REFERENCE: python -m game.scenario.reference --write -->"
END = "<!-- END GENERATED REFERENCE -->"
README = Path(__file__).resolve().parents[2] / "scenarios" / "README.md"

# (heading, how it is written in a file, model), in the order of a scenario file.
SECTIONS: list[tuple[str, str, type[BaseModel]]] = [
    ("Top level", "the file itself", m.Scenario),
    ("[scenario]", "`[scenario]`", m.Meta),
    ("[defaults]", "`[defaults]`", m.Defaults),
    ("[ai]", "`[ai]`", m.AIWeights),
    ("[ladder]", "`[ladder]` and `[ladder.thresholds]`", m.Ladder),
    ("Rungs", "`rungs = [ { id = ..., ... }, ... ]` in `[ladder]`", m.Rung),
    ("[[actors]]", "one `[[actors]]` table per actor", m.Actor),
    ("Doctrine", "`[actors.doctrine]` after its `[[actors]]`", m.Doctrine),
    ("Objectives", "`objectives = { ... }` in `[[actors]]`", m.Objectives),
    ("[[relations]]", "one `[[relations]]` table per pair", m.Relation),
    ("Flashpoint", "`flashpoint = { ... }` in `[[relations]]`", m.Flashpoint),
    ("[[treaties]]", "one `[[treaties]]` table per treaty", m.Treaty),
    ("Clauses", "`[[treaties.clauses]]` after its `[[treaties]]`", m.Clause),
    ("[[theatres]]", "one `[[theatres]]` table per theatre", m.Theatre),
    ("[[red_lines]]", "one `[[red_lines]]` table per declared red line", m.RedLine),
    ("Opened moves", "`opens = [ { action = ..., target = ... } ]` in `[[red_lines]]`", m.Opens),
    ("[commitments]", "`[commitments]`", m.CommitmentRules),
    ("[nuclear]", "`[nuclear]`", m.NuclearRules),
    ("[[actions]]", "one `[[actions]]` table per action", m.Action),
    ("[[events]]", "one `[[events]]` table per event", m.Event),
    ("[[outcomes]]", "one `[[outcomes]]` table per outcome, in order", m.Outcome),
    ("[[questions]]", "one `[[questions]]` table per forecast question", m.Question),
    ("[[goals]]", "one `[[goals]]` table per thing a state wants", m.Goal),
    ("[[dilemmas]]", "one `[[dilemmas]]` table per event with options", m.Dilemma),
    ("Options", "`[[dilemmas.options]]` after its `[[dilemmas]]`", m.Choice),
]

_ACTOR_PATTERN = r"^[A-Z][A-Z0-9_]{1,7}$"


def _meta(info: Any) -> list:
    return list(getattr(info, "metadata", []) or [])


def _pattern(metadata: list) -> str | None:
    for x in metadata:
        p = getattr(x, "pattern", None)
        if p:
            return p
    return None


def _type(ann: Any, metadata: list | None = None) -> str:
    """A short English type for an annotation."""
    metadata = metadata or []
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is typing.Annotated:
        inner, *extra = args
        meta = list(metadata)
        for e in extra:
            meta += _meta(e) if isinstance(e, FieldInfo) else [e]
        if any(isinstance(e, FieldInfo) and e.discriminator for e in extra):
            return "effect"
        return _type(inner, meta)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        parts = [a for a in args if a is not type(None)]
        if len(parts) == 1:
            return _type(parts[0], metadata)
        if all(isinstance(p, type) and issubclass(p, BaseModel) for p in parts):
            return "effect"
        return " or ".join(_type(p) for p in parts)
    if origin is list:
        inner = args[0]
        t = _type(inner)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return "array of tables"
        return f"array of {_plural(t)}"
    if origin is dict:
        k, v = args
        return f"table: {_type(k)} = {_type(v)}"
    if origin is Literal:
        if len(args) == 1:
            return f'`"{args[0]}"`'
        return "one of " + ", ".join(f'`"{a}"`' for a in args)
    if ann is str:
        p = _pattern(metadata)
        if p == _ACTOR_PATTERN:
            return "actor id"
        if p:
            return "id"
        lengths = {getattr(x, "max_length", None) for x in metadata}
        if 2000 in lengths and any(getattr(x, "min_length", None) == 1 for x in metadata):
            return "condition"
        return "string"
    if ann is bool:
        return "boolean"
    if ann is int:
        return "integer"
    if ann is float:
        return "number"
    if ann is _dt.date:
        return "date"
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return "table"
    return str(ann)


def _plural(t: str) -> str:
    if t.startswith("`"):
        return t
    if t == "effect":
        return "effect tables"
    return {"actor id": "actor ids", "id": "ids", "string": "strings", "number": "numbers"}.get(
        t, t
    )


def _range(info: FieldInfo) -> str:
    lo = hi = None
    lo_open = False
    length = [None, None]
    for x in _meta(info):
        if hasattr(x, "ge"):
            lo = x.ge
        if hasattr(x, "gt"):
            lo, lo_open = x.gt, True
        if hasattr(x, "le"):
            hi = x.le
        if getattr(x, "min_length", None) is not None:
            length[0] = x.min_length
        if getattr(x, "max_length", None) is not None:
            length[1] = x.max_length
    # bounds inside Optional[...] or dict values
    for a in _walk(info.annotation):
        for x in _meta(a):
            if getattr(x, "ge", None) is not None and lo is None:
                lo = x.ge
            if getattr(x, "le", None) is not None and hi is None:
                hi = x.le
    out = []
    if lo is not None and hi is not None:
        out.append(f"{'>' if lo_open else ''}{_num(lo)} to {_num(hi)}")
    elif lo is not None:
        out.append(f"{'>' if lo_open else '≥'} {_num(lo)}")
    elif hi is not None:
        out.append(f"≤ {_num(hi)}")
    ann = info.annotation
    if typing.get_origin(ann) in (typing.Union, __import__("types").UnionType):
        ann = next(a for a in typing.get_args(ann) if a is not type(None))
    unit = "entries" if typing.get_origin(ann) in (list, dict) else "characters"
    if length[0] is not None and length[1] is not None and length[0] == length[1]:
        out.append(f"exactly {length[0]} {unit}")
    elif length[0] is not None and length[1] is not None:
        out.append(f"{length[0]} to {length[1]} {unit}")
    elif length[1] is not None:
        out.append(f"at most {length[1]} {unit}")
    return ", ".join(out)


def _walk(ann: Any):
    for a in typing.get_args(ann):
        if isinstance(a, FieldInfo):
            yield a
        else:
            yield from _walk(a)


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        x = int(x)
    if isinstance(x, int | float) and abs(x) >= 1e5:
        return f"{x:,.0f}".replace(",", " ") if x == int(x) else str(x)
    return str(x)


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        made = info.default_factory()
        if isinstance(made, BaseModel):
            return "(its defaults)"
        return "`[]`" if isinstance(made, list) else "`{}`"
    d = info.default
    if d is PydanticUndefined:
        return "**required**"
    if d is None:
        return "none"
    if isinstance(d, bool):
        return f"`{str(d).lower()}`"
    if isinstance(d, str):
        return f'`"{d}"`'
    return f"`{_num(d)}`"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def table(model: type[BaseModel]) -> str:
    """A Markdown table of a model's keys."""
    rows = ["| Key | Type | Default | Range | Meaning |", "|---|---|---|---|---|"]
    for name, info in model.model_fields.items():
        key = info.alias or name
        rows.append(
            "| "
            + " | ".join(
                [
                    f"`{key}`",
                    _cell(_type(info.annotation, _meta(info))),
                    _cell(_default(info)),
                    _cell(_range(info)),
                    _cell(info.description or ""),
                ]
            )
            + " |"
        )
    return "\n".join(rows)


def _clause_kinds() -> str:
    """Which keys of a clause each kind reads (the validator warns about the others)."""
    from .check import CLAUSE_KEYS

    rows = ["| kind | reads (besides id, kind, article, summary) |", "|---|---|"]
    for kind, keys in CLAUSE_KEYS.items():
        rows.append(f"| `{kind}` | {', '.join(f'`{k}`' for k in keys)} |")
    return "\n".join(rows)


def _functions() -> str:
    from game.engine.expr import FUNCTIONS

    kinds = {
        "actor": "actor",
        "treaty": "treaty",
        "clause": "treaty.clause",
        "event": "event",
        "attr": "attribute",
        "num": "number",
    }
    rows = ["| Function | Value |", "|---|---|"]
    for name, (args, _, doc) in FUNCTIONS.items():
        sig = ", ".join(kinds.get(a, a) for a in args)
        rows.append(f"| `{name}({sig})` | {_cell(doc)} |")
    return "\n".join(rows)


def _limits() -> str:
    from game.engine import expr

    from .check import MAX_INSTANCES
    from .load import MAX_BYTES, MAX_EXTENDS, MAX_NESTING

    s = m.Scenario.model_fields

    def most(field: str) -> int:
        return next(x.max_length for x in _meta(s[field]) if getattr(x, "max_length", None))

    items = [
        ("file size", f"{MAX_BYTES:,} bytes".replace(",", " ")),
        ("levels of `extends`", str(MAX_EXTENDS)),
        ("tables and arrays inside each other", str(MAX_NESTING)),
        ("actors", str(most("actors"))),
        ("relations", str(most("relations"))),
        ("treaties", str(most("treaties"))),
        (
            "clauses per treaty",
            str(
                next(
                    x.max_length
                    for x in _meta(m.Treaty.model_fields["clauses"])
                    if getattr(x, "max_length", None)
                )
            ),
        ),
        (
            "clause instances (clause x covered party x other party), all treaties",
            str(MAX_INSTANCES),
        ),
        ("actions", str(most("actions"))),
        ("events", str(most("events"))),
        (
            "effects per event",
            str(
                next(
                    x.max_length
                    for x in _meta(m.Event.model_fields["effects"])
                    if getattr(x, "max_length", None)
                )
            ),
        ),
        ("outcomes", str(most("outcomes"))),
        (
            "rungs",
            str(
                next(
                    x.max_length
                    for x in _meta(m.Ladder.model_fields["rungs"])
                    if getattr(x, "max_length", None)
                )
            ),
        ),
        ("condition length", f"{expr.MAX_LENGTH} characters"),
        ("condition size", f"{expr.MAX_NODES} syntax nodes"),
        ("condition nesting", f"{expr.MAX_DEPTH} levels"),
        ("numbers in conditions", "at most 1e12 in size"),
    ]
    rows = ["| What | At most |", "|---|---|"]
    rows += [f"| {a} | {b} |" for a, b in items]
    return "\n".join(rows)


def _uncertain() -> str:
    """The keys that may be distributions (game.scenario.draws.VARIABLE) and the rules."""
    from .draws import documented

    keys = "\n".join(f"- `{k}`" for k in documented())
    return (
        "A number that is a judgement rather than a fact may be given as a distribution: "
        "`{ low = 1.0, high = 1.6 }` (uniform) or `{ mean = 0.9, sd = 0.05 }` (normal). Each "
        "run draws its own value once, at the start, from the counter-based generator keyed by "
        "the run and the key's name, so run K draws the same values in any batch, on any "
        "worker, and when replayed alone (`pact run --seed S --run K`, which prints them). "
        "`runs.csv` has one column per drawn number (`draw:` and the key, e.g. "
        "`draw:defaults.decay`) and the batch summary lists them. A played game draws its own "
        "values the same way. What reads the scenario rather than a run (the warnings of "
        "`pact validate`, the reference of a key) sees the central value: the midpoint of a "
        "range, the mean of a normal.\n\n"
        "A range must lie within the key's range in the tables above (a probability within "
        "0-1) or the file is refused; a normal's mean must lie within it and its draws are "
        "clipped to it. `low` above `high` or a negative `sd` are errors. `--set` takes a "
        "single value or a distribution, e.g. `--set 'ai.jump={ low = 1.5, high = 2.5 }'`.\n\n"
        "These keys may be distributions (`[]` is any entry of the array); a distribution "
        "anywhere else is an error at that key, since the engine would have to use one value "
        "for every run:\n\n" + keys
    )


def _lead(model) -> str:
    """The first paragraph of a model's docstring, as one line of Markdown."""
    return " ".join(model.__doc__.split("\n\n")[0].split()).replace("``", "`")


def reference_markdown() -> str:
    """The generated section of the README (between the BEGIN and END markers)."""
    out = [BEGIN, "", "### Keys, table by table", ""]
    out.append(
        "Types: *id* is a letter then letters, digits, `_` or `-` (at most 48); *actor id* is "
        '2-8 capitals or digits starting with a capital; *date* is `"YYYY-MM"` or '
        '`"YYYY-MM-DD"` (a TOML date such as `2024-06-19` works too); *condition* is an '
        "expression (see [Conditions](#conditions)). Ranges are inclusive unless marked `>`. "
        "Keys not listed here are errors."
    )
    for heading, written, model in SECTIONS:
        out += [
            "",
            f"#### {heading}",
            "",
            f"{_lead(model)} Written as {written}.",
            "",
        ]
        out.append(table(model))
    out += ["", "#### Effects", ""]
    out.append(
        "Each entry of an event's `effects` array is an inline table whose `kind` says what it "
        'does, e.g. `{ kind = "tension", pair = ["PRK", "KOR"], add = 5 }`.'
    )
    for em in m.EFFECT_MODELS:
        kind = typing.get_args(em.model_fields["kind"].annotation)[0]
        doc = _lead(em).split(": ", 1)[-1]
        out += ["", f'##### kind = "{kind}"', "", doc[:1].upper() + doc[1:], ""]
        out.append(table(em))
    out += ["", "#### What each clause kind reads", "", _clause_kinds()]
    out += ["", "### Uncertain numbers", "", _uncertain()]
    out += ["", "### Functions in conditions", "", _functions()]
    out += [
        "",
        "### Limits",
        "",
        "Larger files are refused with an error that names the place.",
        "",
        _limits(),
    ]
    out += ["", END]
    return "\n".join(out) + "\n"


def splice(readme: str) -> str:
    """The README text with its generated section replaced by the current one."""
    if BEGIN not in readme or END not in readme:
        raise ValueError("the README has no generated-reference markers")
    head = readme[: readme.index(BEGIN)]
    tail = readme[readme.index(END) + len(END) :]
    return head + reference_markdown().rstrip("\n") + tail


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--write"]:
        text = README.read_text(encoding="utf-8")
        new = splice(text)
        if new != text:
            write_text(README, new)
            print(f"updated {README.name}")
        else:
            print(f"{README.name} is up to date")
        return 0
    sys.stdout.write(reference_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
