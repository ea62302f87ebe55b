class ModerationError(Exception):
    """A refusal a moderator (or reporter) can read."""


class AlreadyDecided(ModerationError):
    def __init__(self):
        super().__init__("Another moderator has already decided this message.")


class ItemNotFound(ModerationError):
    pass
