"""The escalation ladder, a card in the map's top-left corner: every rung, the player's pairs
and the other hot pairs standing on it, the thresholds; its tooltip names a rung's pairs with
their tension and the tensions at which a pair there climbs or falls. A click on its heading
(or the L key) folds it to the heading, to see the map under it."""

from __future__ import annotations

import pygame

from game.engine.outcome import threshold_label
from game.engine.step import drift_bounds
from game.ui import theme
from game.ui.panels.base import FoldingCard

HEAD_H = 34  # the folded card: its heading only


def full_height(params, row: int = 24) -> int:
    """The open card's height with rows of ``row`` pixels (24 where there is room)."""
    return row * len(params.rung_ids) + 40


MIN_ROW = 18  # the lowest row that keeps a rung's name readable


LADDER_W = 236  # the ladder's column, 10 from the map's left edge


def beside_ladder(m: pygame.Rect, w: int) -> int:
    """The left of a card ``w`` wide over the map ``m``: centred, or just right of the
    ladder's column where it would cover it and the map has room (the ladder's pair chips stay
    in sight while the card asks); where the map has no room for both, over the ladder's
    column whole, rather than leaving a sliver of its labels at the card's left."""
    x = m.centerx - w // 2
    right_of = m.x + 10 + LADDER_W + 10
    if x < right_of:
        x = right_of if right_of + w <= m.right - 10 else min(x, m.x + 10)
    return x


