"""A game in progress: one run of a scenario, with a person playing one of its states.

The session owns the engine state (a batch of one) and the month-by-month history that the
interface shows; only ``end_turn`` changes it, and only through ``game.engine.step``. Everything
else here reads. No pygame: the play window, the tests and the save files all use this module.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from game.ai import doctrine_policy
from game.engine import ATTR, State, initial_state, step, treaty_active
from game.engine.anticipation import consequences
from game.engine.commitments import RED_LINE, after_decision, update_credibility
from game.engine.legality import OPEN, move_codes
from game.engine.names import ATTRIBUTES
from game.engine.outcome import (
    classify,
    goal_standings,
    nuclear_disaster,
    objective_components,
    relative_verdict,
    score,
)
from game.play.forecast import ForecastResult
from game.play.standing import Baseline, ai_baseline
from game.sim import turn_events


@dataclass
class Month:
    """What one played month left behind, for the news feed, the timeline and the end chart."""

    turn: int  # the month that was played (0 = the scenario's first month)
    events: list[dict]
    player_move: int  # candidate index the player's state played
    peak_region: int  # highest rung among on-map pairs after the month
    peak_player: int  # highest rung of a pair involving the player after the month
    peak_all: int  # highest rung of any pair after the month
    peak_pair: list[str] = field(default_factory=list)  # the on-map pair at peak_region

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> Month:
        return cls(
            turn=int(d["turn"]),
            events=list(d["events"]),
            player_move=int(d["player_move"]),
            peak_region=int(d["peak_region"]),
            peak_player=int(d["peak_player"]),
            peak_all=int(d["peak_all"]),
            peak_pair=[str(x) for x in d.get("peak_pair", [])],
        )


def _plain(obj):
    """Events as plain JSON values (numpy scalars become Python numbers)."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


