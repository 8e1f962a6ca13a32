"""Events with options: a dilemma is posed to one state when its date and condition allow, and
that state chooses one of its options. A player's state is asked, and its answer comes with the
month (``step``'s ``choices``); the AI weighs each option by what it would do (``option_values``)
and draws one from the softmax of those values at the state's temperature. A chosen option
applies as an event does (its event counts as fired), which also closes the dilemma: it is posed
once.

What an option does is read from the world, not written beside it: its effects are applied to a
copy of the run, as they would be if it were chosen, and the state weighs the difference by
three rules, each a gain of the scenario's [ai] table times a number of its doctrine:

* its goals (``dilemma_goals``): the change of its own score (``outcome.score``: its goals, or
  its objective weights), the measure the player of that state is judged by;
* its partners (``dilemma_stake`` x loyalty): a partner's strength gained (conventional power and
  economy, relative to what it has, and nuclear reach) counts for it, a rival's against it, and
  a pair with a partner moved toward war counts against it;
* the risk (``dilemma_risk`` x caution): a pair with a state that is not a partner moved toward
  war costs by how much that state could hurt it - its coalition's share of the balance (its
  allies counted by the credibility of their pledges) and its nuclear reach, as a decision to
  honour reads them (``commitments.honour_odds``) - and so does a pair moved toward war between a
  state it is pledged to defend and that state's adversary (entrapment), by the pledge's
  credibility; moved back from war, the same pair gains as much. An option that amounts to a
  move a red line stands against (its ``as_move``) crosses it, and the line's answer moves the
  declaring state's pair with the chooser toward war as the line is credible.

How far a pair moves toward war: its tension's change over 100 plus its rung's change over the
ladder's height (a climb from the bottom to the top counts as much as tension from 0 to 100).

Deterrence (a warned state shrinks from an option that sours relations with a nuclear coalition)
and restraint (a patron presses its ally to step back from a crisis it could be dragged into)
come out of these rules and the world's numbers; no option carries a weight of its own."""

from __future__ import annotations

import numpy as np

from . import commitments as cm
from . import draws, rng
from .effects import apply_effects, effect_writes
from .outcome import objective_components, reads_standings, score
from .params import ATTR, ATTR_COLS, Params
from .state import State

# What a state's strength is made of, for the partners' rule: conventional power and economy
# count by their relative change, nuclear reach (0-1) by its change.
_ECONOMY = ATTR["economy"]


def posed(params: Params, state: State, ctx) -> np.ndarray:
    """(B, D) bool: dilemma d stands before its state in this month of each run."""
    b, n = state.batch, len(params.dilemmas)
    out = np.zeros((b, n), dtype=bool)
    if not n:
        return out
    t = state.turn
    for d, dl in enumerate(params.dilemmas):
        if dl.turn is not None and t < dl.turn:
            continue
        if dl.until is not None and t > dl.until:
            continue
        ok = ~state.done  # and none of its options' events has fired: it is posed once
        for e in dl.events:
            ok &= state.event_count[:, e] == 0
        if dl.when is not None and ok.any():  # a condition is read where it may stand
            ok &= dl.when.truth(ctx)
        p = draws.at(params, state, "dilemma_probability", d, dl.probability)
        if np.ndim(p) or p < 1.0:
            # The dilemma's draws, taken in the runs where it could stand (the others' unread).
            r = np.nonzero(ok)[0]
            u = rng.uniforms_each(state.keys[r], t, rng.STREAM_DILEMMA, np.full(r.size, d))
            ok[r] = u < (p[r] if np.ndim(p) else p)
        out[:, d] = ok
    return out


