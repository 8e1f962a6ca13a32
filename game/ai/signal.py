"""The signal move beside the main move (game.engine.tempo): a second draw per actor and month.

It reuses the month's scores of the doctrine policy: the softmax weights of the mover's open
signal moves and of holding (here: no signal), with the main move left out (a state does not
make the same move twice in a month) and toward states it is at war with (at war, states fight
rather than signal); each signal's weight is multiplied by exp(``ai.signal``). One
counter-based uniform per actor and month on its own stream (``rng.STREAM_SIGNAL``) picks among
them by the running sum over every actor's signal candidates, so the main move's draw is
untouched and every run replays alone, bit for bit, whatever its batch. The draw itself is
compiled with the main move's (``game.ai.kernel.draw_kernel``), uniforms included.
"""
