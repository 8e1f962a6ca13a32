"""The map key, a card in the map's top-right corner: who is bound by which kind of treaty
link this month, how rivalries are drawn, and the fills of the blocs. A click on its heading
(or the K key) folds it to the heading, to see the map under it."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.crisis import TREATY_COLOUR, bloc_fill
from game.ui.panels.base import FoldingCard
from game.ui.redlines import RED
from game.ui.strokes import dashed, offset, stroke

HEAD_H = 32  # the folded card: its heading only
SMALL_MAP = (720, 460)  # a map narrower or lower than this shows the key folded at first

KINDS = (
    ("assist", "Defence pacts"),
    ("consult", "Consultation"),
    ("upcoming", "Signed, not in force"),
    ("red_line", "Red lines"),
)


class Legend(FoldingCard):
    name = "legend"
    head_h = HEAD_H
    fold_key = pygame.K_k

    def __init__(self, play) -> None:
        super().__init__(play)
        self.height = 0  # how far down the card reaches, once painted

    def hover(self, pos):
        if pos[1] < self.rect.y + HEAD_H:
            verb = "open" if self.folded else "fold"
            return [(f"Click to {verb} the map key (K)", theme.INK_DIM, False)]
        return []

    def place(self, frame):
        m = frame["map"]
        if not self.chosen:
            # On a small map the open key would hide a third of it: it starts folded there
            # (until the player opens or folds it).
            self.folded = m.w < SMALL_MAP[0] or m.h < SMALL_MAP[1]
        if self.folded:
            return pygame.Rect(m.right - 272, m.y + 44, 262, HEAD_H)
        return pygame.Rect(m.right - 272, m.y + 44, 262, 190)

    def inputs(self):
        return (self.folded,)

    def contains(self, pos) -> bool:
        return self.rect.collidepoint(pos) and pos[1] < self.rect.y + self.height

    def pairs(self) -> dict[str, list[str]]:
        """Pairs bound by each style of treaty link this month, e.g. {'assist': ['USA·KOR']}."""
        ids = self.params.actor_ids
        out: dict[str, list[str]] = {"assist": [], "consult": [], "upcoming": [], "red_line": []}
        for lk in self.play.crisis.links_of(self.session):
            if lk.kind == "treaty":
                out.setdefault(lk.style, []).append(f"{ids[lk.i]}\u00b7{ids[lk.j]}")
            elif lk.kind == "red_line":
                out["red_line"].append(f"{ids[lk.i]}\u2192{ids[lk.j]}")
        return out

    def _sample(self, img, kind, x0, yy) -> None:
        pts = [(x0, yy), (x0 + 34, yy)]
        if kind == "assist":
            for d in (-2.2, 2.2):
                stroke(img, offset(pts, d), 1.6, TREATY_COLOUR["west"])
        elif kind == "consult":
            dashed(img, pts, 1.8, TREATY_COLOUR["west"], 8, 5)
        elif kind == "upcoming":
            dashed(img, pts, 1.4, TREATY_COLOUR["east"], 2, 5)
        elif kind == "red_line":
            dashed(img, pts, 2.0, RED, 11, 5)
        else:
            for k, c in enumerate((self.colours[2], self.colours[4], self.colours[7])):
                seg = [(x0 + 12 * k, yy), (x0 + 12 * k + 11, yy)]
                stroke(img, seg, 2 + 2 * k, c)

    def paint(self, img, rect) -> None:
        box = rect.inflate(-6, -6)
        if self.folded:
            self.height = rect.h
            theme.card(img, box, 228)
            theme.heading(img, "MAP KEY", (box.x + 10, box.y + 8), 10)
            theme.text(
                img, "\u25b8", (box.right - 10, box.y + 5), 12, theme.INK_DIM, anchor="topright"
            )
            return
        pairs = self.pairs()
        x0 = box.x + 10
        text_x = x0 + 44
        width = box.right - 10 - text_x
        rows = []
        for kind, label in KINDS:
            names = pairs.get(kind, [])
            if not names and kind in ("upcoming", "red_line"):
                continue
            lines = theme.wrap(f"{label}: " + ("  ".join(names) if names else "none"), 11, width)
            rows.append((kind, lines))
        rows.append(("hostile", ["Rivalry \u00b7 colour: rung \u00b7 width: tension"]))
        height = 28 + sum(4 + 14 * len(lines) for _, lines in rows) + 40
        card = pygame.Rect(box.x, box.y, box.w, min(height, box.h))
        self.height = card.bottom + 3 - rect.y
        theme.card(img, card, 228)
        y = card.y + 8
        theme.heading(img, "MAP KEY", (x0, y), 10)
        theme.text(img, "\u25be", (card.right - 10, y - 3), 12, theme.INK_DIM, anchor="topright")
        y += 20
        for kind, lines in rows:
            self._sample(img, kind, x0, y + 7)
            for k, line in enumerate(lines):
                head, _, rest = line.partition(": ") if k == 0 else ("", "", line)
                if kind == "hostile":
                    theme.text(
                        img,
                        line,
                        (text_x, y + 7),
                        11,
                        theme.INK_DIM,
                        anchor="midleft",
                        max_width=box.right - 10 - text_x,
                    )
                elif k == 0 and rest:
                    r = theme.text(
                        img, head + ":", (text_x, y + 7), 11, theme.INK_DIM, anchor="midleft"
                    )
                    theme.text(
                        img,
                        rest,
                        (r.right + 5, y + 7),
                        11,
                        theme.INK,
                        True,
                        anchor="midleft",
                        max_width=box.right - 10 - r.right - 5,
                    )
                else:
                    theme.text(
                        img,
                        line,
                        (text_x, y + 7),
                        11,
                        theme.INK if k else theme.INK_DIM,
                        k > 0,
                        anchor="midleft",
                    )
                y += 14
            y += 4
        y += 2
        for k, bloc in enumerate(("west", "east", "neutral")):
            cx = x0 + k * 66
            lo = bloc_fill(bloc, 0, self.params.thresholds)
            hi = bloc_fill(bloc, 99, self.params.thresholds)
            pygame.draw.rect(img, lo, (cx, y + 2, 10, 10))
            pygame.draw.rect(img, hi, (cx + 10, y + 2, 10, 10))
            theme.text(
                img,
                {"west": "West", "east": "East", "neutral": "Neutral"}[bloc],
                (cx + 24, y + 7),
                11,
                theme.INK_DIM,
                anchor="midleft",
            )
        theme.text(img, "darker fill: closer to war", (x0, y + 20), 10, theme.INK_FAINT)