class Session:
    """One game: a scenario, the player's state, the seed, the engine state and the history."""

    def __init__(
        self,
        scenario,
        player: int,
        seed: int,
        state: State | None = None,
        history: list[Month] | None = None,
    ) -> None:
        self.scenario = scenario  # game.scenario.LoadedScenario
        self.params = scenario.params
        if not 0 <= player < self.params.n_actors:
            raise ValueError(f"no actor with index {player}")
        self.player = int(player)
        self.seed = int(seed)
        self.state = state if state is not None else initial_state(self.params, self.seed, [0])
        self.history: list[Month] = list(history or [])
        self.version = 0  # bumped on every change of state, for the interface's caches
        self._cache: dict[str, object] = {}

    # ------------------------------------------------------------------ facts
    @property
    def player_id(self) -> str:
        return self.params.actor_ids[self.player]

    @property
    def player_name(self) -> str:
        return self.params.actor_names[self.player]

    @property
    def turn(self) -> int:
        return int(self.state.turn)

    @property
    def turns(self) -> int:
        return int(self.params.turns)

    @property
    def over(self) -> bool:
        return bool(self.state.done[0]) or self.turn >= self.turns

    def date(self, turn: int | None = None) -> tuple[int, int]:
        return self.params.turn_date(self.turn if turn is None else turn)

    @property
    def rung(self) -> np.ndarray:
        return self.state.rung[0]

    @property
    def tension(self) -> np.ndarray:
        return self.state.tension[0]

    @property
    def attr(self) -> np.ndarray:
        return self.state.attr[0]

    def _memo(self, key: str, fn):
        full = (key, self.version)
        if full not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[full] = fn()
        return self._cache[full]

    def reasons(self) -> np.ndarray:
        """(C,) int8: the engine's reason code of every candidate move this month (0 = open)."""
        return self._memo(
            "reasons",
            lambda: move_codes(self.params, self.state, treaty_active(self.params, self.state))[0],
        )

    def valid(self) -> np.ndarray:
        """(C,) bool: which candidate moves are open this month."""
        return self._memo("valid", lambda: self.reasons() == OPEN)

    def active_treaties(self) -> np.ndarray:
        """(T,) bool: treaties binding this month."""
        return self._memo("active", lambda: treaty_active(self.params, self.state)[0])

    def scores(self) -> np.ndarray:
        """(A,) objective score of every state, 0-100."""
        return self._memo("scores", lambda: score(self.params, self.state)[0])

    def objectives(self) -> np.ndarray:
        """(A, 4) security, alliance, economy and peace standing of every state."""
        return self._memo("objectives", lambda: objective_components(self.params, self.state)[0])

    def goals(self, actor: int | None = None) -> list[tuple[object, float]]:
        """The goals of a state (``params.goals``, the player's by default) with their standing
        now, 0-100; empty for a state scored on its objective weights."""
        a = self.player if actor is None else actor
        now = self._memo("goals", lambda: goal_standings(self.params, self.state)[0])
        return [(g, float(now[k])) for k, g in enumerate(self.params.goals) if g.actor == a]

    def baseline(self) -> Baseline:
        """What the AI achieves for every state in this scenario: a small batch of futures
        played from the start with the AI for everyone (made once, on first use)."""
        if getattr(self, "_baseline", None) is None:
            self._baseline = _baseline_of(self.params, self.seed)
        return self._baseline

    def known_baseline(self) -> Baseline | None:
        """The AI baseline if it is made already (``baseline`` without making it)."""
        if getattr(self, "_baseline", None) is None:
            kept = _BASELINES.get((id(self.params), int(self.seed)))
            if kept is not None and kept[0] is self.params:
                self._baseline = kept[1]
        return getattr(self, "_baseline", None)

    def use_baseline(self, baseline: Baseline) -> None:
        """Take the AI baseline made elsewhere (the play window makes it off its thread)."""
        self._baseline = baseline

    def beaten(self, actor: int | None = None) -> float:
        """Share of the AI's futures, at this month, that the state's score beats."""
        a = self.player if actor is None else actor
        return float(self.baseline().share(self.turn, a, float(self.scores()[a])))

    def disaster(self, actor: int | None = None) -> bool:
        """A nuclear weapon was used by or against the state."""
        a = self.player if actor is None else actor
        return bool(nuclear_disaster(self.params, self.state, a)[0])

    def verdict(self, actor: int | None = None) -> str:
        """The word for the state's result: where its score stands against what the AI
        achieves for it at this month, or a disaster after nuclear use by or against it."""
        a = self.player if actor is None else actor
        pos = self.baseline().position(self.turn, a, float(self.scores()[a]))
        return relative_verdict(float(pos), self.disaster(a))

    def outcome(self) -> tuple[str, str]:
        """(name, description) of the outcome the game stands at now (``classify``)."""
        spec = self.params.outcomes[
            self._memo("outcome", lambda: int(classify(self.params, self.state)[0]))
        ]
        return spec.name, spec.description

    def heading(self, forecast: ForecastResult | None = None) -> str:
        """Where the game is heading, in words: with a forecast of this month, the outcome most
        of its futures end in and their share; without one, the outcome the game would have if
        it ended now; once it is over, the outcome it ended in."""
        if self.over:
            return f"Ended in: {self.outcome()[0]}"
        if forecast is not None and forecast.start_turn == self.turn:
            name, share = forecast.heading(self.params)
            return f"Heading for: {name} ({round(100 * share)}%)"
        return f"If it ended now: {self.outcome()[0]}"

    def posture(self, actor: int) -> tuple[int, int]:
        """(highest rung of any pair the actor is in, the other actor of that pair)."""
        row = self.rung[actor].copy()
        row[actor] = -1
        other = int(np.argmax(row))
        return int(row[other]), other

    def arsenal(self, actor: int) -> float:
        return float(self.attr[actor, ATTR["warheads"]] * self.attr[actor, ATTR["delivery"]])

    def region_peak(self) -> tuple[int, tuple[int, int]]:
        """Highest rung among on-map pairs now, and the pair."""
        return _region_peak(self.params, self.rung)

    def player_candidates(self) -> range:
        s = self.params.actor_cand_start
        return range(int(s[self.player]), int(s[self.player + 1]))

    def hold_candidate(self) -> int:
        for c in self.player_candidates():
            if int(self.params.cand_action[c]) < 0:
                return c
        return int(self.params.actor_cand_start[self.player])

    def last_month(self) -> Month | None:
        return self.history[-1] if self.history else None

    # ----------------------------------------------------------------- change
    def decisions(self) -> list[Decision]:
        """The player's commitments that were triggered and await an answer: honour or decline.

        The engine asks and waits; the AI never answers for the player's state. An unanswered
        decision stays open (the ally has not made up its mind) and is asked again."""
        com, st, p = self.params.commit, self.state, self.params
        out = []
        for n, o in zip(*np.nonzero(st.pending[0])):
            n, o = int(n), int(o)
            c = float(st.cred[0, n])
            honoured = float(after_decision(com, c, True))
            declined = float(after_decision(com, c, False))
            by, party = p.actor_names[com.by[n]], p.actor_names[com.party[n]]
            if com.kind[n] == RED_LINE:
                question = f"{party} has crossed {by}'s red line ({com.names[n]}). Answer it?"
                honour = (
                    f"{by} raises its stand against {party} to "
                    f"{p.rung_names[com.response[n]]}; credibility {c:.0%} -> {honoured:.0%}."
                )
                decline = f"No answer: credibility {c:.0%} -> {declined:.0%}."
            else:
                question = (
                    f"{party} is under armed attack by {p.actor_names[o]}. Honour "
                    f"{com.names[n]} and come to its aid?"
                )
                enemy = p.actor_names[o]
                now, fighting = self._answer_rung(n, o)
                if fighting:
                    honour = f"{by}, already at {p.rung_names[now]} with {enemy}, fights it for "
                    honour += f"{party} too"
                    stand = f"{by} leaves {party} to it (its own fight with {enemy} goes on as "
                    stand += "it stands)"
                else:
                    honour = f"{by} enters the conflict against {enemy} ({p.rung_names[now]})"
                    stand = f"{by} stays out"
                honour += f"; credibility {c:.0%} -> {honoured:.0%}."
                decline = (
                    f"{stand}: credibility {c:.0%} -> {declined:.0%}, tension with "
                    f"{party} +{com.decline_tension:.0f}, and its other pledges lose standing."
                )
            risk, cascade = self._honour_sets_off(n, o)
            out.append(
                Decision(n, o, question, honour, decline, c, risk, cascade, self._standing(n))
            )
        return out

    def _answer_rung(self, n: int, o: int) -> tuple[int, bool]:
        """(rung, already) of honouring pledge ``n`` against ``o``: the rung the committed
        state and ``o`` stand on after the answer (its response, or higher where they stand
        higher already), and whether they already stand at or above the response (the answer
        takes them no higher: the ally already fights the attacker)."""
        com = self.params.commit
        now, response = int(self.state.rung[0, com.by[n], o]), int(com.response[n])
        return max(now, response), now >= response

    def _honour_sets_off(self, n: int, o: int) -> tuple[str, str]:
        """What honouring commitment ``n`` against ``o`` risks, as the engine reads it: the
        rung the answer takes the pair to, and the pledges of ``o``'s allies that such a move
        would set off (``game.engine.anticipation.consequences``, with their chance)."""
        p, com = self.params, self.params.commit
        by = int(com.by[n])
        rung, fighting = self._answer_rung(n, o)
        stay = " stay" if fighting else ""
        risk = f"{p.actor_names[by]} and {p.actor_names[o]}{stay} at {p.rung_names[rung]}"
        if rung >= p.thresholds["war"]:
            risk += " (war)"
        hostile = [
            k
            for k in range(len(p.action_ids))
            if p.action_hostility[k] > 0 and 0 <= p.action_rung[k] <= rung
        ]
        if not hostile:
            return risk, ""
        k = max(hostile, key=lambda k: (int(p.action_rung[k]), bool(p.action_attack[k])))
        found = consequences(p, self.state, self.active_treaties()[None], 0, by, k, o)
        cascade = "; ".join(
            f"{p.actor_names[c.by]}: {c.name} ({c.chance:.0%})"
            for c in found
            if c.by not in (by, o)
        )
        return risk, cascade

    def _standing(self, n: int) -> str:
        """What declining ``n`` costs the committed state's other pledges, by the engine's rule
        (``update_credibility``): each one's credibility now and after."""
        com = self.params.commit
        cred = self.state.cred.copy()
        update_credibility(com, cred, np.array([0]), np.array([n]), np.array([False]))
        moved = [
            f"{com.names[m]} {self.state.cred[0, m]:.0%}\u2192{cred[0, m]:.0%}"
            for m in range(com.n)
            if m != n and abs(cred[0, m] - self.state.cred[0, m]) >= 0.005
        ]
        return ", ".join(moved[:3])

    def dilemmas(self) -> list[DilemmaAsked]:
        """The dilemmas posed to the player's state this month (``game.engine.dilemmas``), each
        with its options and what each does. Left unanswered, a dilemma stands and is asked
        again while its condition holds."""
        from game.engine.context import Context
        from game.engine.dilemmas import choice_odds, posed, standing_lines
        from game.play.rules import crossed_line_words

        p = self.params
        if not p.dilemmas:
            return []
        now = self._memo("dilemmas", lambda: posed(p, self.state, Context(p, self.state))[0])
        out = []
        for d, dl in enumerate(p.dilemmas):
            if dl.actor != self.player or not now[d]:
                continue
            effects = [effect_words(p, p.events[e].effects) for e in dl.events]
            # An option that amounts to a move a red line stands against crosses it.
            for k, lines in enumerate(dl.lines):
                crossed = standing_lines(p, lines, self.state.turn)
                if crossed:
                    words = "; ".join(crossed_line_words(self, n) for n in crossed)
                    effects[k] = f"{effects[k]}; {words}" if effects[k] else words
            odds = choice_odds(p, self.state, d, np.arange(1), self.active_treaties()[None])[0]
            out.append(
                DilemmaAsked(
                    d,
                    dl.name,
                    dl.question,
                    list(dl.labels),
                    list(dl.says),
                    effects,
                    [float(x) for x in odds],
                )
            )
        return out

    def end_turn(
        self,
        cand: int | None = None,
        answers: dict | None = None,
        ai_decides: bool = False,
        choices: dict | None = None,
    ) -> Month:
        """Play the month: the player's state makes move ``cand`` (None: the AI chooses for it);
        every other state's AI chooses its own. ``answers`` maps (commitment, counterpart) of
        :meth:`decisions` to True (honour) or False (decline); with ``ai_decides`` the AI takes
        every decision for the player's state too. ``choices`` maps a dilemma of
        :meth:`dilemmas` to the index of the option chosen. Returns what happened."""
        if self.over:
            raise RuntimeError("the game is over")
        p = self.params
        fixed = np.full((1, p.n_actors), -1, dtype=np.int64)
        if cand is not None:
            cand = int(cand)
            if cand not in self.player_candidates():
                raise ValueError(f"candidate {cand} is not a move of {self.player_id}")
            fixed[0, self.player] = cand
        # The player's state is asked about its triggered commitments, unless the AI plays the
        # month for it (autoplay): then the AI decides them as it does for every other state.
        asked = np.zeros(p.n_actors, dtype=bool)
        asked[self.player] = not ai_decides
        reply = np.full((1, p.commit.n, p.n_actors), -1, dtype=np.int8)
        for (n, o), yes in (answers or {}).items():
            if not self.state.pending[0, n, o]:
                raise ValueError(f"no decision is awaited on commitment {n} against {o}")
            reply[0, n, o] = 1 if yes else 0
        picked = np.full((1, len(p.dilemmas)), -1, dtype=np.int64)
        for d, k in (choices or {}).items():
            if not 0 <= int(k) < len(p.dilemmas[int(d)].events):
                raise ValueError(f"dilemma {d} has no option {k}")
            picked[0, int(d)] = int(k)
        new, rec = step(
            p, self.state, doctrine_policy, fixed, asked=asked, answers=reply, choices=picked
        )
        events = _plain(turn_events(p, rec, 0))
        rung = new.rung[0]
        peak_region, (i, j) = _region_peak(p, rung)
        mine = np.delete(rung[self.player], self.player)
        month = Month(
            turn=int(self.state.turn),
            events=events,
            player_move=int(rec.moves[0, self.player]),
            peak_region=peak_region,
            peak_player=int(mine.max()) if mine.size else 0,
            peak_all=int(rung.max()),
            peak_pair=[p.actor_ids[i], p.actor_ids[j]],
        )
        self.state = new
        self.history.append(month)
        self.version += 1
        return month


