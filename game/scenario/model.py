"""The scenario format as pydantic models: types, ranges and defaults of every key.

The same models drive validation, the JSON Schema (``pact schema``) and the format reference in
``scenarios/README.md`` (see :mod:`game.scenario.reference`), so every field carries a
description. Types are strict, as TOML has real types: ``"36"`` is not a number and ``1`` is not
``true``. Cross-references between tables (actor ids, rung ids, treaty ids...) are checked
afterwards in :mod:`game.scenario.check`, where the whole file is known.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from game.engine.names import (
    ACTION_CATEGORIES,
    ATTRIBUTES,
    CLAUSE_KINDS,
    NEEDS,
    OBJECTIVES,
    TARGET_KINDS,
)

ID = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,47}$",
        description="An identifier: a letter, then letters, digits, '_' or '-' (at most 48).",
    ),
]
ActorId = Annotated[
    str,
    Field(
        pattern=r"^[A-Z][A-Z0-9_]{1,7}$",
        description="An actor id: 2-8 capitals or digits, e.g. 'PRK'.",
    ),
]
_CONTROL_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x0A: "a line break", 0x09: "a tab"}


def _no_control(allowed: str):
    """A check refusing control characters (NUL, ESC...) in text shown to players and printed
    on terminals, except those in ``allowed``."""

    def check(value: str) -> str:
        for ch in value:
            if ch not in allowed and (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0):
                what = _CONTROL_NAMES.get(ord(ch), f"U+{ord(ch):04X}")
                raise ValueError(f"control character {what} is not allowed in text")
        return value

    return AfterValidator(check)


Text = Annotated[str, Field(max_length=2000), _no_control("\n\t")]
Name = Annotated[str, Field(min_length=1, max_length=120), _no_control("")]
Expression = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2000,
        description="A condition in the scenario expression language, e.g. "
        "'rung(PRK, KOR) >= armed_clash and turn >= 3'.",
    ),
]
Change = Annotated[float, Field(ge=-1000, le=1000)]
Bonus = Annotated[float, Field(ge=-20, le=20)]

_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def parse_date(value) -> _dt.date:
    """A date from 'YYYY-MM', 'YYYY-MM-DD' or a TOML date; the day defaults to the 1st."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("a date is written 'YYYY-MM' or 'YYYY-MM-DD'")
    m = _MONTH.match(value.strip())
    if not m:
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise ValueError(f"'{shown}' is not a date: write 'YYYY-MM' or 'YYYY-MM-DD'")
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    if not 1 <= y <= 9999:
        raise ValueError(f"'{value}' is not a valid date (year out of range)")
    try:
        return _dt.date(y, mo, d)
    except ValueError as e:
        raise ValueError(f"'{value}' is not a valid date ({e})") from None


DateStr = Annotated[
    _dt.date,
    Field(
        description="A date: 'YYYY-MM' or 'YYYY-MM-DD' (a TOML date works too).",
        json_schema_extra={"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"},
    ),
]


class Strict(BaseModel):
    """Unknown keys are errors, never silently ignored; numbers must be finite."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, strict=True, allow_inf_nan=False
    )


class Meta(Strict):
    """The [scenario] table: what the scenario is and when it starts."""

    id: ID = Field(description="Short id of the scenario, e.g. 'treaty-2024'.")
    name: Name = Field(description="Title shown to players and in reports.")
    description: Text = Field(
        "", description="One paragraph: the question it answers (its first sentence is listed)."
    )
    start: DateStr = Field(description="First month played (turn 0), e.g. '2024-07'.")
    turns: int = Field(
        36, ge=1, le=600, description="Months played by default (one turn = one month)."
    )
    default_player: ActorId | None = Field(None, description="Actor a player takes by default.")

    @field_validator("start", mode="before")
    @classmethod
    def _date(cls, v):
        return parse_date(v)


class Rung(Strict):
    """A rung of the escalation ladder (listed from the lowest to the highest)."""

    id: ID = Field(description="Id used by thresholds, actions, clauses, events and conditions.")
    name: Name = Field(description="Name shown in logs and on the map.")
    group: Annotated[str, Field(max_length=120), _no_control("")] = Field(
        "", description="Group of rungs, in the spirit of Kahn's ladder."
    )
    up: float | None = Field(
        None,
        ge=0,
        le=100,
        description="Tension (0-100) at which a pair drifts up into this rung from the one below; "
        "omit for rungs reached only by moves, incidents, events or treaty responses.",
    )
    down: float = Field(
        0.0,
        ge=0,
        le=100,
        description="Tension (0-100) below which a pair drifts down out of it, one rung a month "
        "(0: never drifts down).",
    )


class Ladder(Strict):
    """The escalation ladder and its named thresholds."""

    rungs: list[Rung] = Field(
        min_length=3, max_length=64, description="The rungs, from the lowest to the highest."
    )
    thresholds: dict[ID, ID] = Field(
        description="Named thresholds -> rung id. Required: armed_clash, war, nuclear_use, "
        "general_nuclear_war; 'threat' is the default consultation trigger; others may be "
        "added and used in conditions."
    )


class Doctrine(Strict):
    """How an actor's AI weighs its moves (1.0 is an ordinary state)."""

    aggression: float = Field(
        1.0, ge=0, le=5, description="Appetite for hostile moves as tension rises."
    )
    caution: float = Field(
        1.0, ge=0, le=5, description="How much deterrence and big jumps up the ladder hold it back."
    )
    reciprocity: float = Field(
        1.0, ge=0, le=5, description="How strongly it answers last month's hostile moves."
    )
    loyalty: float = Field(
        1.0, ge=0, le=5, description="How readily it stands by threatened partners."
    )
    passivity: float = Field(
        1.0, ge=-10, le=10, description="Appeal of holding its position (doing nothing)."
    )
    temperature: float = Field(
        1.0, gt=0.01, le=20, description="Randomness of its choice: higher explores more."
    )
    rivals: list[ActorId] = Field(
        default_factory=list,
        max_length=24,
        description="Actors it opposes: targets of hostile moves.",
    )
    partners: list[ActorId] = Field(
        default_factory=list,
        max_length=24,
        description="Actors it supports: targets of cooperative moves.",
    )
    prefer: dict[ID, Bonus] = Field(
        default_factory=dict,
        description="Extra appeal of named actions (action id -> bonus from -20 to 20, may be negative).",
    )
    avoid: list[ID] = Field(
        default_factory=list,
        max_length=128,
        description="Actions the state never takes: they leave its repertoire, for a player "
        "leading it too (the move list shows them closed, 'not in repertoire').",
    )
    prefer_toward: dict[ActorId, dict[ID, Bonus]] = Field(
        default_factory=dict,
        description="Extra appeal of actions aimed at one target, added to 'prefer' "
        "(target id -> {action id -> bonus}), e.g. { UKR = { arms_supply = 2.0 } }.",
    )
    repertoire: list[ID] | None = Field(
        None,
        max_length=128,
        description="The only actions this state may take (omit: the whole catalogue but "
        "'avoid'); a repertoire written for one state, e.g. for a state added by a variant.",
    )
    avoid_toward: dict[ActorId, list[ID]] = Field(
        default_factory=dict,
        description="Actions the state never aims at one target (target id -> [action ids]), "
        "a player leading it included (the move list shows them ruled out by its doctrine).",
    )
    stickiness: float = Field(
        1.0,
        ge=0,
        le=5,
        description="How steadily it keeps the line it pursues toward a counterpart (its "
        "stance): the weight of the line in its scores, and how much it takes to change it.",
    )


