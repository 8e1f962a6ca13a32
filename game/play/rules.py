"""The player's catalogue of moves: what each does, and why a move is closed this month.

``valid_moves`` in the AI decides whether a candidate is open; this module explains the
decision in words and previews a move's effects for the action picker. No pygame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine.anticipation import consequences
from game.engine.params import ATTR, ATTRIBUTES, KIND

NEED_NUCLEAR, NEED_TECH, NEED_AT_WAR, NEED_NOT_AT_WAR, NEED_THREATENED, NEED_TARGET_WAR = range(6)

CATEGORY_ORDER = ("diplomacy", "information", "economy", "military")

ATTR_LABELS = {
    "military": "military",
    "warheads": "warheads",
    "delivery": "delivery",
    "economy": "economy",
    "stability": "stability",
    "readiness": "readiness",
    "resolve": "resolve",
}


@dataclass(frozen=True)
class Option:
    """One row of the action picker: an action (or holding) aimed at a target."""

    action: int  # index into params.action_*; -1 = hold position
    target: int
    cand: int | None  # the player's candidate for it, None if there is none
    open: bool
    reason: str  # why it is closed ('' when open)
    short: str  # the same in two or three words


@dataclass(frozen=True)
class Line:
    """A line of the effects preview: a label, a text and a tone for its colour."""

    label: str
    text: str
    tone: str = "neutral"  # neutral, good, bad, warn, info


def candidate_table(params, actor: int) -> dict[tuple[int, int], int]:
    """(action, target) -> candidate index, for the actor's candidates."""
    lo, hi = int(params.actor_cand_start[actor]), int(params.actor_cand_start[actor + 1])
    out: dict[tuple[int, int], int] = {}
    for c in range(lo, hi):
        out.setdefault((int(params.cand_action[c]), int(params.cand_target[c])), c)
    return out


def _doctrine(model, actor: int):
    try:
        return model.actors[actor].doctrine
    except (AttributeError, IndexError):
        return None


def _names(params, idx) -> str:
    return ", ".join(params.actor_names[i] for i in idx)


def _linked(params, active: np.ndarray, kind: str, a: int, t: int) -> tuple[bool, int | None]:
    """Whether a clause of this kind binds a and t (either way) in a treaty in force."""
    found = None
    for i in np.nonzero(params.inst_kind == KIND[kind])[0]:
        p, q = int(params.inst_party[i]), int(params.inst_by[i])
        if {p, q} == {a, t}:
            found = int(i)
            if active[params.inst_treaty[i]]:
                return True, found
    return False, found


def _ever_linked(params, kind: str, a: int, t: int) -> bool:
    for i in np.nonzero(params.inst_kind == KIND[kind])[0]:
        if {int(params.inst_party[i]), int(params.inst_by[i])} == {a, t}:
            return True
    return False


def clause_label(params, inst: int) -> str:
    q = int(params.inst_clause[inst])
    return f"{short_treaty(params.treaty_names[int(params.inst_treaty[inst])])}, {params.clause_names[q]}"


def short_treaty(name: str, limit: int = 34) -> str:
    """A treaty's name short enough for a panel line."""
    if len(name) <= limit:
        return name
    for sep in (" (", " of ", " on ", ": "):
        if sep in name and name.index(sep) >= 8:
            head = name[: name.index(sep)]
            if len(head) <= limit:
                return head
    return name[: limit - 1].rstrip() + "\u2026"


def why_no_candidate(session, action: int, target: int) -> tuple[str, str]:
    """Why the player's state has no move (action, target) at all: (reason, short)."""
    p, a = session.params, session.player
    if target == a:
        return "Choose another state as the target.", "pick a target"
    name = p.actor_names[a]
    act_id = p.action_ids[action]
    d = _doctrine(session.scenario.model, a)
    if d is not None and act_id in getattr(d, "avoid", ()):
        return f"Not in {name}'s repertoire.", "not in repertoire"
    needs = p.action_needs[action]
    if needs[NEED_NUCLEAR] and session.attr[a, ATTR["warheads"]] <= 0:
        return f"{name} has no nuclear arsenal.", "no arsenal"
    kind = p.action_target_kind[action]
    rivals = [i for i in range(p.n_actors) if p.rivals[a, i]]
    partners = []
    if d is not None:
        ids = list(p.actor_ids)
        partners = [ids.index(x) for x in getattr(d, "partners", ()) if x in ids]
    if kind == "rival" and target not in rivals:
        who = _names(p, rivals) if rivals else "none"
        return f"Only against {name}'s rivals ({who}).", "rivals only"
    if kind == "partner" and target not in partners:
        who = _names(p, partners) if partners else "none"
        return f"Only toward {name}'s partners ({who}).", "partners only"
    if needs[NEED_TECH] and not _ever_linked(p, "tech_cooperation", a, target):
        return (
            f"Needs a treaty with a defence-technology clause between {name} and "
            f"{p.actor_names[target]}.",
            "no tech clause",
        )
    return f"Not a move {name} can make toward {p.actor_names[target]}.", "not possible"


