"""The player's catalogue of moves: what each does, and why a move is closed this month.

The engine decides whether a move is open and why not (``game.engine.legality``); this module
only turns its reason codes into words, and previews a move's effects for the action picker.
No pygame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine import legality, tempo
from game.engine.anticipation import consequences
from game.engine.names import ACTION_CATEGORIES, ATTRIBUTES, KIND, hostility_kind

CATEGORY_ORDER = ACTION_CATEGORIES

ATTR_LABELS = {
    "military": "military",
    "warheads": "warheads",
    "delivery": "delivery",
    "economy": "economy",
    "stability": "stability",
    "readiness": "readiness",
    "resolve": "resolve",
}

# The words for each of the engine's reasons (legality.REASONS): a sentence and a short label.
# Fields: actor, target, action, rung (the pair's now), min_rung, max_rung, threat_rung,
# clause (the clause in force that binds the pair), rivals, partners.
WORDS = {
    "doctrine": ("{actor}'s doctrine rules out {action} toward {target}.", "ruled out"),
    "no_tech_link": (
        "Needs a treaty with a defence-technology clause between {actor} and {target}.",
        "no tech clause",
    ),
    "rung_low": ("Needs {min_rung} or higher with {target} (now {rung}).", "needs {min_rung}"),
    "rung_high": ("Not above {max_rung} with {target} (now {rung}).", "ladder too high"),
    "no_arsenal": ("Needs a nuclear arsenal that can be delivered.", "no arsenal"),
    "tech_not_in_force": (
        "Needs a defence-technology clause in force with {target}.",
        "clause not in force",
    ),
    "not_at_war": ("Only at war with {target}.", "not at war"),
    "at_war": ("Not while at war with {target}.", "at war"),
    "not_threatened": (
        "{target} is not threatened: no pair of theirs at {threat_rung} or above.",
        "not threatened",
    ),
    "target_not_at_war": ("{target} is not at war.", "target not at war"),
    "not_attacked": ("{target} holds no ground on {actor}'s territory.", "not under attack"),
    "partner_bound": (
        "Barred by treaty: no hostile moves against a partner ({clause}).",
        "barred by treaty",
    ),
    "self": ("Choose another state as the target.", "pick a target"),
    "not_in_repertoire": ("Not in {actor}'s repertoire.", "not in repertoire"),
    "no_nuclear": ("{actor} has no nuclear arsenal.", "no warheads"),
    "rivals_only": ("Only against {actor}'s rivals ({rivals}).", "rivals only"),
    "partners_only": ("Only toward {actor}'s partners ({partners}).", "partners only"),
    "not_rival_or_partner": (
        "Only toward {actor}'s rivals ({rivals}) or partners ({partners}).",
        "not a rival or partner",
    ),
    "reserved": ("Only some states may {action}; {actor} is not one of them.", "reserved"),
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
    code: int = legality.OPEN  # the engine's reason code (game.engine.legality.REASONS)


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


def _names(params, idx) -> str:
    return ", ".join(params.actor_names[i] for i in idx)


def clause_label(params, inst: int) -> str:
    q = int(params.inst_clause[inst])
    return f"{treaty_label(params, int(params.inst_treaty[inst]))}, {params.clause_names[q]}"


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


def treaty_label(params, t: int, limit: int = 34) -> str:
    """A treaty's short name (``short_treaty``) with the year it entered into force when
    another treaty of the scenario has the same short name ("Russia-DPRK Treaty (2024)")."""
    label = short_treaty(params.treaty_names[t], limit)
    same = [
        u
        for u in range(len(params.treaty_names))
        if u != t and short_treaty(params.treaty_names[u], limit) == label
    ]
    if not same:
        return label
    year = params.turn_date(int(params.treaty_start[t]))[0]
    return f"{short_treaty(params.treaty_names[t], max(limit - 7, 8))} ({year})"


def _binding_clause(params, active: np.ndarray, a: int, t: int, kind: str) -> str:
    """The label of a clause of this kind in force that binds a and t (either way)."""
    for i in np.nonzero(params.inst_kind == KIND[kind])[0]:
        pair = {int(params.inst_party[i]), int(params.inst_by[i])}
        if pair == {a, t} and active[params.inst_treaty[i]]:
            return clause_label(params, int(i))
    return "a clause in force"


class _Fields(dict):
    """The words a reason's template may use, each worked out when first asked for."""

    def __init__(self, session, action: int, target: int):
        super().__init__()
        self.session, self.action, self.target = session, action, target

    def __missing__(self, key: str) -> str:
        s, k, t = self.session, self.action, self.target
        p, a = s.params, s.player
        rn = p.rung_names
        value = {
            "actor": lambda: p.actor_names[a],
            "target": lambda: p.actor_names[t],
            "action": lambda: p.action_names[k],
            "rung": lambda: rn[int(s.rung[a, t])],
            "min_rung": lambda: rn[int(p.action_min_rung[k])],
            "max_rung": lambda: rn[int(p.action_max_rung[k])],
            "threat_rung": lambda: rn[legality.threat_rung(p)],
            "clause": lambda: _binding_clause(p, s.active_treaties(), a, t, "no_hostile_alliance"),
            "rivals": lambda: _names(p, np.nonzero(p.rivals[a])[0]) or "none",
            "partners": lambda: _names(p, np.nonzero(p.partners[a])[0]) or "none",
        }[key]()
        self[key] = value
        return value


