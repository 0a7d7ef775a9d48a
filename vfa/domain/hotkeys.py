"""Event-code hotkeys: one spelling per key, and the keys a scheme may not take."""

from __future__ import annotations

MODIFIER_ORDER = ("Ctrl", "Alt", "Shift", "Meta")
_MODIFIERS = {
    "ctrl": "Ctrl",
    "control": "Ctrl",
    "alt": "Alt",
    "option": "Alt",
    "shift": "Shift",
    "meta": "Meta",
    "cmd": "Meta",
    "command": "Meta",
}
_NAMED = {
    name.lower(): name
    for name in (
        "Space",
        "Left",
        "Right",
        "Up",
        "Down",
        "Home",
        "End",
        "PgUp",
        "PgDown",
        "Ins",
        "Del",
        "Esc",
        "Tab",
        "Return",
        "Enter",
        "Backspace",
    )
} | {f"f{n}": f"F{n}" for n in range(1, 25)}
_ALIASES = {
    "escape": "Esc",
    "delete": "Del",
    "insert": "Ins",
    "pageup": "PgUp",
    "pagedown": "PgDown",
}

# The player's default keys (vfa/ui/actions.py) and the keys the window keeps for itself.
PLAYER_KEYS = {
    "Space": "play / pause",
    "Left": "previous frame",
    "Right": "next frame",
    "Shift+Left": "back one second",
    "Shift+Right": "forward one second",
    "Home": "go to start",
    "End": "go to end",
    "J": "shuttle backwards",
    "K": "shuttle stop",
    "L": "shuttle forwards",
    "I": "loop start",
    "O": "loop end",
    "[": "slower",
    "]": "faster",
}
WINDOW_KEYS = {
    "Esc": "closing dialogs and cancelling",
    "Tab": "moving between fields",
    "Return": "confirming",
    "Enter": "confirming",
    "Backspace": "editing",
    "Del": "editing",
    "F5": "presenting the reel",  # (vfa/ui/actions.py: its one key without Ctrl or Alt)
}


def _split(text: str) -> tuple[list[str], str]:
    if text == "+":
        return [], "+"
    if text.endswith("++"):
        return [m.strip() for m in text[:-2].split("+")], "+"
    *mods, key = (p.strip() for p in text.split("+"))
    return mods, key


def normalize_hotkey(text: str) -> str:
    """The canonical spelling of a key (Qt's portable text): ``shift+q`` -> ``Shift+Q``.

    Raises ValueError with the reason when the text does not name one key.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("the hotkey is empty")
    mods, key = _split(raw)
    found: set[str] = set()
    for mod in mods:
        name = _MODIFIERS.get(mod.lower())
        if name is None:
            raise ValueError(f"{mod!r} is not a modifier (use Shift, e.g. 'Shift+Q')")
        if name in found:
            raise ValueError(f"{name} is given twice")
        found.add(name)
    if len(key) == 1 and key.isprintable() and not key.isspace():
        canonical = key.upper()
    else:
        lowered = key.lower()
        named = _NAMED.get(lowered) or _ALIASES.get(lowered)
        if named is None:
            raise ValueError(
                f"{key!r} is not a key (use one character, such as 'Q' or '1', "
                "or a named key such as 'F6')"
            )
        canonical = named
    return "+".join([m for m in MODIFIER_ORDER if m in found] + [canonical])


def hotkey_conflict(hotkey: str) -> str | None:
    """Why a canonical hotkey cannot be an event code's key, or None when it can."""
    mods, _key = _split(hotkey)
    if "Ctrl" in mods or "Meta" in mods:
        return "Ctrl and Cmd combinations belong to the player and the window's commands"
    if "Alt" in mods:
        return "Alt combinations open the window's menus"
    if hotkey in PLAYER_KEYS:
        return f"{hotkey!r} is the player's key for {PLAYER_KEYS[hotkey]}"
    if hotkey in WINDOW_KEYS:
        return f"{hotkey!r} is the window's key for {WINDOW_KEYS[hotkey]}"
    return None
