class ConversationError(Exception):
    """A refusal whose message can be shown to the person who caused it."""


class ThreadNotFound(ConversationError):
    """Missing and forbidden alike, so that nobody can probe which threads exist."""

    def __init__(self):
        super().__init__("No such conversation.")


class EmptyMessage(ConversationError):
    def __init__(self):
        super().__init__("Write a message or attach a file.")


class MessageTooLong(ConversationError):
    pass


class MessageBlocked(ConversationError):
    """The policy filter refused the text; `verdict.findings` say what and where."""

    def __init__(self, verdict, text: str):
        self.verdict = verdict
        self.text = text
        super().__init__("Your message was not sent: " + "; ".join(verdict.reasons()) + ".")


class InvalidStatusChange(ConversationError):
    pass


class SendingNotAllowed(ConversationError):
    """The sending rules refuse this message; the reason is for the sender."""
