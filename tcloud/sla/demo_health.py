"""Health endpoints the demo's probes call (`make run` only; never registered in production).

The demo seed points demo solutions' probe targets here (sla/demo.py), since their listed
health URLs do not exist. `/demo/health/<id>` answers 200; with `down_every=N&down_for=M` it
answers 503 for M minutes of every N (shifted by the id, so flaky solutions do not fail in
step), which lets an audience watch a live outage be confirmed, incidents open and burn-rate
alerts fire. No database access: it must stay cheap at hundreds of probes a minute.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from tcloud.accounts.access import PUBLIC, allow
from tcloud.clock import utcnow
from tcloud.sla.availability import epoch_minute

bp = Blueprint("sla_demo_health", __name__)


def is_down(solution_id: int, minute: int, down_every: int, down_for: int) -> bool:
    if down_every <= 0 or not 0 < down_for < down_every:
        return False
    return (minute + solution_id) % down_every < down_for


@bp.get("/demo/health/<int:solution_id>")
@allow(PUBLIC)
def demo_health(solution_id: int):
    down_every = request.args.get("down_every", default=0, type=int)
    down_for = request.args.get("down_for", default=0, type=int)
    if is_down(solution_id, epoch_minute(utcnow()), down_every, down_for):
        return jsonify(status="down", solution_id=solution_id), 503
    return jsonify(status="ok", solution_id=solution_id)
