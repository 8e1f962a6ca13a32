"""The dossier of the selected state, under the map on the right: its bloc and posture, how it
stands with the player, treaties, its last move and its numbers; pointed at, the treaties and
pledges between it and the player and the line (stance) it pursues toward the player."""

from __future__ import annotations

import pygame

from game.engine import stance
from game.engine.params import ATTR
from game.ui import theme
from game.ui.crisis import POSTURE_NAMES, posture_level
from game.ui.panels.base import Panel
from game.ui.panels.tips import pledges_between, treaties_between

TIGHT_H = 150  # below this height the panel lays out in its short form


class Dossier(Panel):
    name = "dossier"

    def inputs(self):
        return (self.play.selected,)

    def hover(self, pos):
        """The treaties of the selected state with the player, and the credibility of each
        assistance pledge between them."""
        s, a = self.session, self.play.selected
        if a is None or a == s.player:
            return []
        treaties = treaties_between(s, s.player, a)
        p = self.params
        lines = [(t, theme.INFO, False) for t in treaties]
        lines += [(t, theme.INK_DIM, False) for t in pledges_between(s, s.player, a)]
        # The line each pursues toward the other (game.engine.stance names it).
        theirs = stance.line(p, s.state.stance[0], a, s.player)
        if theirs:
            lines.append((f"Its line toward you: {theirs}", theme.INK, False))
        if not lines:
            return []
        return [(f"{p.actor_names[s.player]} – {p.actor_names[a]}", theme.INK, True), *lines]

    def last_move(self, a: int) -> str:
        last = self.session.last_month()
        if last is None:
            return "\u2014"
        p = self.params
        aid = p.actor_ids[a]
        for ev in last.events:
            if ev.get("kind") == "action" and ev.get("actor") == aid:
                k = p.action_ids.index(ev["action"])
                tgt = p.actor_names[p.actor_ids.index(ev["target"])]
                return f"{p.action_names[k]} \u2192 {tgt}"
        return "held its position"

    def paint(self, img, rect) -> None:
        s, p = self.session, self.params
        (a,) = self.inputs()
        x = 14
        if a is None:
            theme.heading(img, "DOSSIER", (x, 10), 11)
            theme.text(img, "Click a state on the map.", (x, 34), 13, theme.INK_DIM)
            return
        bloc = self.blocs[a]
        pygame.draw.rect(img, theme.BLOC.get(bloc, theme.INK_DIM), (0, 0, 4, rect.h))
        # A short panel (a small window) drops its heading and the treaties line and puts the
        # bloc beside the name, so that the attributes still show at its foot.
        tight = rect.h < TIGHT_H
        name = p.actor_names[a] + ("  \u00b7  you" if a == s.player else "")
        level, other = s.posture(a)
        lv = posture_level(level, p.thresholds)
        standing = f"{theme.BLOC_NAMES.get(bloc, bloc)} \u00b7 {POSTURE_NAMES[lv]}"
        ink = theme.BLOC_INK.get(bloc, theme.INK_DIM)
        if tight:
            side = theme.text(img, standing, (rect.w - 12, 10), 11, ink, anchor="topright")
            theme.text(img, name, (x, 7), 15, theme.INK, True, max_width=side.x - x - 10)
            y = 30
        else:
            theme.heading(img, "DOSSIER", (x, 10), 11)
            theme.text(img, name, (x, 26), 16, theme.INK, True, max_width=rect.w - 28)
            y = 48
            theme.text(img, standing, (x, y), 12, ink)
            y += 18
        if a != s.player:
            r = int(s.rung[s.player, a])
            theme.text(img, "With you", (x, y), 11, theme.INK_FAINT)
            theme.text(
                img,
                p.rung_names[r],
                (x + 64, y),
                12,
                self.colours[r],
                True,
                max_width=rect.w - x - 150,
            )
            theme.bar(
                img, (rect.w - 82, y + 4, 46, 6), s.tension[s.player, a] / 100, self.colours[r]
            )
            theme.text(
                img,
                f"{s.tension[s.player, a]:.0f}",
                (rect.w - 12, y),
                11,
                theme.INK_DIM,
                anchor="topright",
            )
            y += 17
            tr = treaties_between(s, s.player, a)
            if not tight:
                theme.text(img, "Treaties", (x, y), 11, theme.INK_FAINT)
                theme.text(
                    img,
                    tr[0] if tr else "none with you",
                    (x + 64, y),
                    12,
                    theme.INFO if tr else theme.INK_DIM,
                    max_width=rect.w - x - 76,
                )
                y += 17
        else:
            theme.text(img, "Worst pair", (x, y), 11, theme.INK_FAINT)
            theme.text(
                img,
                f"{p.rung_names[level]} with {p.actor_names[other]}",
                (x + 64, y),
                12,
                self.colours[level],
                True,
                max_width=rect.w - x - 76,
            )
            y += 17 if tight else 34
        theme.text(img, "Last move", (x, y), 11, theme.INK_FAINT)
        theme.text(img, self.last_move(a), (x + 64, y), 12, theme.INK, max_width=rect.w - x - 76)
        y += 17 if tight else 19
        at = s.attr[a]
        stats = [
            ("MIL", f"{at[ATTR['military']]:.0f}"),
            ("NUK", f"{at[ATTR['warheads']]:,.0f}"),
            ("ECO", f"{at[ATTR['economy']]:.0f}"),
            ("STAB", f"{at[ATTR['stability']]:.0f}"),
            ("READY", f"{at[ATTR['readiness']]:.0f}"),
        ]
        cw = (rect.w - 2 * x) / len(stats)
        for k, (lab, val) in enumerate(stats):
            cx = x + k * cw
            if y + 30 > rect.h:
                break
            theme.text(img, lab, (cx, y), 9, theme.INK_FAINT, True)
            theme.text(img, val, (cx, y + 11), 13, theme.INK, True)
