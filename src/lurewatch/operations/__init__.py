"""Operations: clusters of linked reports with stable ids, templates, confidence, and analysts'
split/merge decisions that survive re-linking. See docs/linking.md."""

from lurewatch.operations.tables import Operation, OperationDecision, OperationMember

__all__ = ["Operation", "OperationDecision", "OperationMember"]