class Objectives(Strict):
    """Weights of the actor's score (they need not sum to 1)."""

    security: float = Field(
        1.0, ge=0, le=10, description="Weight of distance from its rivals up the ladder."
    )
    alliance: float = Field(
        1.0, ge=0, le=10, description="Weight of allies honouring their assistance clauses."
    )
    economy: float = Field(1.0, ge=0, le=10, description="Weight of its economy index.")
    peace: float = Field(
        1.0, ge=0, le=10, description="Weight of avoiding new wars and nuclear use."
    )


class Actor(Strict):
    """A state: its attributes (each number with its source in a comment) and doctrine."""

    id: ActorId = Field(description="Id used everywhere else in the file, e.g. 'PRK'.")
    name: Name = Field(description="Name shown to players, e.g. 'North Korea'.")
    on_map: bool = Field(
        True, description="False for theatres off the Northeast Asian map (Ukraine)."
    )
    bloc: Literal["west", "east", "neutral"] = Field("neutral", description="Colouring on the map.")
    military: float = Field(ge=0, le=1000, description="Conventional strength index (USA = 100).")
    warheads: int = Field(
        0, ge=0, le=100000, description="Nuclear warheads in the military stockpile."
    )
    delivery: float = Field(
        0.0, ge=0, le=1, description="Delivery capability, 0-1 (ICBM, SLBM reach)."
    )
    economy: float = Field(100.0, ge=0, le=1000, description="Economy index, 100 = the start.")
    stability: float = Field(70.0, ge=0, le=100, description="Domestic stability, 0-100.")
    readiness: float = Field(30.0, ge=0, le=100, description="Military readiness, 0-100.")
    resolve: float = Field(0.5, ge=0, le=1, description="Willingness to bear costs, 0-1.")
    doctrine: Doctrine = Field(
        default_factory=Doctrine, description="Its AI's doctrine ([actors.doctrine])."
    )
    objectives: Objectives = Field(default_factory=Objectives, description="Weights of its score.")


class Theatre(Strict):
    """A place where fighting happens: the territory of the states that lie in it, or the sea."""

    id: ID = Field(description="Id used by clauses, flashpoints and relations, e.g. 'peninsula'.")
    name: Name = Field(description="Name shown in logs and reports, e.g. 'Korean Peninsula'.")
    on_map: bool = Field(
        True,
        description="False for theatres off the Northeast Asian map (Ukraine and Kursk): war and "
        "nuclear use there are reported apart.",
    )
    territory: list[ActorId] = Field(
        default_factory=list,
        max_length=24,
        description="States whose territory lies in it (none: the open sea or air). An attack on "
        "a state happens in the theatre of its territory it shares with the attacker, else in "
        "the first theatre that lists it.",
    )


class Flashpoint(Strict):
    """Random incidents on a pair whose odds rise with tension (miscalculation)."""

    name: Name = Field("incident", description="Name of the incident in logs, e.g. 'DMZ incident'.")
    base: float = Field(0.0, ge=0, le=1, description="Monthly probability at zero tension.")
    slope: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Probability added at tension 100 (grows with tension squared).",
    )
    serious: float = Field(
        0.2, ge=0, le=1, description="Share of incidents that are armed clashes."
    )
    rung: ID | None = Field(
        None,
        description="Rung a serious incident raises the pair to (default: threshold armed_clash).",
    )
    tension: float = Field(6.0, ge=-100, le=100, description="Tension an incident adds.")
    theatre: ID | None = Field(
        None,
        description="Theatre where its incidents happen, e.g. 'at_sea' (default: where the "
        "starter would attack the other side).",
    )


