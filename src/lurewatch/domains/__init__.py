"""Domain and link risk: known-bad lists, brand look-alikes and a lexical risk model.

`check_domain(url_or_domain) -> DomainAssessment` is the one entry point; `screen()` and the
REST endpoint call it per URL (`DomainAssessment.model_dump()` is the JSON body).
"""

from __future__ import annotations

from lurewatch.domains.check import DomainChecker, check_domain, default_checker
from lurewatch.domains.models import DomainAssessment, DomainReason, ListHit


def train_domain_model(*args: object, **kwargs: object) -> dict[str, object]:
    """Retrain the shipped model (see `lurewatch.domains.train.train_domain_model`).

    Imported lazily: training needs scikit-learn and scipy, checking does not.
    """
    from lurewatch.domains.train import train_domain_model as _train

    return _train(*args, **kwargs)  # type: ignore[arg-type]


__all__ = [
    "DomainAssessment",
    "DomainChecker",
    "DomainReason",
    "ListHit",
    "check_domain",
    "default_checker",
    "train_domain_model",
]
