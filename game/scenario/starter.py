"""Starter files for ``pact new``: a small complete scenario, or a variant of an existing one.

Both are valid as written (``pact validate`` passes with no warnings) and commented table by
table, so an author can start from a working file and change one thing at a time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .model import Scenario

_SLUG = re.compile(r"[^A-Za-z0-9_\-]+")


def scenario_id(stem: str) -> str:
    """A valid scenario id from a file name: 'My crisis!' -> 'my-crisis'."""
    slug = _SLUG.sub("-", stem.strip()).strip("-_").lower()
    if not slug or not slug[0].isalpha():
        slug = "s-" + slug if slug else "scenario"
    return slug[:48].rstrip("-_") or "scenario"


def title_of(stem: str) -> str:
    words = re.split(r"[-_\s]+", stem.strip())
    text = " ".join(w for w in words if w)
    return (text[:1].upper() + text[1:])[:120] or "New scenario"


def schema_directive(target: Path, *folders: Path) -> str:
    """'#:schema <relative path>' for the first schema.json found in ``folders``, else ''."""
    for folder in folders:
        candidate = folder / "schema.json"
        if candidate.is_file():
            try:
                rel = os.path.relpath(candidate.resolve(), target.parent.resolve())
            except ValueError:  # another drive
                rel = str(candidate.resolve())
            rel = Path(rel).as_posix()
            if not rel.startswith((".", "/")):
                rel = "./" + rel
            return f"#:schema {rel}\n"
    return ""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def starter(sid: str, name: str, schema: str = "") -> str:
    """A complete small scenario: four states, a nine-rung ladder, two treaties."""
    return schema + STARTER.replace("@ID@", _quote(sid)).replace("@NAME@", _quote(name))


def variant(
    sid: str,
    name: str,
    parent: Scenario,
    extends: str,
    schema: str = "",
    drawn: dict[str, str] | None = None,
) -> str:
    """A file that extends ``parent``: its own [scenario] table and commented examples of
    changes, written with the parent's real ids."""
    actor = parent.actors[min(1, len(parent.actors) - 1)]
    d = actor.doctrine
    rel = parent.relations[0] if parent.relations else None
    treaty = next((t for t in parent.treaties if t.clauses), None)
    event = parent.events[0] if parent.events else None
    a, b = rel.pair if rel else [parent.actors[0].id, parent.actors[1].id]
    ids = [x.id for x in parent.actors]
    clash = parent.ladder.thresholds.get("armed_clash", parent.ladder.rungs[0].id)
    meta = parent.scenario
    parent_file = Path(extends).name
    start = f"{meta.start:%Y-%m}"

    def _inherited(value: float, key: str) -> str:
        """The parent's value as written: a drawn number's distribution, not its centre."""
        return (drawn or {}).get(key) or f"{value:g}"

    who = f"actors.{actor.id}"
    out = [
        schema,
        f'# {name}: a variant of "{meta.name}" ({parent_file}).',
        "#",
        "# Question: what do you change, and what do you want to learn from it?",
        f"# Assumes: everything in {parent_file}, except what is written below.",
        "#",
        "# Only what changes is written here. Tables merge key by key; arrays of tables",
        "# ([[actors]], [[treaties]], [[events]]...) merge entry by entry, matched by id (relations",
        "# by pair): a known id changes only the keys you write, a new id adds an entry, and",
        "# remove = true deletes one. Other arrays (effects, parties, rivals...) are replaced whole.",
        "# Check it:  pact validate FILE     Try it:  pact dry-run FILE",
        "",
        f"extends = {_quote(extends)}",
        "",
        "[scenario]",
        f"id = {_quote(sid)}",
        f"name = {_quote(name)}",
        "description = "
        + _quote("One paragraph: the question this variant asks (its first sentence is listed)."),
        _row(f'# start = "{start}"', f"first month played (inherited: {start})"),
        _row(f"# turns = {meta.turns}", f"months played (inherited: {meta.turns})"),
        "",
        _rule("Change an actor: only the keys you write change"),
        "# [[actors]]",
        f'# id = "{actor.id}"',
        _row(
            f"# military = {actor.military:g}",
            f"inherited: {_inherited(actor.military, who + '.military')}",
        ),
        _row(
            f"# resolve = {actor.resolve:g}",
            f"inherited: {_inherited(actor.resolve, who + '.resolve')}",
        ),
        "# [actors.doctrine]",
        _row(
            f"# aggression = {d.aggression:g}",
            f"inherited: {_inherited(d.aggression, who + '.doctrine.aggression')}",
        ),
        _row(f"# rivals = {_list(d.rivals)}", "an array: replaced whole"),
        "",
        _rule("Change the starting state of a pair (matched by pair, in either order)"),
        "# [[relations]]",
        f'# pair = ["{a}", "{b}"]',
        _row(
            f"# tension = {rel.tension:g}",
            f"inherited: {_inherited(rel.tension, f'relations.{a}-{b}.tension')}",
        )
        if rel
        else "# tension = 50",
        "",
    ]
    if treaty is not None:
        c = next((x for x in treaty.clauses if x.kind == "assistance"), treaty.clauses[-1])
        key = f"treaties.{treaty.id}.clauses.{c.id}.credibility"
        out += [
            _rule("Change a clause of a treaty: the treaty and the clause are matched by id"),
            "# [[treaties]]",
            f'# id = "{treaty.id}"',
            "#   [[treaties.clauses]]",
            f'#   id = "{c.id}"',
            _row("#   credibility = 0.5", f"inherited: {_inherited(c.credibility, key)}"),
            "",
        ]
    out += [
        _rule("Add a treaty"),
        "# [[treaties]]",
        '# id = "new_pact"',
        '# name = "A new defence pact"',
        f'# parties = ["{ids[0]}", "{ids[-1]}"]',
        f'# signed = "{start}"',
        "#   [[treaties.clauses]]",
        '#   id = "art1"',
        _row('#   kind = "assistance"', "or consultation, no_hostile_alliance, ..."),
        '#   article = "Art. 1"',
        _row(f'#   trigger = "{clash}"', "the rung of an armed attack on a party"),
        _row("#   credibility = 0.7", "probability the ally honours it"),
        "",
        _rule("Add an event"),
        "# [[events]]",
        '# id = "new_event"',
        '# name = "Something happens"',
        _row(f'# date = "{start}"', 'fires that month; add when = "..." for a condition'),
        f'# effects = [ {{ kind = "tension", pair = ["{a}", "{b}"], add = 10 }} ]',
        "",
    ]
    if event is not None:
        out += [
            _rule("Delete an inherited entry"),
            "# [[events]]",
            f'# id = "{event.id}"',
            "# remove = true",
        ]
    return "\n".join(x.rstrip("\n") for x in out if x is not None) + "\n"