class Relation(Strict):
    """The starting state of a pair of actors (unlisted pairs use [defaults])."""

    pair: list[ActorId] = Field(
        min_length=2,
        max_length=2,
        description="The two actors, e.g. ['PRK', 'KOR'] (order does not matter).",
    )
    tension: float = Field(ge=0, le=100, description="Starting tension, 0-100.")
    rung: ID | None = Field(None, description="Starting rung (default: the lowest rung).")
    baseline: float | None = Field(
        None, ge=0, le=100, description="Tension it relaxes toward (default: the starting tension)."
    )
    aggressor: ActorId | None = Field(
        None, description="If the pair starts in an armed conflict: who attacked."
    )
    engaged: list[ActorId] = Field(
        default_factory=list,
        max_length=16,
        description="Allies already fighting beside the attacked side when the scenario opens: "
        "their assistance clauses against the aggressor count as already honoured.",
    )
    flashpoint: Flashpoint | None = Field(
        None, description="Random incidents on this pair (omit: none)."
    )
    stances: dict[ActorId, Literal["wait", "detente", "deterrence", "coercion"]] = Field(
        default_factory=dict,
        description="The line a state of the pair pursues toward the other when the scenario "
        "opens, where the record shows one (actor id -> wait, detente, deterrence or "
        "coercion; omit: by the rules of game.engine.stance).",
    )


class Defaults(Strict):
    """Pairs not listed in [[relations]], and how tension relaxes."""

    tension: float = Field(
        20.0, ge=0, le=100, description="Tension of pairs not listed in [[relations]]."
    )
    decay: float = Field(
        0.08, ge=0, le=1, description="Share of the gap to baseline tension closed each month."
    )


ClauseKind = Literal[CLAUSE_KINDS]


class Clause(Strict):
    """A clause of a treaty: a trigger and a response."""

    id: ID = Field(
        description="Id within the treaty; conditions name it treaty.clause, e.g. invoked(rus_prk_2024.art4)."
    )
    kind: ClauseKind = Field(
        description="consultation (consult when a party is threatened), assistance (come to the "
        "aid of a party under armed attack), no_hostile_alliance, tech_cooperation (opens "
        "actions that need 'tech_clause'), oppose_sanctions (halves sanctions on a party)."
    )
    article: Name = Field(description="Where it stands in the treaty text, e.g. 'Art. 4'.")
    summary: Text = Field("", description="What the clause says, in a sentence.")
    trigger: ID | None = Field(
        None,
        description="Rung of the party's pair with an outsider that triggers it (consultation: "
        "the threat rung; assistance: the armed-attack rung). Defaults: threshold 'threat' or "
        "'armed_clash'.",
    )
    delay: int = Field(0, ge=0, le=36, description="Months from trigger to response (assistance).")
    credibility: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Starting credibility of an assistance pledge, 0-1: the ally's disposition "
        "to honour it, which then moves with conduct (see [commitments]).",
    )
    response: ID | None = Field(
        None,
        description="Rung the ally moves to against the attacker (assistance; default: threshold war).",
    )
    tension: float = Field(
        5.0,
        ge=-100,
        le=100,
        description="Tension added between the responding ally and the counterpart.",
    )
    readiness: float = Field(
        5.0, ge=0, le=100, description="Readiness the parties gain on consultation."
    )
    coordination: int = Field(
        3, ge=0, le=36, description="Months the ally coordinates its moves against the counterpart."
    )
    covers: list[ActorId] | None = Field(
        None,
        max_length=16,
        description="Parties whose threat or attack triggers the clause (default: every party). "
        "US-Japan Art. V, for instance, covers attacks on Japan's territory only.",
    )
    credibility_by: dict[ActorId, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=dict,
        description="Credibility of each responding party in a treaty of more than two "
        "(party id -> 0-1), e.g. { JPN = 0.4 }; parties not listed use 'credibility' "
        "(assistance).",
    )
    delay_by: dict[ActorId, Annotated[int, Field(ge=0, le=36)]] = Field(
        default_factory=dict,
        description="Months each responding party takes (party id -> months), e.g. "
        "{ JPN = 3 }; parties not listed use 'delay' (assistance).",
    )
    attackers: Literal["any", "on_map"] = Field(
        "any",
        description="Whose threats or attacks trigger the clause: any actor, or only actors on "
        "the map (a threat to the party's own region, not a fight with its forces abroad).",
    )
    theatres: list[ID] | None = Field(
        None,
        max_length=32,
        description="Theatres in which an armed attack on the party sets off an assistance "
        "clause (default: anywhere). US-Japan Art. V, for instance: 'territories under the "
        "administration of Japan'.",
    )


class Treaty(Strict):
    """A treaty or commitment between two or more actors, and its clauses."""

    id: ID = Field(
        description="Id used by replaces, treaty effects and conditions, e.g. in_force(rus_prk_2024)."
    )
    name: Name = Field(description="Full name shown in logs.")
    parties: list[ActorId] = Field(
        min_length=2, max_length=16, description="The actors bound by it."
    )
    signed: DateStr = Field(description="Date of signature.")
    in_force: DateStr | None = Field(None, description="Entry into force (default: signed).")
    lapses: DateStr | None = Field(
        None, description="First day it no longer binds (omit: indefinite)."
    )
    replaces: ID | None = Field(
        None, description="Treaty it replaces: that one lapses when this one enters into force."
    )
    source: Text = Field("", description="Where the dates and wording come from.")
    clauses: list[Clause] = Field(
        default_factory=list, max_length=32, description="Its clauses ([[treaties.clauses]])."
    )

    @field_validator("signed", "in_force", "lapses", mode="before")
    @classmethod
    def _date(cls, v):
        return None if v is None else parse_date(v)


