"""seed-demo leaves the advisor populated: a queue, an automatic and a consultant's list."""

from sqlmodel import select

from tcloud.advisor.models import NEW, SENT, Recommendation


def test_seed_demo_fills_the_queue_and_sends_one_recommendation(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tcloud", "seed-demo"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["tcloud", "seed-demo"])
    assert again.exit_code == 0, again.output
    recommendations = db.exec(select(Recommendation).order_by(Recommendation.id)).all()
    assert len(recommendations) == 4  # once, however often it runs
    assert [r.state for r in recommendations].count(NEW) == 2
    automatic = [r for r in recommendations if r.automatic]
    by_consultant = [r for r in recommendations if r.state == SENT and not r.automatic]
    assert len(automatic) == 1 and automatic[0].state == SENT
    assert len(by_consultant) == 1 and by_consultant[0].overall_note
