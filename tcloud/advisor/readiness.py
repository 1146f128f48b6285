"""The digital-readiness diagnosis: questions, scoring, stages, obstacles and peer comparison.

Modelled on the method of Taiwan's yearly industry AI-readiness survey (AI Foundation, 2023),
turned to digital readiness: twelve ordered-choice questions in three dimensions, each answer
scaled to 0–100 by its position (index / (n - 1) * 100), a dimension score as the mean of its
items and the index as the mean of the three dimensions, so every dimension counts the same
whatever its number of questions. Stages come from fixed cut-offs (27 / 48 / 67) that
approximate the survey's four groups (means near 16, 39, 57 and 77).

Everything a page shows is data here (question texts, options, stage advice, obstacles) so the
form, the API and the consultant's view render the same thing and a change is one edit. Labels
are lazy translations; no database or Flask import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from tcloud.errors import ValidationFailed


@dataclass(frozen=True)
class Option:
    code: str
    label: object  # a lazy translation


@dataclass(frozen=True)
class Question:
    code: str
    dimension: str
    text: object
    options: tuple[Option, ...]  # ordered from least to most ready

    def option_codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)

    def scale(self, option_code: str) -> float:
        """The answer's position on 0–100; the first option is 0, the last 100."""
        return self.option_codes().index(option_code) / (len(self.options) - 1) * 100


DIMENSIONS = {
    "strategy": _l("Business strategy"),
    "people": _l("People"),
    "technology": _l("Technology in use"),
}


def _question(code: str, dimension: str, text, *options: tuple[str, object]) -> Question:
    return Question(code, dimension, text, tuple(Option(c, label) for c, label in options))


QUESTIONS = (
    _question("data_digitised", "strategy",
              _l("How are your business records (sales, customers, stock) kept?"),
              ("not_yet", _l("Not digitally yet: on paper or in our heads")),
              ("single_tools", _l("In single tools, such as a POS, e-invoices or a customer list")),
              ("connected", _l("In tools that are connected to each other")),
              ("decisions", _l("In tools, and we use the figures to make decisions")),
              ("outside_data", _l("We also combine outside data (area, season, weather) "
                                  "with our own"))),
    _question("goals", "strategy", _l("Do you have goals for what digital tools should achieve?"),
              ("none", _l("No goals yet")),
              ("ideas", _l("Some ideas, not written down")),
              ("written", _l("Written goals for one or two areas")),
              ("measured", _l("Written goals with figures, checked regularly"))),
    _question("budget", "strategy", _l("How do you pay for digital tools?"),
              ("none", _l("We do not spend money on them")),
              ("when_needed", _l("Only when something breaks or is needed at once")),
              ("yearly", _l("A yearly amount is set aside")),
              ("planned", _l("A yearly amount plus a plan for the next steps"))),
    _question("sales_channels", "strategy", _l("How do customers find you and buy from you?"),
              ("in_person", _l("Only in person or by phone")),
              ("social", _l("We also have a social media or LINE account")),
              ("online", _l("Customers can also order or book online")),
              ("unified", _l("Online and in-shop sales share one set of orders, members "
                             "and stock"))),
    _question("staff_comfort", "people",
              _l("What share of your staff are at ease using digital tools at work?"),
              ("under_quarter", _l("Fewer than a quarter")),
              ("quarter_half", _l("A quarter to a half")),
              ("half_most", _l("Half to three quarters")),
              ("most", _l("More than three quarters"))),
    _question("tool_owner", "people", _l("Who looks after your digital tools?"),
              ("no_one", _l("No one")),
              ("owner_spare_time", _l("The owner, when there is time")),
              ("staff_member", _l("A staff member, as part of the job")),
              ("dedicated", _l("A dedicated person, or an outside service under contract"))),
    _question("training", "people", _l("How do staff learn to use a new tool?"),
              ("avoid", _l("They do not; we avoid new tools")),
              ("alone", _l("Each person works it out alone")),
              ("shown", _l("The vendor or a colleague shows them when the tool arrives")),
              ("planned", _l("Planned training, repeated for new staff"))),
    _question("owner_lead", "people", _l("How involved is the owner in going digital?"),
              ("unconvinced", _l("Not convinced it is worth it")),
              ("interested", _l("Interested, but has not started")),
              ("daily_user", _l("Uses digital tools every day")),
              ("leads", _l("Leads the change and reviews the figures regularly"))),
    _question("devices", "technology", _l("What devices are used for work?"),
              ("personal_phones", _l("Personal phones only")),
              ("shared_device", _l("One shared computer or tablet")),
              ("most_staff", _l("Work devices for most staff")),
              ("all_managed", _l("Work devices for all staff, kept up to date"))),
    _question("cloud_services", "technology",
              _l("Which online (cloud) services do you use for work?"),
              ("none", _l("None")),
              ("free_apps", _l("Free apps only, such as LINE or free e-mail")),
              ("one_paid", _l("One paid service")),
              ("several_paid", _l("Several paid services"))),
    _question("integration", "technology", _l("How does information move between your tools?"),
              ("no_tools", _l("We have no tools yet")),
              ("retyped", _l("It is typed in again by hand")),
              ("files", _l("It is exported and imported as files")),
              ("automatic", _l("It passes between them automatically"))),
    _question("data_protection", "technology", _l("How do you protect your business data?"),
              ("nothing", _l("No backups, shared passwords")),
              ("manual_backup", _l("Backups by hand now and then")),
              ("automatic_backup", _l("Automatic backups")),
              ("full", _l("Automatic backups, personal accounts with only the rights each "
                          "person needs, and two-step login"))),
)
QUESTIONS_BY_CODE = {question.code: question for question in QUESTIONS}