class Opens(Strict):
    """A move a commitment's response makes more likely for the committer for a while."""

    action: ID = Field(description="Action id, e.g. 'tech_transfer'.")
    target: ActorId = Field(description="Its target, e.g. 'PRK'.")


class RedLine(Strict):
    """A declared red line: a commitment toward adversaries to answer a named move.

    Like an assistance clause it has a trigger, a response, a delay and a credibility that
    moves with conduct; every state weighs it before making the move (see Commitments).
    """

    id: ID = Field(description="Id in logs and reports, e.g. 'putin_warning_2024'.")
    name: Name = Field(description="Short name shown in logs and on the map.")
    by: ActorId = Field(description="The state that declared it and would answer.")
    toward: list[ActorId] = Field(
        min_length=1, max_length=16, description="The states warned: each is watched separately."
    )
    action: ID = Field(description="The move that crosses it, e.g. 'arms_supply'.")
    target: ActorId | None = Field(
        None, description="The move's target that crosses it, e.g. 'UKR' (omit: any target)."
    )
    declared: DateStr | None = Field(
        None, description="When it was declared (omit: it stands when the scenario opens)."
    )
    lapses: DateStr | None = Field(None, description="First day it no longer stands.")
    credibility: float = Field(
        0.7, ge=0, le=1, description="Starting credibility: how likely the answer is, 0-1."
    )
    delay: int = Field(0, ge=0, le=36, description="Months from the crossing to the answer.")
    response: ID | None = Field(
        None,
        description="Rung the declaring state raises its pair with the violator to (default: "
        "threshold 'threat').",
    )
    tension: float = Field(
        10.0,
        ge=-100,
        le=100,
        description="Tension added between the declaring state and the violator.",
    )
    opens: list[Opens] = Field(
        default_factory=list,
        max_length=16,
        description="Moves the answer makes likelier for the declaring state, e.g. "
        "[{ action = 'tech_transfer', target = 'PRK' }].",
    )
    opens_months: int = Field(
        12, ge=0, le=120, description="Months those moves stay likelier after the answer."
    )
    source: Text = Field("", description="Where the warning comes from.")

    @field_validator("declared", "lapses", mode="before")
    @classmethod
    def _date(cls, v):
        return None if v is None else parse_date(v)


class CommitmentRules(Strict):
    """How the credibility of commitments (assistance clauses and red lines) moves with conduct.

    Each commitment starts at its scenario credibility; each run then keeps its own value.
    """

    honour_gain: float = Field(
        0.15, ge=0, le=1, description="Share of the gap to 1 closed when the pledge is honoured."
    )
    decline_loss: float = Field(
        0.5, ge=0, le=1, description="Share of its credibility a commitment loses when declined."
    )
    decline_tension: float = Field(
        15.0, ge=0, le=100, description="Tension added between the party let down and the ally."
    )
    reputation: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Share of a gain or loss passed on to the committer's other commitments.",
    )
    consult_gain: float = Field(
        0.02, ge=0, le=1, description="Gain of the ally's pledge each time the allies consult."
    )
    exercise_gain: float = Field(
        0.02,
        ge=0,
        le=1,
        description="Gain of the ally's pledge when it makes an 'exercise_actions' move against "
        "a state threatening the party.",
    )
    exercise_actions: list[ID] | None = Field(
        None,
        max_length=16,
        description="Actions that count as standing by a threatened party (omit: the action "
        "'exercise' if the scenario has one).",
    )
    overstretch: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Share of credibility lost per war the committer already fights elsewhere.",
    )
    recovery: float = Field(
        0.01, ge=0, le=1, description="Share of the gap to the starting value closed each month."
    )
    entrapment: float = Field(
        1.0,
        ge=0,
        le=20,
        description="Tension a protected party's hostile move adds with each ally pledged to "
        "defend it (x hostility x the pledge's credibility): allies fear being dragged in.",
    )
    defence_is_attack: bool = Field(
        False,
        description="True: an ally's defensive entry under an assistance clause counts as a "
        "new armed attack on the attacker, setting off the attacker's allies' clauses - the "
        "runaway cascade the treaties' words do not give (for comparisons). False: the entry "
        "answers the attack; only strikes on a state's territory are armed attacks on it.",
    )


class NuclearRules(Strict):
    """The top of the ladder: nuclear alert in wars between nuclear powers, and the world's
    answer to nuclear use (game.engine.nuclear). Zeros and omitted rungs switch parts off."""

    alert_base: float = Field(
        0.0,
        ge=0,
        le=10,
        description="Monthly hazard that a war between two nuclear-armed states climbs to "
        "'alert_rung', at tension 100 (it grows with tension squared). 0: never by itself.",
    )
    alert_territory: float = Field(
        0.0,
        ge=0,
        le=20,
        description="How much more likely when the war is fought on either state's own "
        "territory (the hazard is multiplied by 1 + this).",
    )
    alert_rung: ID | None = Field(
        None,
        description="The rung such a war climbs to (default: the rung below threshold nuclear_use).",
    )
    world_tension: float = Field(
        0.0,
        ge=0,
        le=100,
        description="Tension every other state adds with a state that uses nuclear weapons.",
    )
    reaction_alert: ID | None = Field(
        None,
        description="Rung the other nuclear powers (not its partners) go to against the user "
        "(omit: none).",
    )
    reaction_sanctions: ID | None = Field(
        None,
        description="Rung the user's non-partners raise their pair with it to (omit: none).",
    )
    sanction_economy: float = Field(
        0.0, ge=0, le=100, description="Economy points the user loses to the world's sanctions."
    )
    partner_break: float = Field(
        0.0,
        ge=0,
        le=100,
        description="Tension added to the baseline between the user and each of its partners: "
        "partnerships break.",
    )


