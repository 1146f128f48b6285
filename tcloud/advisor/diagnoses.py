"""The readiness diagnosis of a submitted form: scored by readiness.py, stored, compared.

Stored per form so the peer comparison reads one indexed column, and so a business's earlier
diagnoses keep the stage they were given even if the cut-offs are later tuned.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from tcloud.advisor import readiness
from tcloud.advisor.models import Diagnosis, NeedsForm


def record(session: Session, form: NeedsForm) -> Diagnosis:
    answers = form.answers
    scored = readiness.diagnose(answers["readiness"])
    diagnosis = Diagnosis(
        form_id=form.id, organisation_id=form.organisation_id, industry=answers["industry"],
        readiness_index=round(scored.index, 2), stage=scored.stage.number,
        dimension_scores={k: round(v, 2) for k, v in scored.dimension_scores.items()},
        obstacles=list(answers.get("obstacles", [])))
    session.add(diagnosis)
    session.flush()
    return diagnosis


def of_form(session: Session, form_id: int) -> Diagnosis | None:
    return session.exec(select(Diagnosis).where(Diagnosis.form_id == form_id)).first()


def peer_indices(session: Session, diagnosis: Diagnosis) -> list[float]:
    """The latest index of every other business in the same industry."""
    rows = session.exec(select(Diagnosis.organisation_id, Diagnosis.readiness_index)
                        .where(Diagnosis.industry == diagnosis.industry,
                               Diagnosis.organisation_id != diagnosis.organisation_id)
                        .order_by(Diagnosis.id)).all()
    latest = {organisation: index for organisation, index in rows}  # later rows win
    return list(latest.values())


@dataclass(frozen=True)
class DiagnosisView:
    diagnosis: Diagnosis
    stage: readiness.Stage
    peers: readiness.PeerComparison
    obstacles: tuple[readiness.Obstacle, ...]

    @property
    def dimensions(self) -> list[tuple[str, object, float]]:
        return [(code, label, self.diagnosis.dimension_scores[code])
                for code, label in readiness.DIMENSIONS.items()]

    def path(self) -> list[tuple[str, object, str]]:
        """Each step of 數位化 → 數位優化 → 數位轉型 with "done", "now" or "later"."""
        steps, reached = list(readiness.PATH), self.stage.reached
        done = steps.index(reached) + 1 if reached else 0
        return [(code, label, "done" if i < done else "now" if code == self.stage.next_step
                 else "later") for i, (code, label) in enumerate(readiness.PATH.items())]

    def as_json(self) -> dict:
        stage = self.stage
        return {
            "form_id": self.diagnosis.form_id,
            "readiness_index": self.diagnosis.readiness_index,
            "dimension_scores": self.diagnosis.dimension_scores,
            "stage": {"number": stage.number, "code": stage.code, "label": str(stage.label),
                      "path_reached": stage.reached, "next_step": stage.next_step,
                      "first_steps": [str(step) for step in stage.first_steps]},
            "peers": {"industry": self.diagnosis.industry, "peer_count": self.peers.peer_count,
                      "mean": None if self.peers.mean is None else round(self.peers.mean, 1),
                      "percentile": None if self.peers.percentile is None
                      else round(self.peers.percentile)},
            "obstacles": [{"code": o.code, "label": str(o.label), "advice": str(o.advice)}
                          for o in self.obstacles],
        }


def view(session: Session, diagnosis: Diagnosis) -> DiagnosisView:
    return DiagnosisView(
        diagnosis, readiness.STAGES_BY_NUMBER[diagnosis.stage],
        readiness.compare_with_peers(diagnosis.readiness_index,
                                     peer_indices(session, diagnosis)),
        tuple(readiness.OBSTACLES_BY_CODE[code] for code in diagnosis.obstacles
              if code in readiness.OBSTACLES_BY_CODE))