def _row(code: str, comment: str) -> str:
    return f"{code.ljust(33)} # {comment}"


def _rule(title: str) -> str:
    return f"# --- {title} ".ljust(96, "-")


def _list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{x}"' for x in items) + "]"


STARTER = """\
# A Pact scenario. Every table is explained above it; the reference of every key is in
# scenarios/README.md. Check the file with 'pact validate FILE' and see what happens in it with
# 'pact dry-run FILE' (which events fire, which clauses are invoked, which moves are chosen).
#
# Question: one paragraph on what this scenario asks. Numbers below are placeholders for a
# small crisis on the Korean peninsula: replace them, and note the source of each one in a
# comment beside it.

# --- [scenario]: what it is and when it starts. One turn is one month. -----------------------
[scenario]
id = @ID@
name = @NAME@
description = "A small crisis on the Korean peninsula. Keep your interests without a war."
start = "2025-01"          # first month played: turn 0
turns = 24                 # months played by default
default_player = "KOR"     # the actor a player takes by default

# --- [defaults]: pairs not listed in [[relations]]. -----------------------------------------
[defaults]
tension = 20               # tension 0-100
decay = 0.1                # share of the gap to a pair's baseline tension closed each month

# --- [ladder]: the escalation ladder, lowest rung first. -------------------------------------
# 'up' = tension at which a pair drifts up into the rung by itself; rungs without 'up' are
# reached only by moves, incidents, events or treaty responses. 'down' = tension below which
# a pair drifts back down one rung a month.
[ladder]
rungs = [
  { id = "cooperation",      name = "Cooperation",          group = "Subcrisis" },
  { id = "friction",         name = "Diplomatic friction",  group = "Subcrisis", up = 25, down = 15 },
  { id = "sanctions",        name = "Sanctions",            group = "Subcrisis", up = 45, down = 30 },
  { id = "show_of_force",    name = "Show of force",        group = "Crisis",    up = 60, down = 45 },
  { id = "armed_clash",      name = "Armed clash",          group = "Crisis",              down = 50 },
  { id = "limited_strikes",  name = "Limited strikes",      group = "Conflict",            down = 45 },
  { id = "conventional_war", name = "Conventional war",     group = "Conflict",            down = 35 },
  { id = "limited_nuclear",  name = "Limited nuclear use",  group = "Nuclear war",         down = 20 },
  { id = "general_nuclear",  name = "General nuclear war",  group = "Nuclear war" },
]

# Named thresholds: the four below are required; 'threat' is what consultation clauses
# respond to unless a clause names its own trigger. Conditions can use every name here.
[ladder.thresholds]
threat = "show_of_force"
armed_clash = "armed_clash"
war = "conventional_war"
nuclear_use = "limited_nuclear"
general_nuclear_war = "general_nuclear"

# --- [[actors]]: the states. One [[actors]] table each; ids are 2-8 capitals. ----------------
# Attributes: military (index, USA = 100), warheads, delivery (0-1), economy (100 = now),
# stability, readiness (0-100), resolve (0-1). The doctrine steers the AI; 1.0 is ordinary.
[[actors]]
id = "PRK"
name = "North Korea"
bloc = "east"
military = 7
warheads = 50
delivery = 0.35
readiness = 60
resolve = 0.9
[actors.doctrine]
aggression = 1.3
reciprocity = 1.5
rivals = ["KOR", "USA"]    # targets of hostile moves
partners = ["CHN"]         # targets of cooperative moves
prefer = { missile_test = 1.0 }   # extra appeal of an action for this actor's AI

[[actors]]
id = "KOR"
name = "South Korea"
bloc = "west"
military = 18
readiness = 55
resolve = 0.6
[actors.doctrine]
caution = 1.4
passivity = 1.4            # appeal of doing nothing this month
rivals = ["PRK"]
partners = ["USA"]

[[actors]]
id = "USA"
name = "United States"
bloc = "west"
military = 100
warheads = 3700
delivery = 1.0
readiness = 55
resolve = 0.7
[actors.doctrine]
caution = 1.3
loyalty = 1.2
rivals = ["PRK", "CHN"]
partners = ["KOR"]

[[actors]]
id = "CHN"
name = "China"
bloc = "east"
military = 62
warheads = 500
delivery = 0.8
resolve = 0.6
objectives = { security = 1.0, alliance = 0.5, economy = 1.2, peace = 0.9 }   # score weights
[actors.doctrine]
caution = 1.5
passivity = 1.6
rivals = ["USA"]
partners = ["PRK"]

# --- [[relations]]: how pairs start. Unlisted pairs start at [defaults] on the lowest rung. ---
[[relations]]
pair = ["PRK", "KOR"]
tension = 60
rung = "show_of_force"
baseline = 55              # the tension it relaxes toward (default: the starting tension)
# random incidents whose monthly odds rise with tension; 'serious' ones are armed clashes
flashpoint = { name = "DMZ incident", base = 0.004, slope = 0.05, serious = 0.25, tension = 8 }

[[relations]]
pair = ["PRK", "USA"]
tension = 55
rung = "sanctions"

[[relations]]
pair = ["CHN", "USA"]
tension = 50
rung = "sanctions"

[[relations]]
pair = ["CHN", "PRK"]
tension = 10

# --- [[treaties]]: commitments, each with its clauses. ---------------------------------------
# A consultation clause fires when a party's pair with an outsider reaches its trigger; an
# assistance clause brings the ally in against an armed attack, after 'delay' months, with
# probability 'credibility', raising the ally's pair with the attacker to 'response'.
[[treaties]]
id = "us_rok"
name = "US-ROK Mutual Defense Treaty"
parties = ["USA", "KOR"]
signed = "1953-10-01"
in_force = "1954-11-18"
  [[treaties.clauses]]
  id = "consult"
  kind = "consultation"
  article = "Art. II"
  trigger = "show_of_force"
  [[treaties.clauses]]
  id = "defend"
  kind = "assistance"
  article = "Art. III"
  trigger = "armed_clash"
  delay = 1                  # months
  credibility = 0.9
  response = "conventional_war"

[[treaties]]
id = "chn_prk"
name = "Sino-DPRK Treaty of Friendship"
parties = ["CHN", "PRK"]
signed = "1961-07-11"
  [[treaties.clauses]]
  id = "consult"
  kind = "consultation"
  article = "Art. II"
  trigger = "show_of_force"
  [[treaties.clauses]]
  id = "defend"
  kind = "assistance"
  article = "Art. II"
  trigger = "limited_strikes"
  credibility = 0.45
  response = "conventional_war"

# --- [[actions]]: the moves players and the AI choose from, one per actor per month. ---------
# hostility -1 (most cooperative) .. +1 (most hostile); 'rung' raises the pair to at least
# that rung; 'attack' = an armed attack (it triggers assistance clauses); 'needs' = conditions.
[[actions]]
id = "talks"
name = "Open talks"
category = "diplomacy"
target = "rival"
hostility = -0.6
tension = -8
base = -1.0                # base appeal to the AI
headline = "{actor} opens talks with {target}"

[[actions]]
id = "summit"
name = "Hold a summit"
category = "diplomacy"
target = "partner"
hostility = -0.5
tension = -5
base = -0.6
headline = "{actor} and {target} hold a summit"

[[actions]]
id = "sanction"
name = "Impose sanctions"
category = "economy"
hostility = 0.5
rung = "sanctions"
tension = 6
sanction = true
target_effects = { economy = -1.0 }
base = -0.8
headline = "{actor} imposes sanctions on {target}"

[[actions]]
id = "exercise"
name = "Hold military exercises"
category = "military"
hostility = 0.5
rung = "show_of_force"
tension = 5
self_effects = { readiness = 4 }
base = -0.9
headline = "{actor} stages exercises aimed at {target}"

[[actions]]
id = "missile_test"
name = "Test-fire missiles"
category = "military"
hostility = 0.6
rung = "show_of_force"
tension = 7
base = -1.4
headline = "{actor} test-fires missiles; {target} protests"

[[actions]]
id = "blockade"
name = "Blockade or grey-zone pressure"
category = "military"
hostility = 0.8
rung = "armed_clash"
tension = 14
attack = true
min_rung = "show_of_force"  # only open once the pair stands at least this high
base = -3.0
headline = "{actor} blockades {target}; shots are exchanged"

[[actions]]
id = "strike"
name = "Limited strikes"
category = "military"
hostility = 0.9
rung = "limited_strikes"
tension = 20
attack = true
min_rung = "armed_clash"
target_effects = { military = -1.0, stability = -2 }
base = -3.5
headline = "{actor} strikes targets in {target}"

[[actions]]
id = "invade"
name = "Launch an offensive"
category = "military"
hostility = 1.0
rung = "conventional_war"
tension = 25
attack = true
min_rung = "limited_strikes"
base = -4.0
headline = "{actor} launches an offensive against {target}"

[[actions]]
id = "nuclear_strike"
name = "Limited nuclear strike"
category = "military"
hostility = 1.0
rung = "limited_nuclear"
tension = 40
attack = true
needs = ["nuclear"]        # only actors with deliverable warheads
min_rung = "conventional_war"
base = -6.0
headline = "{actor} uses a nuclear weapon against {target}"

[[actions]]
id = "general_nuclear"
name = "General nuclear attack"
category = "military"
hostility = 1.0
rung = "general_nuclear"
tension = 60
attack = true
needs = ["nuclear"]
min_rung = "limited_nuclear"
base = -6.0
headline = "{actor} launches an all-out nuclear attack on {target}"

# --- [[events]]: scheduled ('date') or conditional ('when') events. --------------------------
# With a date only, it fires that month; with 'when', every month from 'date' (if any) to
# 'until' (if any) that the condition holds, with 'probability'; 'repeat' lets it fire again.
[[events]]
id = "party_congress"
name = "Party congress in Pyongyang"
headline = "Pyongyang's party congress vows to strengthen its nuclear forces"
date = "2025-03"
effects = [
  { kind = "tension", pair = ["PRK", "USA"], add = 4 },
  { kind = "attr", actor = "PRK", attr = "readiness", add = 5 },
]

[[events]]
id = "beijing_mediates"
name = "Beijing offers mediation"
headline = "China offers to mediate between the two Koreas"
when = "tension(PRK, KOR) >= 75 and turn >= 2"
probability = 0.2
effects = [ { kind = "tension", pair = ["PRK", "KOR"], add = -6 } ]
# A tension effect may also move the baseline a pair relaxes toward, for good:
# { kind = "tension", pair = ["PRK", "KOR"], baseline = 60 }   (or baseline_add = 10)

# --- [[outcomes]]: how a run is classified at its end: the first that holds. ---------------
# The last one has no 'when': it is the default.
[[outcomes]]
id = "general_nuclear_war"
name = "General nuclear war"
when = "max_peak() >= general_nuclear_war"

[[outcomes]]
id = "nuclear_use"
name = "Nuclear use"
when = "max_peak() >= nuclear_use"

[[outcomes]]
id = "war"
name = "War on the peninsula"
when = "new_peak() >= war"

[[outcomes]]
id = "clash"
name = "Limited armed conflict"
when = "new_peak() >= armed_clash"

[[outcomes]]
id = "tension"
name = "Heightened tension"
when = "mean_tension() >= 40"

[[outcomes]]
id = "stability"
name = "Stability"
"""