AttrName = Literal[ATTRIBUTES]
Need = Literal[NEEDS]
Category = Literal[ACTION_CATEGORIES]
TargetKind = Literal[TARGET_KINDS]


class Action(Strict):
    """A move in the catalogue shared by players and the AI."""

    id: ID = Field(description="Id used by doctrines (prefer, avoid).")
    name: Name = Field(description="Name shown in menus and logs.")
    category: Category = Field(description="Menu it appears in.")
    target: TargetKind = Field(
        "rival", description="Who it may be aimed at, from the mover's doctrine."
    )
    hostility: float = Field(ge=-1, le=1, description="-1 most cooperative .. +1 most hostile.")
    rung: ID | None = Field(None, description="Rung the pair is raised to at least.")
    tension: float = Field(0.0, ge=-100, le=100, description="Tension change on the pair.")
    attack: bool = Field(
        False, description="An armed attack on the target (triggers assistance clauses)."
    )
    sanction: bool = Field(False, description="A sanction (opposed by oppose_sanctions clauses).")
    self_effects: dict[AttrName, Change] = Field(
        default_factory=dict, description="Attribute changes of the mover, e.g. { readiness = 4 }."
    )
    target_effects: dict[AttrName, Change] = Field(
        default_factory=dict,
        description="Attribute changes of the target, e.g. { economy = -1.0 }.",
    )
    spill_tension: float = Field(
        0.0,
        ge=-100,
        le=100,
        description="Tension with the target's enemies at war (arming one side).",
    )
    spill_rung: ID | None = Field(
        None, description="Rung the mover's pair with those enemies is raised to."
    )
    spill_at: ID | None = Field(
        None,
        description="How far the target's pair with a third actor must stand for the spill-over "
        "to reach that actor (default: the 'threat' threshold, else 'war'); e.g. "
        "conventional_war so that troops sent to a war only engage the side being fought.",
    )
    actors: list[ActorId] | None = Field(
        None,
        max_length=24,
        description="The only states that may take it, players and AI alike (omit: every "
        "state), e.g. ['TWN'] for a move that is one state's own.",
    )
    min_rung: ID | None = Field(None, description="Lowest rung of the pair at which it is open.")
    max_rung: ID | None = Field(None, description="Highest rung of the pair at which it is open.")
    needs: list[Need] = Field(
        default_factory=list,
        max_length=7,
        description="Preconditions: nuclear (the mover has a deliverable arsenal), tech_clause (a "
        "defence-technology clause binds mover and target), at_war / not_at_war (the pair), "
        "target_threatened (the target faces a threat from someone), target_at_war, attacked "
        "(the target's armed attack on the mover is under way).",
    )
    base: float = Field(0.0, ge=-20, le=20, description="Base appeal to the AI.")
    headline: Text = Field(
        "{actor}: {action} ({target})",
        description="News headline; {actor}, {target}, {action} are filled in.",
    )
    description: Text = Field("", description="Longer text for the player.")
    signal: bool = Field(
        False,
        description="A signal (a test, an exercise, a statement): besides its main move each "
        "month a state may make one signal move, drawn from the same scores among its open "
        "signals and holding. Not an armed attack, and below nuclear use.",
    )
    lowers_to: ID | None = Field(
        None,
        description="Rung the pair falls to at most (a ceasefire or armistice ends the fighting; "
        "armed attacks between the two end with it).",
    )
    baseline: float = Field(
        0.0,
        ge=-100,
        le=100,
        description="Change of the pair's baseline, the tension it relaxes toward (a ceasefire "
        "lowers it).",
    )
    ends_attack: bool = Field(
        False,
        description="The mover drives the target's forces off its territory: the target's armed "
        "attack on it ends, the war may go on (needs 'attacked').",
    )
    offer: bool = Field(
        False,
        description="An offer the target must accept (a ceasefire): its lowers_to and baseline "
        "take effect only if the target made the same offer that month, or made no hostile move "
        "toward the mover and its war-weariness (1 - stability / 100) outweighs its will to "
        "fight on (resolve x twice its share of the two sides' conventional power).",
    )
    refused: Text | None = Field(
        None,
        description="Headline of an offer the target refused; {actor}, {target}, {action} are "
        "filled in.",
    )
    balance: bool = Field(
        False,
        description="Its military effects follow the balance of forces (a conventional "
        "attack): against a stronger target the mover's own losses are multiplied by the "
        "target's conventional power over its own (at most 2) and the damage it does by its "
        "power over the target's; against a weaker or equal target, as written.",
    )
    ally_tension: float = Field(
        0.0,
        ge=-100,
        le=100,
        description="Tension added between the mover and each of its allies (parties to a "
        "common assistance treaty) that counts the target a rival: talks with an ally's rival "
        "cost standing with the ally.",
    )


class TensionEffect(Strict):
    """kind = "tension": change the tension of a pair now, or for good by moving the baseline
    it relaxes toward."""

    kind: Literal["tension"] = Field(description='"tension"')
    pair: list[ActorId] = Field(min_length=2, max_length=2, description="The two actors.")
    add: float | None = Field(
        None, ge=-100, le=100, description="Tension to add (negative lowers it)."
    )
    set: float | None = Field(
        None, ge=0, le=100, description="Tension to set, 0-100 (before 'add')."
    )
    baseline: float | None = Field(
        None,
        ge=0,
        le=100,
        description="New baseline, 0-100: the tension the pair relaxes toward from now on.",
    )
    baseline_add: float | None = Field(
        None,
        ge=-100,
        le=100,
        description="Shift of the baseline (after 'baseline'); the result is kept within 0-100.",
    )