class Ladder(FoldingCard):
    name = "ladder"
    head_h = HEAD_H
    fold_key = pygame.K_l

    def place(self, frame):
        m = frame["map"]
        if self.folded:
            return pygame.Rect(m.x + 10, m.y + 10, LADDER_W, HEAD_H)
        inset = self.play.map.inset_rect
        ladder_h = full_height(self.params)
        bottom_limit = (inset.y - 10) if inset is not None else m.bottom - 10
        ladder_h = max(min(ladder_h, bottom_limit - m.y - 10), 60)
        return pygame.Rect(m.x + 10, m.y + 10, LADDER_W, ladder_h)

    def _rows(self, box: pygame.Rect) -> tuple[int, int]:
        """The y of the top row and the height of a row, inside the card ``box``."""
        top = box.y + 28
        return top, max((box.bottom - 6 - top) // len(self.params.rung_ids), 8)

    def hover(self, pos):
        """The ladder row under the mouse: the rung, its group, and every pair standing on it."""
        s, p = self.session, self.params
        if self.folded or pos[1] < self.rect.y + HEAD_H - 6:
            return [
                (
                    "Click to " + ("open" if self.folded else "fold") + " the ladder (L)",
                    theme.INK_DIM,
                    False,
                )
            ]
        top, row_h = self._rows(self.rect.inflate(-6, -6))
        n = len(p.rung_ids)
        k = (pos[1] - top) // row_h
        if not 0 <= k < n:
            return []
        r = n - 1 - k
        lines = [(p.rung_names[r], self.colours[r], True)]
        if p.rung_groups[r]:
            lines.append((p.rung_groups[r], theme.INK_DIM, False))
        for name, level in p.thresholds.items():
            if level == r:
                label = threshold_label(name, short=True).lower()
                lines.append((f"Threshold: {label} starts here", theme.WARN, False))
        up, down = drift_bounds(p, r)
        drift = []
        if up is not None:
            drift.append(f"climbs at tension {up:.0f}")
        if down is not None:
            drift.append(f"falls below {down:.0f} (a month without hostile moves)")
        if drift:
            lines.append(("A pair here " + ", ".join(drift), theme.INK_DIM, False))
        pairs = [
            f"{p.actor_names[i]} \u2013 {p.actor_names[j]} \u00b7 tension {s.tension[i, j]:.0f}"
            for i in range(p.n_actors)
            for j in range(i + 1, p.n_actors)
            if int(s.rung[i, j]) == r
        ]
        if pairs:
            lines += [(x, theme.INK, False) for x in pairs[:8]]
            if len(pairs) > 8:
                lines.append((f"and {len(pairs) - 8} more", theme.INK_FAINT, False))
        else:
            lines.append(("No pair stands here", theme.INK_FAINT, False))
        return lines

    def inputs(self):
        return (self.play.panel("orders").hover_chip, self.folded)

    def _pairs(self):
        s, p = self.session, self.params
        me = s.player
        mine, others = [], []
        for a in range(p.n_actors):
            if a != me and s.rung[me, a] >= 1:
                mine.append((int(s.rung[me, a]), a))
        threat = p.thresholds.get("threat", 3)
        for i in range(p.n_actors):
            for j in range(i + 1, p.n_actors):
                if me in (i, j):
                    continue
                if s.rung[i, j] >= threat:
                    others.append((int(s.rung[i, j]), float(s.tension[i, j]), i, j))
        others.sort(reverse=True)
        return mine, [(r, i, j) for r, _, i, j in others[:3]]

    def _moves_since_last(self) -> dict:
        last = self.session.last_month()
        out = {}
        if last is None:
            return out
        for ev in last.events:
            if ev.get("kind") == "rung":
                a, b = ev["pair"]
                out[frozenset((a, b))] = ev.get("direction")
        return out

    def paint(self, img, rect) -> None:
        s, p = self.session, self.params
        hover_chip, folded = self.inputs()
        box = rect.inflate(-6, -6)
        theme.card(img, box, 236)
        theme.heading(img, "ESCALATION LADDER", (box.x + 10, box.y + 8), 11)
        theme.text(
            img,
            "\u25b8" if folded else "\u25be",
            (box.right - 10, box.y + 6),
            12,
            theme.INK_DIM,
            anchor="topright",
        )
        if folded:
            return
        peak = int(s.rung.max())
        n = len(p.rung_ids)
        top, row_h = self._rows(box)
        mine, others = self._pairs()
        moved = self._moves_since_last()
        my_peak = max((r for r, _ in mine), default=0)
        size = 12 if row_h >= 18 else 10
        for r in range(n):
            name_w = theme.text_width(p.rung_names[r], size, r == my_peak and bool(mine))
            y = top + (n - 1 - r) * row_h
            col = self.colours[r]
            lit = r <= peak
            sw = pygame.Rect(box.x + 10, y + 2, 6, row_h - 3)
            pygame.draw.rect(img, col if lit else theme.shade(col, 0.45), sw, border_radius=2)
            if r == my_peak and mine:
                theme.fill(img, (box.x + 18, y + 1, box.w - 24, row_h - 1), (*col, 38), 3)
            # Chips, right to left: the player's pairs (filled), then other hot pairs (outlined).
            chips = [(a, None) for rr, a in mine if rr == r]
            chips += [(i, j) for rr, i, j in others if rr == r]
            x = box.right - 6
            for shown, (a, b) in enumerate(chips):
                if b is None:
                    label = p.actor_ids[a]
                    d = moved.get(frozenset((s.player_id, p.actor_ids[a])))
                    if d == "up":
                        label = "\u25b2" + label
                    elif d == "down":
                        label = "\u25bc" + label
                    bg = theme.shade(theme.BLOC.get(self.blocs[a], theme.INK_DIM), 0.8)
                    if hover_chip == a:
                        bg = theme.shade(bg, 1.3)
                    fg, line = theme.INK, None
                else:
                    label = f"{p.actor_ids[a]}\u00b7{p.actor_ids[b]}"
                    bg, fg, line = None, theme.INK_DIM, theme.INK_FAINT
                w = theme.text_width(label, 10, True) + 8
                # The player's chips and the first chip take room from a long rung name
                # (shortened, at least a few letters left): a count alone would say a pair
                # stands there but not which, and the player's own pairs are what it plays.
                keep = min(name_w, 64) if (b is None or not shown) else name_w
                if x - w < box.x + 30 + keep:
                    more = f"+{len(chips) - shown}"
                    x = (
                        theme.text(
                            img, more, (x - 2, y + row_h // 2), 10, theme.INK_DIM, True, "midright"
                        ).x
                        - 3
                    )
                    break
                placed = theme.chip(
                    img, (x, y + row_h // 2), label, bg, fg, 10, line, "midright", 4
                )
                x = placed.x - 3
            theme.text(
                img,
                p.rung_names[r],
                (box.x + 22, y + row_h // 2),
                size,
                theme.INK if lit else theme.INK_DIM,
                r == my_peak and bool(mine),
                "midleft",
                max_width=x - box.x - 26,
            )
        # Thresholds: a rule where each named threshold begins, its name riding on it.
        for name, level in p.thresholds.items():
            if not 0 < level < n:
                continue
            y = top + (n - level) * row_h
            tag = threshold_label(name, short=True).upper()
            col = self.colours[level]
            x0 = box.x + 20
            pygame.draw.line(img, theme.shade(col, 0.7), (x0, y), (box.right - 8, y), 1)
            if row_h < 19:
                continue  # too tight for the names: the rules alone mark the thresholds
            lab = theme.spaced(tag, 8, theme.mix(col, (255, 255, 255), 0.25), True, 1)
            lr = lab.get_rect(midleft=(x0 + 6, y))
            pygame.draw.rect(img, (15, 21, 31), lr.inflate(8, -2))
            img.blit(lab, lr)