@dataclass(frozen=True)
class DilemmaAsked:
    """A dilemma posed to the player's state: the question and its options."""

    index: int  # into params.dilemmas
    name: str
    question: str
    labels: list[str]
    says: list[str]  # what each option does, in the scenario's words
    effects: list[str]  # what each option does, from its effects
    # The chance the AI would take each option for the state this month (it weighs what each
    # would do: game.engine.dilemmas.option_values); a player's choice is its own.
    ai_odds: list[float]


def effect_words(params, effects: list[dict]) -> str:
    """A compiled event's effects in words ("tension Russia-South Korea +15")."""
    n = params.actor_names
    out = []
    for ef in effects:
        k = ef["kind"]
        if k == "tension":
            i, j = ef["pair"]
            pair = f"{n[i]}\u2013{n[j]}"
            if "add" in ef:
                out.append(f"tension {pair} {ef['add']:+g}")
            if "set" in ef:
                out.append(f"tension {pair} to {ef['set']:g}")
            if "baseline_add" in ef:
                out.append(f"lasting tension {pair} {ef['baseline_add']:+g}")
            if "baseline" in ef:
                out.append(f"lasting tension {pair} to {ef['baseline']:g}")
        elif k == "rung":
            i, j = ef["pair"]
            r = ef.get("raise", ef.get("set"))
            out.append(f"{n[i]}\u2013{n[j]} to {params.rung_names[r]}")
        elif k == "attack":
            out.append(f"{n[ef['by']]} attacks {n[ef['on']]}")
        elif k == "attr":
            name = ATTRIBUTES[ef["attr"]]
            for op, fmt in (("add", "{:+g}"), ("mul", "\u00d7{:g}"), ("set", "to {:g}")):
                if op in ef:
                    out.append(f"{n[ef['actor']]} {name} {fmt.format(ef[op])}")
        elif k == "treaty":
            out.append(f"{params.treaty_names[ef['treaty']]}: {ef['to']}")
    return "; ".join(out)