class RungEffect(Strict):
    """kind = "rung": move a pair on the ladder."""

    kind: Literal["rung"] = Field(description='"rung"')
    pair: list[ActorId] = Field(min_length=2, max_length=2, description="The two actors.")
    raise_to: ID | None = Field(
        None, alias="raise", description="Raise the pair to at least this rung."
    )
    set: ID | None = Field(None, description="Put the pair on this rung (up or down).")


class AttackEffect(Strict):
    """kind = "attack": an armed attack (triggers the victim's assistance clauses)."""

    kind: Literal["attack"] = Field(description='"attack"')
    by: ActorId = Field(description="The attacker.")
    on: ActorId = Field(description="The victim.")
    rung: ID | None = Field(
        None, description="Rung the pair is raised to (default: threshold armed_clash)."
    )
    tension: float = Field(10.0, ge=-100, le=100, description="Tension added to the pair.")


class AttrEffect(Strict):
    """kind = "attr": change an actor's attribute."""

    kind: Literal["attr"] = Field(description='"attr"')
    actor: ActorId = Field(description="The actor.")
    attr: AttrName = Field(
        description="The attribute: military, warheads, delivery, economy, stability, readiness or resolve."
    )
    add: float | None = Field(None, ge=-1e6, le=1e6, description="Amount to add.")
    set: float | None = Field(
        None, ge=0, le=1e6, description="Value to set (before 'add' and 'mul')."
    )
    mul: float | None = Field(
        None, ge=0, le=100, description="Factor to multiply by (after 'set' and 'add')."
    )


class TreatyEffect(Strict):
    """kind = "treaty": a treaty lapses or enters into force."""

    kind: Literal["treaty"] = Field(description='"treaty"')
    treaty: ID = Field(description="The treaty id.")
    to: Literal["lapse", "force"] = Field(
        description="lapse (it stops binding) or force (it binds from now on)."
    )


class FlagEffect(Strict):
    """kind = "flag": set or add to a flag, a number of the run that conditions read with
    flag(name), e.g. to remember that something happened."""

    kind: Literal["flag"] = Field(description='"flag"')
    flag: ID = Field(description="The flag's name (conditions read it as flag(name)).")
    set: float | None = Field(None, ge=-1e6, le=1e6, description="Value to set (before 'add').")
    add: float | None = Field(None, ge=-1e6, le=1e6, description="Amount to add.")


EFFECT_MODELS = (TensionEffect, RungEffect, AttackEffect, AttrEffect, TreatyEffect, FlagEffect)
Effect = Annotated[
    TensionEffect | RungEffect | AttackEffect | AttrEffect | TreatyEffect | FlagEffect,
    Field(discriminator="kind"),
]


class Event(Strict):
    """A scheduled or conditional event."""

    id: ID = Field(description="Id used by conditions, e.g. fired(kursk_incursion).")
    name: Name = Field(description="Short name in reports.")
    headline: Text = Field("", description="News headline in the log (default: the name).")
    date: DateStr | None = Field(
        None, description="Month it fires (or, with 'when', from which it may)."
    )
    until: DateStr | None = Field(None, description="Last month it may fire.")
    when: Expression | None = Field(
        None, description="Condition checked each month (see Conditions)."
    )
    probability: float = Field(
        1.0, ge=0, le=1, description="Chance it fires in a month its date and condition allow."
    )
    repeat: bool = Field(
        False, description="May fire more than once (every month its condition holds)."
    )
    source: Text = Field("", description="Where the event comes from.")
    effects: list[Effect] = Field(
        default_factory=list, max_length=64, description="What it does (see Effects)."
    )

    @field_validator("date", "until", mode="before")
    @classmethod
    def _date(cls, v):
        return None if v is None else parse_date(v)

    @model_validator(mode="after")
    def _needs_trigger(self):
        if self.date is None and self.when is None:
            raise ValueError("an event needs a 'date', a 'when' condition, or both")
        return self


# Keys an earlier version of the format read and this one does not, with what to do instead: a
# file that still has one is refused at that key, not run on rules it did not mean.
RETIRED = {
    "ai_weight": "the AI weighs an option by what its effects do (the state's goals, its "
    "partners, the risk: [ai] dilemma_goals, dilemma_stake and dilemma_risk); remove it",
}


class Choice(Strict):
    """One answer to a dilemma: what it does. The AI weighs an option by what its effects would
    do - to the choosing state's score, to its partners' and rivals' strength, and the risk of
    souring relations with a strong, allied, nuclear-armed state (the [ai] dilemma gains) - never
    by a weight written beside it."""

    id: ID = Field(description="Id of the option, unique in its dilemma.")
    label: Name = Field(description="The option in a few words, on its button.")
    says: Text = Field("", description="What choosing it does, in words for the preview.")
    headline: Text = Field("", description="News headline when it is chosen.")
    effects: list[Effect] = Field(
        default_factory=list, max_length=64, description="What it does (see Effects)."
    )
    as_move: Opens | None = Field(
        None,
        description="The move of the action catalogue the option amounts to, made by the "
        'choosing state, e.g. { action = "arms_supply", target = "UKR" }: a red line '
        "standing against that move is crossed when the option is chosen, and the AI weighs "
        "its answer.",
    )