def why_closed(session, cand: int) -> tuple[str, str]:
    """Why an existing candidate is closed this month: (reason, short)."""
    p = session.params
    a, k, t = int(p.cand_actor[cand]), int(p.cand_action[cand]), int(p.cand_target[cand])
    if k < 0:
        return "", ""
    rung = session.rung
    r = int(rung[a, t])
    tname = p.actor_names[t]
    rn = p.rung_names
    if r < int(p.action_min_rung[k]):
        return (
            f"Needs {rn[int(p.action_min_rung[k])]} or higher with {tname} (now {rn[r]}).",
            f"needs {rn[int(p.action_min_rung[k])]}",
        )
    if r > int(p.action_max_rung[k]):
        return (
            f"Not above {rn[int(p.action_max_rung[k])]} with {tname} (now {rn[r]}).",
            "ladder too high",
        )
    needs = p.action_needs[k]
    war = int(p.thresholds["war"])
    threat = int(p.thresholds.get("threat", war))
    active = session.active_treaties()
    if needs[NEED_NUCLEAR] and session.arsenal(a) <= 0:
        return "Needs a nuclear arsenal that can be delivered.", "no arsenal"
    if needs[NEED_TECH] and not _linked(p, active, "tech_cooperation", a, t)[0]:
        return (
            f"Needs a defence-technology clause in force with {tname}.",
            "clause not in force",
        )
    if needs[NEED_AT_WAR] and r < war:
        return f"Only at war with {tname}.", "not at war"
    if needs[NEED_NOT_AT_WAR] and r >= war:
        return f"Not while at war with {tname}.", "at war"
    worst = int(rung[t].max())
    if needs[NEED_THREATENED] and worst < threat:
        return (
            f"{tname} is not threatened: no pair of theirs at {rn[threat]} or above.",
            "not threatened",
        )
    if needs[NEED_TARGET_WAR] and worst < war:
        return f"{tname} is not at war.", "target not at war"
    if p.action_hostility[k] > 0:
        bound, inst = _linked(p, active, "no_hostile_alliance", a, t)
        if bound:
            return (
                f"Barred by treaty: no hostile moves against a partner ({clause_label(p, inst)}).",
                "barred by treaty",
            )
    return "Not open this month.", "closed"


def options(session, target: int) -> list[Option]:
    """The whole catalogue for the player's state aimed at ``target``: holding first, then
    every action of the scenario, open or not, by category."""
    p = session.params
    table = candidate_table(p, session.player)
    valid = session.valid()
    hold = session.hold_candidate()
    out = [Option(-1, session.player, hold, True, "", "")]
    order = sorted(
        range(len(p.action_ids)),
        key=lambda k: (
            CATEGORY_ORDER.index(p.action_category[k])
            if p.action_category[k] in CATEGORY_ORDER
            else len(CATEGORY_ORDER),
            k,
        ),
    )
    for k in order:
        c = table.get((k, target))
        if c is None:
            reason, short = why_no_candidate(session, k, target)
            out.append(Option(k, target, None, False, reason, short))
        elif bool(valid[c]):
            out.append(Option(k, target, c, True, "", ""))
        else:
            reason, short = why_closed(session, c)
            out.append(Option(k, target, c, False, reason, short))
    return out


def open_targets(session, action: int) -> list[int]:
    """Targets toward which the action is open this month."""
    p = session.params
    valid = session.valid()
    return sorted(
        t for (k, t), c in candidate_table(p, session.player).items() if k == action and valid[c]
    )


def _fmt(v: float, digits: int = 1) -> str:
    """A signed number with a true minus sign."""
    text = f"{v:+.{digits}f}"
    return text.replace("-", "\u2212")


def effects_text(params, row: np.ndarray) -> str:
    parts = []
    for j, name in enumerate(ATTRIBUTES):
        v = float(row[j])
        if abs(v) > 1e-9:
            parts.append(f"{ATTR_LABELS.get(name, name)} {_fmt(v)}")
    return ", ".join(parts)


def stance(params, action: int) -> tuple[str, str]:
    """(label, tone) of a move: its category and whether it is hostile or cooperative."""
    if action < 0:
        return "hold", "neutral"
    host = float(params.action_hostility[action])
    tone = "bad" if host > 0.05 else "good" if host < -0.05 else "neutral"
    kind = "hostile" if host > 0.05 else "cooperative" if host < -0.05 else "neutral"
    return f"{params.action_category[action]} \u00b7 {kind}", tone


