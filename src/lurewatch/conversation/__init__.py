"""Conversation tracking: read a whole chat turn by turn, name the scam stage, warn early.

`parse_conversation(obj_or_path, me=...)` imports JSON/JSONL, WhatsApp, Telegram, LINE and
plain transcripts; `track(conversation)` scores it; `ConversationTracker.add(message)` does the
same one message at a time for live use.
"""

from lurewatch.conversation.importers import iter_conversations, parse_conversation
from lurewatch.conversation.models import (
    Conversation,
    ConversationAssessment,
    ConversationError,
    Message,
    TurnAssessment,
    UnknownParticipantError,
)
from lurewatch.conversation.tracker import ALERT_THRESHOLD, ConversationTracker, track

__all__ = [
    "ALERT_THRESHOLD",
    "Conversation",
    "ConversationAssessment",
    "ConversationError",
    "ConversationTracker",
    "Message",
    "TurnAssessment",
    "UnknownParticipantError",
    "iter_conversations",
    "parse_conversation",
    "track",
]