class Dilemma(Strict):
    """An event with options: when its date and condition allow, the state named by 'actor'
    must choose one of them. A player's state is asked (and asked again each month the
    dilemma stands until it answers); the AI weighs each option by what its effects would do
    (see the options) and draws one, at the state's temperature. Once answered it is over; each
    option's effects apply as an event's would."""

    id: ID = Field(description="Id of the dilemma.")
    name: Name = Field(description="Short name in reports.")
    actor: ActorId = Field(description="The state that must choose.")
    question: Text = Field(description="The choice, as put to that state's government.")
    date: DateStr | None = Field(None, description="Month from which it may be posed.")
    until: DateStr | None = Field(None, description="Last month it may be posed.")
    when: Expression | None = Field(None, description="Condition for it to be posed.")
    probability: float = Field(
        1.0, ge=0, le=1, description="Chance it is posed in a month its date and condition allow."
    )
    source: Text = Field("", description="Where the dilemma comes from.")
    options: list[Choice] = Field(
        min_length=2, max_length=6, description="The answers ([[dilemmas.options]])."
    )

    @field_validator("date", "until", mode="before")
    @classmethod
    def _date(cls, v):
        return None if v is None else parse_date(v)

    @model_validator(mode="after")
    def _needs_trigger(self):
        if self.date is None and self.when is None:
            raise ValueError("a dilemma needs a 'date', a 'when' condition, or both")
        return self


class Outcome(Strict):
    """A way a run can end; the first whose condition holds on the final state classifies it."""

    id: ID = Field(description="Id in reports.")
    name: Name = Field(description="Name in reports.")
    description: Text = Field("", description="What it means.")
    when: Expression | None = Field(
        None, description="Condition on the final state; omit only for the last (default) outcome."
    )


class Question(Strict):
    """A forecast question: does a condition hold in some month up to a date? Batches report
    the share of runs in which it does, with its interval and by month; 'pact run' says how it
    resolved in that run."""

    id: ID = Field(description="Id in reports.")
    name: Name = Field(description="The question in words, e.g. 'DPRK-ROK armed clash by 2025-12'.")
    when: Expression = Field(
        description="Condition checked at the end of every month (see Conditions); the "
        "question resolves yes the first month it holds."
    )
    by: DateStr = Field(description="Last month that counts (inclusive).")
    description: Text = Field("", description="What the question means or why it is asked.")

    @field_validator("by", mode="before")
    @classmethod
    def _date(cls, v):
        return parse_date(v)


class AIWeights(Strict):
    """Gains that turn doctrine numbers into the weights of the AI's scores (game.ai.policy).

    Each move's score is a sum of pair features times these gains times the mover's doctrine
    and the action's hostility or escalation; the defaults suit the shipped scenarios.
    """

    tension: float = Field(
        3.0, ge=0, le=20, description="Hostile moves gain with tension (x aggression x hostility)."
    )
    rung: float = Field(
        1.0,
        ge=0,
        le=20,
        description="Hostile moves gain with the pair's rung (x aggression x hostility).",
    )
    deterrence: float = Field(
        4.0,
        ge=0,
        le=20,
        description="Escalation loses against a strong, credibly defended, nuclear-armed target (x caution x escalation).",
    )
    provoked: float = Field(
        2.0,
        ge=0,
        le=20,
        description="Answering last month's hostile move (x reciprocity x hostility).",
    )
    coordination: float = Field(
        1.5,
        ge=0,
        le=20,
        description="Posturing against a counterpart after allies consulted (x loyalty).",
    )
    at_war_attack: float = Field(
        1.5, ge=0, le=20, description="Attacks gain while at war (x resolve)."
    )
    at_war_peace: float = Field(
        1.0, ge=0, le=20, description="Peace moves gain while at war (x (1 - resolve))."
    )
    ally_threat: float = Field(
        2.0,
        ge=0,
        le=20,
        description="Posturing against whoever threatens a treaty partner (x loyalty).",
    )
    rival_bias: float = Field(
        0.6, ge=0, le=20, description="Hostile moves gain against rivals (x hostility)."
    )
    partner_bias: float = Field(
        0.8, ge=0, le=20, description="Cooperative moves gain toward partners (x -hostility)."
    )
    jump: float = Field(
        1.5,
        ge=0,
        le=20,
        description="Penalty per rung a move climbs above the current one (x caution).",
    )
    stance: float = Field(
        1.5,
        ge=0,
        le=20,
        description="Moves that fit the mover's stance toward the target gain, moves that "
        "contradict it lose (x stickiness x |hostility|, game.engine.stance). 0 switches "
        "stances off.",
    )
    anticipation: float = Field(
        6.0,
        ge=0,
        le=50,
        description="Weight of what a hostile move would set off through the commitments in "
        "force: the target's allies' clauses and red lines, by their current credibility (x "
        "caution). 0 switches anticipation off.",
    )
    escalation_risk: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Look-ahead: chance that a pair standing one rung below a commitment's "
        "trigger climbs to it (two rungs below: its square, and so on).",
    )
    consult_weight: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Weight of allies consulting against the mover, against an ally entering "
        "a war (1).",
    )
    honour_stake: float = Field(
        1.0,
        ge=0,
        le=20,
        description="Honouring gains with the ally's stake in a partner (x loyalty).",
    )
    honour_risk: float = Field(
        2.0,
        ge=0,
        le=20,
        description="Honouring loses against a strong, nuclear-armed opposing coalition (x caution).",
    )
    honour_load: float = Field(
        0.7, ge=0, le=20, description="Honouring loses for each war the ally already fights."
    )
    honour_reputation: float = Field(
        1.0,
        ge=0,
        le=20,
        description="Honouring gains with the other commitments the ally's standing rests on.",
    )
    dilemma_goals: float = Field(
        0.3,
        ge=0,
        le=20,
        description="A dilemma's option gains with what it does at once to the chooser's "
        "score (its goals), per point of the score. 0 switches the goals' rule off.",
    )
    dilemma_stake: float = Field(
        2.0,
        ge=0,
        le=20,
        description="A dilemma's option gains with the strength it gives the chooser's "
        "partners (relative power and economy, nuclear reach) and loses with a rival's and with "
        "a pair with a partner moved toward war (x loyalty). 0 switches the partners' rule off.",
    )
    dilemma_risk: float = Field(
        4.0,
        ge=0,
        le=20,
        description="A dilemma's option loses with a pair moved toward war (tension over 100 "
        "plus rungs over the ladder's height) against a strong, credibly allied, nuclear-armed "
        "state, its own or that of a state it is pledged to defend, and with the answer of a red "
        "line it crosses, as credible as the line (x caution). 0 switches the risk off.",
    )
    opened_bonus: float = Field(
        2.0,
        ge=0,
        le=20,
        description="Appeal of the moves a red line's answer opens, while they stay open.",
    )
    signal: float = Field(
        0.0,
        ge=-20,
        le=20,
        description="Appeal of a signal move beside the main move: added to every signal's "
        "score in the signal draw, against holding (negative: states add signals less often).",
    )