def preview(session, action: int, target: int) -> list[Line]:
    """What the move would do, from the scenario's numbers and the state now; the ladder and
    the treaties first, the attribute changes last."""
    p, a = session.params, session.player
    if action < 0:
        return [
            Line("Move", "Hold position: no move this month.", "neutral"),
            Line("Effect", "Tensions drift toward their baselines; others still move.", "info"),
        ]
    t = target
    tname = p.actor_names[t]
    rung = session.rung
    lines: list[Line] = []
    r_now = int(rung[a, t])
    r_set = int(p.action_rung[action])
    if r_set >= 0:
        if r_set > r_now:
            lines.append(
                Line("Ladder", f"{p.rung_names[r_now]} \u2192 {p.rung_names[r_set]}", "bad")
            )
        else:
            lines.append(Line("Ladder", f"stays at {p.rung_names[r_now]}", "neutral"))
    dt = float(p.action_tension[action])
    cur = float(session.tension[a, t])
    if abs(dt) > 1e-9:
        new = min(max(cur + dt, 0.0), 100.0)
        lines.append(
            Line(
                "Tension",
                f"with {tname} {cur:.0f} \u2192 {new:.0f} ({_fmt(dt, 0)})",
                "bad" if dt > 0 else "good",
            )
        )
    if bool(p.action_attack[action]):
        lines.append(Line("Attack", f"an armed attack on {tname}", "bad"))
    lines += set_off_lines(session, action, t)
    lines += treaty_consequences(session, action, t)
    spill_t = float(p.action_spill_tension[action])
    spill_r = int(p.action_spill_rung[action])
    if spill_t or spill_r >= 0:
        # Who counts as the other side: the target's adversaries from this rung up.
        reach = getattr(p, "action_spill_at", None)
        level = int(reach[action]) if reach is not None else int(p.thresholds.get("threat", 0))
        enemies = [e for e in range(p.n_actors) if e not in (a, t) and rung[t, e] >= level]
        if enemies:
            bits = []
            if spill_t:
                bits.append(f"tension {_fmt(spill_t, 0)}")
            if spill_r >= 0:
                bits.append(f"ladder to {p.rung_names[spill_r]}")
            lines.append(Line("Spillover", f"with {_names(p, enemies)}: {', '.join(bits)}", "warn"))
        else:
            lines.append(
                Line(
                    "Spillover",
                    f"none now (no one faces {tname} at {p.rung_names[level]})",
                    "neutral",
                )
            )
    mine = effects_text(p, p.action_self[action])
    if mine:
        lines.append(Line("You", mine, "info"))
    theirs = effects_text(p, p.action_target[action])
    if theirs:
        lines.append(Line(p.actor_ids[t], theirs, "info"))
    return lines


def treaty_consequences(session, action: int, target: int) -> list[Line]:
    """Clauses of the target's treaties against sanctions that the move would set off (pledges,
    consultations and red lines: :func:`set_off_lines`)."""
    p, a = session.params, session.player
    active = session.active_treaties()
    found: dict[tuple[str, int], Line] = {}  # the first line for each ally
    for i in range(p.inst_party.shape[0]):
        if int(p.inst_party[i]) != target or not active[p.inst_treaty[i]]:
            continue
        if p.treaty_parties[p.inst_treaty[i], a]:
            continue
        kind = int(p.inst_kind[i])
        ally = int(p.inst_by[i])
        if kind == KIND["oppose_sanctions"] and bool(p.action_sanction[action]):
            found.setdefault(
                ("sanction", ally),
                Line(
                    "Treaty",
                    f"{p.actor_names[ally]} will blunt sanctions on {p.actor_names[target]}",
                    "warn",
                ),
            )
    return list(found.values())[:3]


def set_off_lines(session, action: int, target: int) -> list[Line]:
    """What the move would set off through the commitments in force, as the engine reads it
    (``game.engine.anticipation.consequences``): red lines it crosses, the pledges of the
    target's allies with their credibility and the chance, then one line for consultations."""
    p = session.params
    found = consequences(
        p, session.state, session.active_treaties()[None, :], 0, session.player, action, target
    )
    lines = [
        Line(
            "Red line",
            f"Crosses {p.actor_names[c.by]}'s red line: {c.name} "
            f"(credibility {100 * c.credibility:.0f}%)",
            "bad",
        )
        for c in found
        if c.kind == "red_line"
    ]
    lines += [
        Line(
            "Sets off",
            f"{c.name} (credibility {100 * c.credibility:.0f}%, chance {100 * c.chance:.0f}%)",
            "bad",
        )
        for c in found
        if c.kind == "assistance"
    ]
    consult = [c for c in found if c.kind == "consultation"]
    if consult:
        allies = list(dict.fromkeys(p.actor_names[c.by] for c in consult))
        odds = 100 * max(c.chance for c in consult)
        text = f"consultations with {', '.join(allies)} (chance up to {odds:.0f}%)"
        lines.append(Line("Sets off", text, "warn"))
    return lines


def describe_action(session, action: int) -> str:
    """The scenario's longer text for an action, if any."""
    try:
        return session.scenario.model.actions[action].description or ""
    except (AttributeError, IndexError):
        return ""