@dataclass(frozen=True)
class Decision:
    """A commitment of the player's state that was triggered and awaits its answer."""

    commitment: int  # index into params.commit
    against: int  # the counterpart (the attacker, or the state that crossed a red line)
    question: str
    honour: str  # what honouring does
    decline: str  # what declining does
    credibility: float
    risk: str = ""  # where honouring takes the committed state and the counterpart
    cascade: str = ""  # the counterpart's allies' pledges honouring may set off, with chances
    standing: str = ""  # the committed state's other pledges' credibility after a decline


_BASELINES: dict[tuple[int, int], tuple[object, Baseline]] = {}


def _baseline_of(params, seed: int) -> Baseline:
    """The AI baseline of a scenario and seed, kept for the few games played in a window."""
    key = (id(params), int(seed))
    kept = _BASELINES.get(key)
    if kept is None or kept[0] is not params:
        if len(_BASELINES) >= 4:
            _BASELINES.pop(next(iter(_BASELINES)))
        kept = _BASELINES[key] = (params, ai_baseline(params, seed))
    return kept[1]


def _region_peak(params, rung: np.ndarray) -> tuple[int, tuple[int, int]]:
    """Highest rung among on-map pairs of an (A, A) ladder, and the pair."""
    r = np.where(params.regional_pair_mask, rung, -1)
    i, j = divmod(int(np.argmax(r)), params.n_actors)
    return int(max(r[i, j], 0)), (i, j)


def pick_player(params, wanted: str | None, default: str | None) -> int:
    """Index of the actor called ``wanted`` (or the scenario's default, or the first)."""
    ids = [a.upper() for a in params.actor_ids]
    if wanted:
        if wanted.upper() not in ids:
            raise KeyError(wanted)
        return ids.index(wanted.upper())
    if default and default.upper() in ids:
        return ids.index(default.upper())
    return 0