def explain(session, code: int, action: int, target: int) -> tuple[str, str]:
    """(reason, short) in words for the engine's reason code of the player's move (action,
    target); ('', '') for an open move."""
    if code == legality.OPEN:
        return "", ""
    name = legality.REASONS[code][0]
    reason, short = WORDS[name]
    fields = _Fields(session, action, target)
    return reason.format_map(fields), short.format_map(fields)


def options(session, target: int) -> list[Option]:
    """The whole catalogue for the player's state aimed at ``target``: holding first, then
    every action of the scenario, open or not, by category."""
    p = session.params
    table = candidate_table(p, session.player)
    codes = session.reasons()
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
        code = int(p.no_move_reason[session.player, k, target] if c is None else codes[c])
        reason, short = explain(session, code, k, target)
        out.append(Option(k, target, c, code == legality.OPEN, reason, short, code))
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


def stance(params, action: int) -> tuple[str, str]:
    """(label, tone) of a move: its category and whether it is hostile or cooperative."""
    if action < 0:
        return "hold", "neutral"
    kind = hostility_kind(float(params.action_hostility[action]))
    tone = {"hostile": "bad", "cooperative": "good"}.get(kind, "neutral")
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
    costs, gains = costs_and_gains(session, action, t)
    if gains:
        lines.append(Line("Gains", "; ".join(gains), "good"))
    if costs:
        lines.append(Line("Costs", "; ".join(costs), "bad"))
    lines += set_off_lines(session, action, t)
    lines += treaty_consequences(session, action, t)
    spill_t = float(p.action_spill_tension[action])
    spill_r = int(p.action_spill_rung[action])
    if spill_t or spill_r >= 0:
        level, enemies = spill_reach(session, action, t)
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
    return lines


def spill_reach(session, action: int, target: int) -> tuple[int, list[int]]:
    """The rung from which a third state counts as the target's adversary for the move's
    spill-over, and the states that stand there with the target now."""
    p, a = session.params, session.player
    reach = getattr(p, "action_spill_at", None)
    level = int(reach[action]) if reach is not None else int(p.thresholds.get("threat", 0))
    rung = session.rung
    return level, [
        e for e in range(p.n_actors) if e not in (a, target) and rung[target, e] >= level
    ]


