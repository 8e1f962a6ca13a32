"""The orders for the month, on the right: the target chips, the catalogue of moves toward the
target (closed ones with their reason) and a preview of the hovered or chosen move."""

from __future__ import annotations

import pygame

from game.play import rules
from game.text import counted
from game.ui import theme
from game.ui.panels.base import Panel
from game.ui.panels.tips import pair_tip
from game.ui.widgets import is_key

ROW_H = 19
LABEL_W = 50  # "Target" before the chips


class Orders(Panel):
    name = "orders"

    def __init__(self, play) -> None:
        super().__init__(play)
        self.chips = self.list = self.preview = pygame.Rect(0, 0, 0, 0)
        self.scroll = 0
        self.hover_row: int | None = None
        self.hover_chip: int | None = None

    def place(self, frame):
        o = frame["orders"]
        self.chips = pygame.Rect(o.x + 12, o.y + 30, o.w - 24, 26)
        pv_h = 172 if frame["window"].h >= 760 else 112
        self.preview = pygame.Rect(
            o.x + 10, max(o.bottom - pv_h - 6, self.chips.bottom), o.w - 20, pv_h
        )
        self.list = pygame.Rect(
            o.x + 8,
            self.chips.bottom + 8,
            o.w - 16,
            max(self.preview.y - self.chips.bottom - 14, 1),
        )
        return o

    # ------------------------------------------------------------- geometry
    def visible_rows(self) -> int:
        return max(self.list.h // ROW_H, 1)

    def row_rect(self, index: int) -> pygame.Rect:
        lst = self.list
        return pygame.Rect(lst.x, lst.y + (index - self.scroll) * ROW_H, lst.w, ROW_H)

    def row_at(self, pos) -> int | None:
        if not self.list.collidepoint(pos):
            return None
        idx = self.scroll + (pos[1] - self.list.y) // ROW_H
        return idx if 0 <= idx < len(self.play.options()) else None

    def chip_rects(self) -> list[tuple[pygame.Rect, int]]:
        c = self.chips
        others = [a for a in range(self.params.n_actors) if a != self.session.player]
        n = max(len(others), 1)
        cw = max(min((c.w - LABEL_W) // n - 4, 52), 24)
        return [
            (pygame.Rect(c.x + LABEL_W + k * (cw + 4), c.y, cw, c.h), a)
            for k, a in enumerate(others)
        ]

    def chip_at(self, pos) -> int | None:
        return next((a for rect, a in self.chip_rects() if rect.collidepoint(pos)), None)

    # ---------------------------------------------------------------- input
    def hover(self, pos):
        self.hover_row = self.row_at(pos)  # the preview below the list explains the move
        self.hover_chip = self.chip_at(pos)
        if self.hover_chip is not None:
            return pair_tip(self.session, self.colours, self.session.player, self.hover_chip)
        return []

    def leave(self) -> None:
        self.hover_row = self.hover_chip = None

    def press(self, pos) -> None:
        a = self.chip_at(pos)
        if a is not None:
            self.play.set_target(a)
            return
        idx = self.row_at(pos)
        if idx is not None:
            o = self.play.options()[idx]
            if o.open:
                self.play.order = (o.action, o.target)
            else:
                self.play.app.toast(f"Unavailable: {o.reason}", "warn")

    def wheel(self, pos, dy: int) -> None:
        if self.list.collidepoint(pos):
            self.scroll_list(-dy)

    def key(self, ev, ch, mods) -> bool:
        play = self.play
        if is_key(ev, pygame.K_UP, pygame.K_w):
            self.move_order(-1)
        elif is_key(ev, pygame.K_DOWN, pygame.K_s):
            self.move_order(1)
        elif is_key(ev, pygame.K_LEFT, pygame.K_a):
            play.cycle_target(-1)
        elif is_key(ev, pygame.K_RIGHT, pygame.K_d, pygame.K_TAB):
            play.cycle_target(-1 if mods & pygame.KMOD_SHIFT else 1)
        elif is_key(ev, pygame.K_h):
            play.order = (-1, play.target)
        elif ch and ch.isdigit() and ch != "0":
            chips = self.chip_rects()
            k = int(ch) - 1
            if k < len(chips):
                play.set_target(chips[k][1])
        else:
            return False
        return True

    # -------------------------------------------------------------- actions
    def move_order(self, step: int) -> None:
        opts = self.play.options()
        current = self.play.order_option()
        cur = next((i for i, o in enumerate(opts) if o is current), 0)
        i = cur
        while 0 <= i + step < len(opts):
            i += step
            if opts[i].open:
                self.play.order = (opts[i].action, opts[i].target)
                break
        self.ensure_visible(i)

    def ensure_visible(self, idx: int) -> None:
        vis = self.visible_rows()
        if idx < self.scroll:
            self.scroll = idx
        elif idx >= self.scroll + vis:
            self.scroll = idx - vis + 1
        self.scroll_list(0)

    def scroll_list(self, step: int) -> None:
        n = len(self.play.options())
        self.scroll = max(0, min(self.scroll + step, max(n - self.visible_rows(), 0)))

    # -------------------------------------------------------------- drawing
    def inputs(self):
        play = self.play
        return (play.target, play.order, self.hover_row, self.hover_chip, self.scroll)

    def paint(self, img, rect) -> None:
        s, p = self.session, self.params
        target, _, hover_row, hover_chip, scroll = self.inputs()
        if s.over:
            # No order is given any more: the panel says so rather than offer the last month's.
            theme.heading(img, "ORDERS", (16, 10), 11)
            words = f"The game is over after {counted(s.turn, 'month')}: no more orders."
            for k, line in enumerate(theme.wrap(words, 12, rect.w - 32)):  # wrapped, not cut
                theme.text(img, line, (16, 36 + 17 * k), 12, theme.INK_DIM)
            return
        y0, m0 = p.turn_date(min(s.turn, s.turns - 1))
        head = theme.heading(img, f"ORDERS \u00b7 {theme.month_name(y0, m0).upper()}", (16, 10), 11)
        hint = "\u2190 \u2192 target   \u2191 \u2193 move"
        if head.right + theme.text_width(hint, 10) + 24 < rect.w:
            theme.text(img, hint, (rect.w - 14, 10), 10, theme.INK_FAINT, anchor="topright")
        # Target chips.
        chips = self.local(self.chips)
        theme.text(img, "Target", (chips.x, chips.centery), 11, theme.INK_DIM, anchor="midleft")
        for rr, a in self.chip_rects():
            c = self.local(rr)
            sel = a == target
            hot = a == hover_chip
            bg = theme.shade(
                theme.BLOC.get(self.blocs[a], theme.INK_DIM),
                0.75 if sel else (0.45 if hot else 0.3),
            )
            pygame.draw.rect(img, bg, c, border_radius=4)
            if sel:
                pygame.draw.rect(img, theme.GOLD, c, 2, border_radius=4)
            theme.text(
                img,
                p.actor_ids[a],
                (c.centerx, c.centery - 2),
                11,
                theme.INK if sel else theme.INK_DIM,
                True,
                "center",
            )
            r = int(s.rung[s.player, a])
            pygame.draw.rect(
                img, self.colours[r], (c.x + 4, c.bottom - 5, c.w - 8, 3), border_radius=1
            )
        opts = self.play.options()
        current = self.play.order_option()
        self._paint_list(img, opts, current, target, hover_row, scroll)
        shown = opts[hover_row] if hover_row is not None and hover_row < len(opts) else current
        self._paint_preview(img, shown)

    def _paint_list(self, img, opts, current, target, hover_row, scroll) -> None:
        s, p = self.session, self.params
        lst = self.local(self.list)
        vis = self.visible_rows()
        prev_cat = None
        for idx in range(scroll, min(len(opts), scroll + vis)):
            o = opts[idx]
            row = pygame.Rect(lst.x, lst.y + (idx - scroll) * ROW_H, lst.w, ROW_H)
            chosen = o is current
            if chosen:
                pygame.draw.rect(img, (48, 42, 24), row, border_radius=3)
                pygame.draw.rect(img, theme.GOLD, (row.x, row.y + 2, 3, row.h - 4))
            elif idx == hover_row:
                pygame.draw.rect(img, (30, 40, 56), row, border_radius=3)
            if o.action < 0:
                glyph_col, letter, name = theme.INK_DIM, "\u2013", "Hold position"
            else:
                cat = p.action_category[o.action]
                glyph_col = theme.CATEGORY_COLOUR.get(cat, theme.INK_DIM)
                letter, name = cat[:1].upper(), p.action_names[o.action]
                if prev_cat is not None and cat != prev_cat:
                    pygame.draw.line(img, theme.RULE, (row.x + 6, row.y), (row.right - 6, row.y))
                prev_cat = cat
            g = pygame.Rect(row.x + 8, row.y + 3, 13, 13)
            pygame.draw.rect(
                img, theme.shade(glyph_col, 0.9 if o.open else 0.35), g, border_radius=3
            )
            theme.text(img, letter, g.center, 9, (12, 14, 20), True, "center")
            ink = theme.INK if o.open else theme.INK_FAINT
            if chosen:
                ink = theme.GOLD
            right = ""
            rcol = theme.INK_FAINT
            if not o.open:
                right = o.short
            elif o.action >= 0:
                rset = int(p.action_rung[o.action])
                now = int(s.rung[s.player, target])
                dt = float(p.action_tension[o.action])
                if rset > now:
                    right, rcol = f"\u25b2 {p.rung_names[rset]}", self.colours[rset]
                elif abs(dt) > 0:
                    sign = "+" if dt > 0 else "\u2212"
                    right = f"{sign}{abs(dt):.0f} tension"
                    rcol = theme.BAD if dt > 0 else theme.GOOD
            rw = 0
            if right:
                # The move's name is whole; what it does gets the room that is left.
                name_w = theme.text_width(name, 12, chosen)
                room = max(row.w - 36 - name_w - 12, 40)
                rr = theme.text(
                    img,
                    right,
                    (row.right - 8, row.centery),
                    10,
                    rcol,
                    anchor="midright",
                    max_width=min(room, 150),
                )
                rw = rr.w + 12
            theme.text(
                img,
                name,
                (row.x + 28, row.centery),
                12,
                ink,
                chosen,
                "midleft",
                max_width=row.w - 36 - rw,
            )
        if len(opts) > vis:
            track = pygame.Rect(lst.right - 3, lst.y, 3, vis * ROW_H)
            pygame.draw.rect(img, (30, 38, 52), track)
            frac = vis / len(opts)
            th = max(round(track.h * frac), 12)
            ty = track.y + round((track.h - th) * scroll / max(len(opts) - vis, 1))
            pygame.draw.rect(img, theme.INK_FAINT, (track.x, ty, 3, th))

    def _paint_preview(self, img, shown) -> None:
        """The hovered (or chosen) move: its stance, what it would do, and why it is closed."""
        s, p = self.session, self.params
        pv = self.local(self.preview)
        theme.fill(img, pv, (11, 16, 24), 5)
        pygame.draw.rect(img, theme.RULE, pv, 1, border_radius=5)
        if shown.action < 0:
            title = "Hold position"
        else:
            title = f"{p.action_names[shown.action]} \u2192 {p.actor_names[shown.target]}"
        tag, tone = rules.stance(p, shown.action)
        tcol = theme.TONE.get(tone, theme.INK_DIM)
        chip = theme.chip(
            img,
            (pv.right - 8, pv.y + 15),
            tag.upper(),
            theme.shade(tcol, 0.25),
            tcol,
            9,
            None,
            "midright",
            5,
        )
        theme.text(
            img, title, (pv.x + 10, pv.y + 7), 13, theme.INK, True, max_width=chip.x - pv.x - 18
        )
        y = pv.y + 27
        lines: list[rules.Line] = []
        if not shown.open:
            lines.append(rules.Line("Closed", shown.reason, "bad"))
        lines += rules.preview(s, shown.action, shown.target)
        desc = rules.describe_action(s, shown.action) if shown.action >= 0 else ""
        if desc:
            lines.append(rules.Line("Note", desc, "neutral"))
        for ln in lines:
            col = theme.TONE.get(ln.tone, theme.INK_DIM)
            parts = theme.wrap(ln.text, 12, pv.w - 90)
            for k, part in enumerate(parts):
                if y + 15 > pv.bottom - 2:
                    break
                if k == 0:
                    theme.text(
                        img, ln.label, (pv.x + 10, y), 10, theme.INK_FAINT, True, max_width=64
                    )
                theme.text(img, part, (pv.x + 78, y - 1), 12, col)
                y += 15