def resolve(
    params: Params,
    state: State,
    ctx,
    asked: np.ndarray | None,
    choices: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Decide the dilemmas posed this month and apply the chosen options (in place). A state
    in ``asked`` (A,) takes the option in ``choices`` (B, D) (-1: no answer yet, the dilemma
    stands); the AI chooses for every other. An option's effects apply as an event's do
    (``effects.apply_effects``). Returns ((B, E) option events that fired, (B, D) dilemmas
    left waiting for a player's answer, (B, N) red lines the chosen options crossed, as the
    moves they amount to would: None where none did)."""

    b, n = state.batch, len(params.dilemmas)
    fired = np.zeros((b, len(params.events)), dtype=bool)
    waiting = np.zeros((b, n), dtype=bool)
    crossed = None
    if not n:
        return fired, waiting, crossed
    now = posed(params, state, ctx)
    active = None
    for d, dl in enumerate(params.dilemmas):
        rows = now[:, d]
        if not rows.any():
            continue
        k_opts = len(dl.events)
        pick = np.zeros(b, dtype=np.int64)
        if asked is not None and asked[dl.actor]:  # a player's state: its answer, if given
            given = np.full(b, -1) if choices is None else np.asarray(choices[:, d])
            waiting[:, d] = rows & (given < 0)
            rows = rows & (given >= 0) & (given < k_opts)
            pick = np.where(given >= 0, given, pick)
        else:
            # The option drawn (draw n + d of the month's dilemma stream) from the softmax of
            # the options' values, in the runs where the dilemma is posed.
            r = np.nonzero(rows)[0]
            if active is None:
                active = ctx.treaty_active()
            w = choice_weights(option_values(params, state, d, r, active))
            cum = np.cumsum(w, axis=1)
            u = rng.uniforms_each(
                state.keys[r], state.turn, rng.STREAM_DILEMMA, np.full(r.size, n + d)
            )
            k = (cum <= (u * cum[:, -1])[:, None]).sum(axis=1)
            pick[r] = np.minimum(k, k_opts - 1)
        for k, e in enumerate(dl.events):
            ok = rows & (pick == k)
            if ok.any():
                apply_effects(params, state, params.events[e].effects, ok)
                state.event_count[:, e] += ok
                fired[:, e] = ok
                for line in standing_lines(params, dl.lines[k], state.turn):
                    if crossed is None:
                        crossed = np.zeros((b, params.commit.n), dtype=bool)
                    crossed[:, line] |= ok
    return fired, waiting, crossed


def standing_lines(params: Params, lines, turn: int) -> list[int]:
    """The red lines of ``lines`` (an option's, ``DilemmaSpec.lines``) that stand in month
    ``turn``: those the option crosses if chosen then."""
    com = params.commit
    return [n for n in lines if com.start[n] <= turn < com.end[n]]


def choice_weights(values: np.ndarray) -> np.ndarray:
    """(n, K) the softmax weights of options valued ``values`` (``option_values``, in units
    of the chooser's temperature): the exponential of each less its run's best."""
    return np.exp(values - values.max(axis=1, keepdims=True))


def choice_odds(params: Params, state: State, d: int, rows: np.ndarray, active) -> np.ndarray:
    """(rows.size, K) the chance the AI would take each option of dilemma ``d`` in runs
    ``rows`` this month: what the game shows a player beside the options of its own."""
    w = choice_weights(option_values(params, state, d, rows, active))
    return w / w.sum(axis=1, keepdims=True)


class _Cells(np.lib.mixins.NDArrayOperatorsMixin):
    """A (n, A, A) pair field of some runs with a few pairs written over: what one option
    makes of the runs' tension or rungs, without a copy of the whole grid. Reading or writing
    one pair of every run (``x[:, i, j]``, as effects and expressions do) costs that pair; any
    other use reads the field whole, written pairs included (numpy sees it as that array)."""

    def __init__(self, base: np.ndarray, rows, n: int):
        self._base, self._rows, self._n = base, rows, n
        self._cells: dict | None = {}  # (i, j) -> (n,) values written
        self._whole = None  # the field whole, once read so (then it is what is written)

    @property
    def shape(self):
        return (self._n, *self._base.shape[1:])

    @property
    def dtype(self):
        return self._base.dtype

    @property
    def ndim(self):
        return self._base.ndim

    def _pair(self, key):
        """(i, j) when ``key`` reads one pair of every run, else None."""
        if not (isinstance(key, tuple) and len(key) == 3):
            return None
        rows, i, j = key
        ints = isinstance(i, (int, np.integer)) and isinstance(j, (int, np.integer))
        return (int(i), int(j)) if _every(rows, self._n) and ints and self._whole is None else None

    def _full(self) -> np.ndarray:
        if self._whole is None:
            whole = self._base[self._rows]  # a copy where the rows are listed, else a view
            whole = whole.copy() if isinstance(self._rows, slice) else whole
            for (i, j), v in self._cells.items():
                whole[:, i, j] = v
            self._whole, self._cells = whole, None
        return self._whole

    def __getitem__(self, key):
        pair = self._pair(key)
        if pair is None and self._whole is None and _row_key(key, self._n):
            # One state's row of every run (``x[:, i]``): that row, the pairs written over.
            i = int(key[1])
            row = self._base[self._rows, i]
            row = row.copy() if isinstance(self._rows, slice) else row
            for (a, b), v in self._cells.items():
                if a == i:
                    row[:, b] = v
            return row
        if pair is None:
            return self._full()[key]
        got = self._cells.get(pair)
        return got if got is not None else self._base[self._rows, pair[0], pair[1]]

    def __setitem__(self, key, value) -> None:
        pair = self._pair(key)
        if pair is None:
            self._full()[key] = value
        else:
            self._cells[pair] = np.array(np.broadcast_to(value, (self._n,)), dtype=self.dtype)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._full(), dtype=dtype)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs = tuple(x._full() if isinstance(x, _Cells) else x for x in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __getattr__(self, name):
        return getattr(self._full(), name)


def _every(rows, n: int) -> bool:
    """Whether ``rows`` indexes every one of ``n`` runs (``:``, or an array of ``n``)."""
    return (isinstance(rows, slice) and rows == slice(None)) or (
        isinstance(rows, np.ndarray) and rows.size == n
    )


def _row_key(key, n: int) -> bool:
    """Whether ``key`` reads one state's row of every run of ``n``: ``[:, i]``."""
    if not (isinstance(key, tuple) and len(key) == 2):
        return False
    return _every(key[0], n) and isinstance(key[1], (int, np.integer))


def _pair_field(value) -> bool:
    """Whether a state's field holds a value for each (actor, actor) pair: (B, A, A)."""
    return isinstance(value, np.ndarray) and value.ndim == 3 and value.shape[1] == value.shape[2]


class _Runs:
    """Some runs of a state, read as a state: each field is taken (``state.field[rows]``) the
    first time it is read, so weighing options reads only what the rules and the goals read.
    ``owning`` makes a copy that owns the named fields (to be written) and shares the rest."""

    def __init__(self, state: State, rows):
        self.__dict__["_src"] = (state, rows)
        self.turn = state.turn
        self.batch = state.batch if isinstance(rows, slice) else int(rows.size)

    def __getattr__(self, name):
        state, rows = self.__dict__["_src"]
        value = getattr(state, name)
        if _pair_field(value) and not isinstance(rows, slice):
            value = _Cells(value, rows, self.batch)  # a pair read costs that pair alone
        elif isinstance(value, np.ndarray):
            value = value[rows]
        self.__dict__[name] = value
        return value

    def owning(self, names) -> _Runs:
        """A copy that owns the fields ``names`` and shares the rest: a pair field as the
        pairs written over it (``_Cells``), another as a copy of its own."""
        out = _Runs.__new__(_Runs)
        out.__dict__.update(self.__dict__)
        state, rows = self.__dict__["_src"]
        # One copy of a small field for every option weighed in turn: each is written over by
        # the next option's (a fresh copy each time costs the memory's first touch again).
        spare = self.__dict__.setdefault("_spare", {})
        for name in names:
            base = getattr(state, name)
            if _pair_field(base):
                out.__dict__[name] = _Cells(base, rows, self.batch)
                continue
            src = getattr(self, name)
            buf = spare.get(name)
            if buf is None:
                buf = spare[name] = np.empty_like(src)
            np.copyto(buf, src)
            out.__dict__[name] = buf
        return out


def option_values(
    params: Params, state: State, d: int, rows: np.ndarray, active: np.ndarray
) -> np.ndarray:
    """(rows.size, K) how the state posed dilemma ``d`` weighs each of its K options in runs
    ``rows``, in units of its temperature (the module's three rules), up to a number the same
    for every option of a run (the goals' rule counts the score after each option, not its
    change: what the options share, the softmax leaves out); ``active`` is the (B, T) treaties
    in force this month. Each run's values depend on its own row of the state only."""
    dl = params.dilemmas[d]
    q = dl.actor
    g_goals, g_stake, g_risk = dl.value_coef
    n = rows.size
    # The runs weighed: every run of the batch in its order, read in place (views, never
    # written), or the rows named, each field gathered when first read.
    every = n == state.batch and bool((rows == np.arange(n)).all())
    before = _Runs(state, slice(None) if every else rows)
    # The goals' rule weighs the chooser's score after each option: the score before is the
    # same for every option of a run, and a softmax does not see what all its values share.
    comp = objective_components(params, before, q) if reads_standings(params, q) else None
    com = params.commit
    attr = before.attr
    # The commitments' reading (``cm.read``), of the states and commitments the rules ask for.
    rd = cm.Columns(
        com,
        attr,
        before.rung,
        before.cred,
        active[rows],
        state.turn,
        params.thresholds["war"],
        ATTR_COLS,
    )
    partner = params.partners[q]
    side = partner.astype(np.float64) - params.rivals[q]
    side[q] = 0.0
    deter = _Deterrence(rd, q)
    # The chooser's exposure to a fight of each state with another: its own, and that of each
    # state it is pledged to defend, by the pledge's credibility (entrapment).
    exposed = {q: np.ones(n)}
    for m in range(com.n_assist):
        x = int(com.party[m])
        if com.by[m] == q and x != q:
            exposed[x] = np.maximum(exposed.get(x, 0.0), rd.eff(m))
    top = max(len(params.rung_ids) - 1, 1)
    out = np.empty((n, len(dl.events)))
    everywhere = np.ones(n, dtype=bool)
    for k, e in enumerate(dl.events):
        effects = params.events[e].effects
        writes = effect_writes(effects)
        after = before.owning(writes)
        apply_effects(params, after, effects, everywhere)
        if comp is not None:  # the standings the option cannot move are those before it
            now = objective_components(params, after, q, keep=comp, changed=writes)
            goals = score(params, after, q, now)
        else:
            goals = score(params, after, q)
        stake = np.zeros(n)
        risk = np.zeros(n)
        for i, j in _pairs(effects):
            # How far the pair moves toward war: its tension (of 100) and its rung (of the
            # ladder's height), each counting by its share of the whole.
            raised = (after.tension[:, i, j] - before.tension[:, i, j]) / 100.0
            climb = after.rung[:, i, j].astype(np.float64) - before.rung[:, i, j]
            raised = raised + climb / top
            if q in (i, j):
                x = j if i == q else i
                if partner[x]:
                    stake -= raised
                    continue
            risk += raised * _weigh(exposed, deter, partner, q, i, j)
        # A red line the option crosses: its answer moves the pair of the declaring state
        # and the chooser toward war (a climb to the answer's rung and its tension), as likely
        # as the line is credible.
        for line in standing_lines(params, dl.lines[k], state.turn):
            by = int(com.by[line])
            climb = np.maximum(com.response[line] - before.rung[:, q, by], 0) / top
            answer = rd.eff(line) * (climb + com.tension[line] / 100.0)
            if partner[by]:
                stake -= answer
            else:
                risk += answer * _weigh(exposed, deter, partner, q, q, by)
        for x in _actors(effects):
            if x == q or not side[x]:
                continue
            got = after.attr[:, x : x + 1]  # (n, 1, attributes): the readings' shape
            power = cm.power(got, *ATTR_COLS[:2])[:, 0]
            strength0 = _strength(rd.power(x), attr[:, x, _ECONOMY])
            gained = _gain(strength0, _strength(power, got[:, 0, _ECONOMY]))
            gained += cm.nuclear_reach(got, *ATTR_COLS[2:])[:, 0] - rd.nuclear(x)
            stake += side[x] * gained
        out[:, k] = g_goals * goals + g_stake * stake - g_risk * risk
    return out


def _pairs(effects: list[dict]) -> list[tuple[int, int]]:
    """The pairs whose tension or rung ``effects`` may change, each once."""
    out = []
    for e in effects:
        if e["kind"] in ("tension", "rung"):
            out.append(tuple(sorted(e["pair"])))
        elif e["kind"] == "attack":
            out.append(tuple(sorted((e["by"], e["on"]))))
    return list(dict.fromkeys(out))


def _actors(effects: list[dict]) -> list[int]:
    """The states whose attributes ``effects`` may change, each once."""
    return list(dict.fromkeys(e["actor"] for e in effects if e["kind"] == "attr"))


class _Deterrence:
    """How much each state could hurt the chooser ``q``: half its coalition's share of the
    balance with q, half its nuclear reach; ``self[b]`` is (n,) state b's, worked out when
    asked."""

    def __init__(self, rd: cm.Columns, q: int):
        self.rd, self.q, self._kept = rd, q, {}

    def __getitem__(self, b: int) -> np.ndarray:
        got = self._kept.get(b)
        if got is None:
            rd = self.rd
            c = rd.coalition(b)
            got = self._kept[b] = 0.5 * c / (c + rd.power(self.q) + 1e-9) + 0.5 * rd.nuclear(b)
        return got


def _weigh(exposed: dict, deter: _Deterrence, partner: np.ndarray, q: int, i: int, j: int):
    """(n,) what tension raised between i and j risks for the chooser ``q``: from the side of
    q or of a state it is pledged to defend, the other's deterrence, if the other is neither q
    nor one of its partners; the larger of the two sides."""
    out = 0.0
    for a, b in ((i, j), (j, i)):
        if a in exposed and b != q and not partner[b]:
            out = np.maximum(out, exposed[a] * deter[b])
    return out


def _strength(power: np.ndarray, economy: np.ndarray) -> np.ndarray:
    """(..., 2) conventional power and economy, side by side."""
    return np.stack([power, economy], axis=-1)


def _gain(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """(n,) the relative change of power plus that of the economy (nothing from nothing)."""
    rel = (after - before) / np.where(before > 0, before, 1.0)
    return np.where(before > 0, rel, 0.0).sum(axis=1)