def costs_and_gains(session, action: int, target: int) -> tuple[list[str], list[str]]:
    """What a move costs the player's state and what it gains it, each change as the engine
    applies it (the scenario's compiled numbers: the mover's own attribute changes, the
    target's, the tension with the target and with the target's adversaries that the
    spill-over reaches now). The player's own losses, a rival's gains, a friend's losses and
    rising tension are costs; the rest are gains. A friend is a partner, or a state that is no
    rival toward which the move is friendly. Changes of one state come as one item ("your
    economy -0.2, readiness +6")."""
    p, a = session.params, session.player
    if action < 0:
        return [], []
    t = target
    friend = bool(p.partners[a, t]) or (
        not bool(p.rivals[a, t]) and float(p.action_hostility[action]) < 0
    )
    sides: dict[bool, dict[str, list[str]]] = {True: {}, False: {}}  # gain? -> owner -> parts
    mil = tempo.military_effects(p, session.state, action, a, t)  # the balance of forces
    for j, name in enumerate(ATTRIBUTES):
        label = ATTR_LABELS.get(name, name)
        own, theirs = float(p.action_self[action, j]), float(p.action_target[action, j])
        if name == "military":
            own, theirs = mil
        for owner, v, mine in (
            ("your", own, True),
            (p.actor_ids[t], theirs, False),
        ):
            if abs(v) > 1e-9:
                gain = v > 0 if mine else (v > 0) == friend
                sides[gain].setdefault(owner, []).append(f"{label} {_fmt(v)}")
    costs = [f"{owner} {', '.join(parts)}" for owner, parts in sides[False].items()]
    gains = [f"{owner} {', '.join(parts)}" for owner, parts in sides[True].items()]
    dt = float(p.action_tension[action])
    if abs(dt) > 1e-9:
        (costs if dt > 0 else gains).append(f"tension {_fmt(dt, 0)} with {p.actor_ids[t]}")
    spill = float(p.action_spill_tension[action])
    enemies = spill_reach(session, action, t)[1] if abs(spill) > 1e-9 else []
    if enemies:
        text = f"tension {_fmt(spill, 0)} with {', '.join(p.actor_ids[e] for e in enemies)}"
        (costs if spill > 0 else gains).append(text)
    allies = tempo.uneasy_allies(p, action, a, t)
    if allies:
        dv = float(p.action_ally_tension[action])
        who = f"ally{'s' if len(allies) > 1 else ''} {', '.join(p.actor_ids[q] for q in allies)}"
        text = f"tension {_fmt(dv, 0)} with your {who}"
        (costs if dv > 0 else gains).append(text)
    if p.action_offer is not None and p.action_offer[action]:
        yes, will, weary = tempo.offer_answer(p, session.state, a, t)
        who = p.actor_ids[t]
        gains.append(f"an end to the fighting if {who} accepts")
        why = f"war-weariness {weary:.2f} vs will to fight {will:.2f}"
        if yes:  # weariness outweighs will: it accepts unless its own move says otherwise
            gains.append(f"{who} would accept unless its own move is hostile to you ({why})")
        else:
            costs.append(f"{who} would refuse ({why})")
    return costs, gains


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


def _credibility(p, c) -> str:
    """A commitment's credibility as the dispatches give it (the one a decision moves), and
    what the mover reads of it where the committed state's wars stretch it."""
    held = f"credibility {100 * c.held:.0f}%"
    if round(100 * c.held) == round(100 * c.credibility):
        return held
    return f"{held}, {100 * c.credibility:.0f}% while {p.actor_names[c.by]} fights its wars"


def crossed_line_words(session, n: int) -> str:
    """A red line (commitment ``n``) that a dilemma's option crosses, as the move preview gives
    one: whose line, its credibility (held, and as the chooser reads it), and its answer."""
    from game.engine import commitments as cm
    from game.engine.anticipation import Consequence
    from game.engine.params import ATTR_COLS

    p, st = session.params, session.state
    com = p.commit
    rd = cm.read(
        com,
        st.attr,
        st.rung,
        st.cred,
        session.active_treaties()[None, :],
        st.turn,
        p.thresholds["war"],
        ATTR_COLS,
    )
    eff = float(rd.eff[0, n])
    c = Consequence("red_line", com.names[n], int(com.by[n]), eff, eff, float(st.cred[0, n]))
    answer = p.rung_names[int(com.response[n])]
    return (
        f"crosses {p.actor_names[c.by]}'s red line: {c.name}, {_credibility(p, c)}; "
        f"its answer: {answer}"
    )


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
            f"Crosses {p.actor_names[c.by]}'s red line: {c.name} ({_credibility(p, c)})",
            "bad",
        )
        for c in found
        if c.kind == "red_line"
    ]
    lines += [
        Line(
            "Sets off",
            f"{c.name} ({_credibility(p, c)}, chance {100 * c.chance:.0f}%)",
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