# --- Stages on the path 數位化 (digitise) → 數位優化 (optimise) → 數位轉型 (transform) ----------

PATH = {
    "digitise": _l("Digitise"),  # 數位化
    "optimise": _l("Optimise"),  # 數位優化
    "transform": _l("Transform"),  # 數位轉型
}


@dataclass(frozen=True)
class Stage:
    number: int
    code: str
    label: object
    reached: str | None  # the last step of PATH reached, None before the first
    next_step: str | None  # the step to work on now, None at the end of the path
    first_steps: tuple[object, ...]  # what to do first, most important first


# Four stages, three steps: the first stage has not yet reached 數位化, so the survey's lowest
# group (mean ~16) is told to start there rather than being labelled "digitised".
STAGE_CUTOFFS = (27.0, 48.0, 67.0)  # an index at or above a cut-off moves up one stage
STAGES = (
    Stage(1, "starting", _l("Getting started"), None, "digitise", (
        _l("Pick the one task that costs you most time each week and put it in one simple "
           "tool, such as a POS, e-invoices or online booking."),
        _l("Name one person who looks after the tool and learns it first."),
        _l("Spend your points on one tool to begin with; add the next when the first is part "
           "of the routine."),
    )),
    Stage(2, "digitised", _l("Digitised"), "digitise", "optimise", (
        _l("Get your main records (sales, customers, stock) into your tools so nothing lives "
           "only on paper."),
        _l("Give each person their own account and turn on automatic backups."),
        _l("Choose tools that exchange data with the ones you already use, so figures stop "
           "being typed twice."),
    )),
    Stage(3, "optimising", _l("Optimising"), "optimise", "transform", (
        _l("Connect your tools so orders, members and stock pass between them without "
           "retyping."),
        _l("Pick two or three figures to watch each month, such as repeat customers or "
           "best-selling hours, and act on them."),
        _l("Plan training so every staff member can use the tools, not only one."),
    )),
    Stage(4, "transforming", _l("Transforming"), "transform", None, (
        _l("Combine your own sales data with outside data (area, season, weather) to plan "
           "products and staffing."),
        _l("Review which subscriptions pay for themselves; renew those and drop the rest."),
        _l("Look for new ways to sell or serve customers that your data makes possible."),
    )),
)
STAGES_BY_NUMBER = {stage.number: stage for stage in STAGES}


def stage_for(index: float) -> Stage:
    return STAGES[sum(1 for cutoff in STAGE_CUTOFFS if index >= cutoff)]


# --- Obstacles -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Obstacle:
    code: str
    label: object
    advice: object  # what helps, shown beside the ticked obstacle