class Goal(Strict):
    """One thing a state wants, with why ([[goals]]). A state with goals is scored on them
    instead of on its objective weights: each goal's standing runs from 0 (at ``worst``) to 100
    (at ``best``), and the score is their mean weighted by ``weight``. The standing is either
    one of the engine's standings (``standing``) or a number computed on the state
    (``value``, in the expression language)."""

    actor: ActorId = Field(description="The state that wants it.")
    id: ID = Field(description="Id of the goal, unique for its state.")
    name: Name = Field(description="What the state wants, in words shown to the player.")
    why: Text = Field(description="Its source or reasoning (the facts, the article, a record).")
    weight: float = Field(1.0, gt=0, le=10, description="Its weight in the state's score.")
    standing: Literal[OBJECTIVES] | None = Field(
        None, description="One of the engine's standings, 0-100 (security, alliance, ...)."
    )
    value: Expression | None = Field(
        None, description="A number on the state, e.g. 'attr(PRK, stability)'."
    )
    worst: float = Field(0.0, ge=-1e6, le=1e6, description="The value that stands at 0.")
    best: float = Field(100.0, ge=-1e6, le=1e6, description="The value that stands at 100.")

    @model_validator(mode="after")
    def _one_measure(self):
        if (self.standing is None) == (self.value is None):
            raise ValueError("a goal needs either 'standing' or 'value', not both")
        if self.worst == self.best:
            raise ValueError("'worst' and 'best' must differ")
        return self


class Scenario(Strict):
    """A whole scenario file."""

    # Its uncertain numbers (game.scenario.draws.Found), set when it is read from a file.
    _draws: list = PrivateAttr(default_factory=list)

    extends: str | None = Field(
        None,
        description="A scenario file this one changes (path relative to this file); see Inheritance.",
    )
    scenario: Meta = Field(description="What the scenario is and when it starts.")
    ladder: Ladder = Field(description="The escalation ladder.")
    defaults: Defaults = Field(
        default_factory=Defaults, description="Pairs not listed in [[relations]]."
    )
    ai: AIWeights = Field(default_factory=AIWeights, description="Gains of the AI's scores.")
    actors: list[Actor] = Field(min_length=2, max_length=24, description="The states ([[actors]]).")
    relations: list[Relation] = Field(
        default_factory=list, max_length=600, description="Starting state of pairs ([[relations]])."
    )
    treaties: list[Treaty] = Field(
        default_factory=list, max_length=64, description="Treaties ([[treaties]])."
    )
    red_lines: list[RedLine] = Field(
        default_factory=list, max_length=64, description="Declared red lines ([[red_lines]])."
    )
    theatres: list[Theatre] = Field(
        default_factory=list,
        max_length=32,
        description="Where fighting happens ([[theatres]]); none: attacks are not placed.",
    )
    nuclear: NuclearRules = Field(
        default_factory=NuclearRules,
        description="The top of the ladder: alerts in wars between nuclear powers, the world's "
        "answer to nuclear use ([nuclear]).",
    )
    commitments: CommitmentRules = Field(
        default_factory=CommitmentRules,
        description="How commitments' credibility moves with conduct ([commitments]).",
    )
    actions: list[Action] = Field(
        min_length=1, max_length=128, description="The move catalogue ([[actions]])."
    )
    events: list[Event] = Field(
        default_factory=list,
        max_length=500,
        description="Scheduled and conditional events ([[events]]).",
    )
    outcomes: list[Outcome] = Field(
        min_length=1, max_length=32, description="How runs are classified ([[outcomes]]), in order."
    )
    questions: list[Question] = Field(
        default_factory=list,
        max_length=64,
        description="Forecast questions: a condition and a date ([[questions]]).",
    )
    goals: list[Goal] = Field(
        default_factory=list,
        max_length=200,
        description="What each state wants, with why ([[goals]]); they replace its objectives.",
    )
    dilemmas: list[Dilemma] = Field(
        default_factory=list,
        max_length=100,
        description="Events with options, chosen by one state ([[dilemmas]]).",
    )
