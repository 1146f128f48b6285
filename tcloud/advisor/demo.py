"""Demo advisor data for `seed-demo`: needs forms from the demo businesses, so `make run`
shows a populated queue, an automatic recommendation and one a consultant has sent.

Through the real services (submit, claim, notes, send), after the catalogue and the points
grants exist, so the recommendations rank the real demo catalogue with the real wallets.
"""

from __future__ import annotations

from sqlmodel import Session, select

from tcloud.accounts import services as accounts
from tcloud.advisor import consultant, forms, recommendations
from tcloud.advisor.models import NeedsForm
from tcloud.advisor.readiness import QUESTIONS

MARKER = "advisor:forms"
CONSULTANT = "consultant@demo.tcloud.tw"


def _readiness(position: int) -> dict:
    return {q.code: q.options[min(position, len(q.options) - 1)].code for q in QUESTIONS}


# email, answers (besides what the organisation profile fills in), readiness level, review
DEMO_FORMS = (
    ("business@demo.tcloud.tw", {
        "sells": "牛肉麵、小菜", "sales_channel": "shop", "current_tools": "收銀機、紙本記帳",
        "problems": ["pos", "e_invoice", "loyalty"], "top_problem": "pos",
        "goals": "午餐尖峰結帳快一點，熟客回流", "budget_ntd": 5_000,
        "support_needs": ["weekends"], "obstacles": ["no_one_to_run", "cost"]}, 1,
     "consultant"),
    ("salon@demo.tcloud.tw", {
        "sells": "剪髮、染燙", "sales_channel": "shop", "current_tools": "LINE、紙本預約簿",
        "problems": ["booking", "loyalty"], "top_problem": "booking",
        "goals": "週末預約不再漏接", "budget_ntd": 0, "support_needs": ["weekends"],
        "obstacles": ["owner_unconvinced"]}, 1, "automatic"),
    ("gas@demo.tcloud.tw", {
        "sells": "桶裝瓦斯配送", "sales_channel": "both", "current_tools": "Excel 派車表",
        "problems": ["fleet", "e_invoice"], "top_problem": "fleet",
        "goals": "派車路線更順，電話訂單少出錯", "budget_ntd": 20_000,
        "support_needs": [], "obstacles": ["data_scattered"]}, 2, "consultant"),
    ("coop@demo.tcloud.tw", {
        "sells": "當季蔬果、加工品", "sales_channel": "online", "current_tools": "臉書社團",
        "problems": ["web_shop", "inventory"], "top_problem": "web_shop",
        "goals": "網路訂單與庫存一起管理", "budget_ntd": 10_000, "support_needs": [],
        "obstacles": ["unclear_goal"]}, 2, "consultant"),
)
SENT_BY_CONSULTANT = "gas@demo.tcloud.tw"


def submit_forms(db: Session) -> None:
    for email, answers, level, review in DEMO_FORMS:
        user = accounts.find_user_by_email(db, email)
        if user is None:
            continue
        values = {**forms.prefill(accounts.organisation_of(db, user)), **answers,
                  "readiness": _readiness(level), "review": review}
        _form, recommendation = forms.submit(db, user=user, answers=values)
        if email == SENT_BY_CONSULTANT:
            _review_and_send(db, recommendation.id)


def _review_and_send(db: Session, recommendation_id: int) -> None:
    adviser = accounts.find_user_by_email(db, CONSULTANT)
    items = recommendations.items_of(db, recommendation_id)
    if adviser is None or not items:
        return
    consultant.claim(db, recommendation_id, adviser)
    consultant.write_notes(
        db, recommendation_id, adviser,
        notes={items[0].id: "派車先上線，司機用手機就能看路線；試用期間先跑一條路線。"},
        overall_note="建議先導入派車系統，一個月後再看電子發票；點數足夠支付第一年。")
    consultant.send(db, recommendation_id, adviser)


def steps() -> list:
    return [(MARKER, submit_forms)]


def is_done(db: Session, marker: str) -> bool:
    user = accounts.find_user_by_email(db, DEMO_FORMS[0][0])
    return user is None or db.exec(select(NeedsForm.id).where(
        NeedsForm.organisation_id == user.organisation_id)).first() is not None