OBSTACLES = (
    Obstacle("no_one_to_run", _l("No one to run it"),
             _l("Choose tools the vendor sets up and supports, and ask your consultant for ones "
                "with setup included.")),
    Obstacle("data_scattered", _l("Our data is scattered"),
             _l("Start with one tool that gathers one kind of record, such as sales or "
                "customers, in one place.")),
    Obstacle("cost", _l("It costs too much"),
             _l("Your points pay for the first year of many tools; compare what renewing will "
                "cost before you choose.")),
    Obstacle("owner_unconvinced", _l("The owner is not convinced"),
             _l("Start small with a free trial and check one figure, such as time saved or "
                "repeat customers, after a month.")),
    Obstacle("unclear_goal", _l("We are not sure what we want to achieve"),
             _l("Write down the one problem you most want solved; the recommendation starts "
                "from it.")),
    Obstacle("data_leak_fear", _l("We fear data leaks"),
             _l("Every listed vendor has passed a security test and commits to backups; use "
                "personal accounts and two-step login.")),
)
OBSTACLES_BY_CODE = {obstacle.code: obstacle for obstacle in OBSTACLES}


# --- Scoring ---------------------------------------------------------------------------------

class ReadinessAnswersInvalid(ValidationFailed):
    """Answers that cannot be scored; `errors` maps each question code to a message naming it."""


def answer_errors(answers: Mapping[str, str], *, complete: bool = True) -> dict[str, object]:
    """A message per question that is unknown, has an unknown option or (if complete) is missing.

    `complete=False` checks a saved draft, where unanswered questions are allowed.
    """
    errors: dict[str, object] = {}
    for code, option in answers.items():
        question = QUESTIONS_BY_CODE.get(code)
        if question is None:
            errors[code] = _l("There is no readiness question “%(code)s”.", code=code)
        elif option not in question.option_codes():
            errors[code] = _l("Choose one of the answers to “%(question)s”.",
                              question=question.text)
    if complete:
        for question in QUESTIONS:
            if question.code not in answers:
                errors[question.code] = _l("Answer “%(question)s”.", question=question.text)
    return errors


@dataclass(frozen=True)
class Diagnosis:
    item_scores: dict[str, float]  # question code → 0–100
    dimension_scores: dict[str, float]  # dimension code → 0–100
    index: float  # 0–100
    stage: Stage


def diagnose(answers: Mapping[str, str]) -> Diagnosis:
    """Score a complete set of answers (question code → option code)."""
    errors = answer_errors(answers)
    if errors:
        raise ReadinessAnswersInvalid(errors)
    items = {q.code: q.scale(answers[q.code]) for q in QUESTIONS}
    dimensions = {
        dimension: _mean([items[q.code] for q in QUESTIONS if q.dimension == dimension])
        for dimension in DIMENSIONS
    }
    index = _mean(list(dimensions.values()))
    return Diagnosis(items, dimensions, index, stage_for(index))


def obstacle_errors(codes: Sequence[str]) -> dict[str, object]:
    unknown = [code for code in codes if code not in OBSTACLES_BY_CODE]
    return {"obstacles": _l("Unknown obstacle “%(code)s”.", code=unknown[0])} if unknown else {}


# --- Comparison with peers --------------------------------------------------------------------

MIN_PEERS = 5  # fewer than this: no comparison, so no one can work out a neighbour's score


@dataclass(frozen=True)
class PeerComparison:
    peer_count: int
    mean: float | None  # None when there are too few peers
    percentile: float | None  # share of peers scoring lower, ties counted half, 0–100

    @property
    def enough_peers(self) -> bool:
        return self.mean is not None


def compare_with_peers(index: float, peer_indices: Sequence[float], *,
                       min_peers: int = MIN_PEERS) -> PeerComparison:
    """Where `index` sits among other businesses of the same industry on the platform.

    The caller leaves the business itself out of `peer_indices`. The mid-rank percentile
    (ties counted half) keeps a business equal to all its peers at 50, not at 0 or 100.
    """
    count = len(peer_indices)
    if count < min_peers:
        return PeerComparison(count, None, None)
    below = sum(1 for peer in peer_indices if peer < index)
    equal = sum(1 for peer in peer_indices if peer == index)
    return PeerComparison(count, _mean(list(peer_indices)), (below + equal / 2) / count * 100)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)
